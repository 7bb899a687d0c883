import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BackendName, chooseBackend, describeBackend, initBackend, parseBackendEnv, resetBackendChoice } from '../src/engine/backend';
import { loadCheckpoint, saveCheckpoint } from '../src/runtime/checkpoint';
import { Rng } from '../src/engine/rng';
import { Transformer, forward } from '../src/model/transformer';
import { TINY } from './helpers';

/** A loader on which the native TensorFlow packages are absent, as on a machine without them. */
function loaderWithout(missing: BackendName[]): (n: BackendName) => void {
  return (n) => {
    if (missing.includes(n)) throw new Error(`Cannot find module '@tensorflow/tfjs-${n === 'gpu' ? 'node-gpu' : 'node'}'`);
    if (n === 'wasm') require('@tensorflow/tfjs-backend-wasm');
  };
}

afterEach(() => resetBackendChoice());

test('falls back past absent tfjs-node-gpu and tfjs-node to wasm, and says why', async () => {
  const r = await chooseBackend(loaderWithout(['gpu', 'node']), undefined);
  expect(r.chosen).toBe('wasm');
  expect(tf.getBackend()).toBe('wasm');
  expect(r.skipped.map((s) => s.backend)).toEqual(['gpu', 'node']);
  expect(describeBackend(r)).toMatch(/backend: wasm — gpu skipped \(Cannot find module '@tensorflow\/tfjs-node-gpu'\); node skipped/);
});

test('falls back to cpu when wasm fails too', async () => {
  const r = await chooseBackend((n) => { if (n !== 'cpu') throw new Error(`no ${n}`); }, undefined);
  expect(r.chosen).toBe('cpu');
  expect(r.skipped).toHaveLength(3);
});

test('SR_BACKEND forces a backend, and an unavailable or unknown one is a clear error', async () => {
  const r = await chooseBackend(loaderWithout(['gpu', 'node']), 'cpu');
  expect(r).toMatchObject({ chosen: 'cpu', forced: true, skipped: [] });
  await expect(chooseBackend(loaderWithout(['gpu', 'node']), 'gpu')).rejects.toThrow(/SR_BACKEND=gpu was requested but @tensorflow\/tfjs-node-gpu did not load/);
  expect(() => parseBackendEnv('tpu')).toThrow(/SR_BACKEND='tpu' is not a backend; use one of gpu, node, wasm, cpu/);
  expect(parseBackendEnv(' ')).toBeNull();
});

test('a checkpoint saved on wasm loads on cpu with the same outputs', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-xbackend-'));
  try {
    await initBackend({ env: 'wasm', quiet: true });
    const m = Transformer.init(TINY, new Rng(8));
    const batch = { tokens: Int32Array.from([1, 2, 3, 4, 5, 6]), B: 2, T: 3 };
    const onWasm = tf.tidy(() => forward(m.params, m.config, batch).logits.dataSync());
    await saveCheckpoint(path.join(dir, 'ck'), m, { step: 1 });
    m.dispose();
    resetBackendChoice();
    await initBackend({ env: 'cpu', quiet: true });
    expect(tf.getBackend()).toBe('cpu');
    const { model } = loadCheckpoint(path.join(dir, 'ck'));
    const onCpu = tf.tidy(() => forward(model.params, model.config, batch).logits.dataSync());
    const diff = Math.max(...Array.from(onWasm).map((x, i) => Math.abs(x - onCpu[i])));
    expect(diff).toBeLessThan(1e-4);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
