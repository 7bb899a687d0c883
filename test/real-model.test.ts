/**
 * The real architectures in tfjs against an independent float64 PyTorch implementation
 * (test/fixtures/real/reference.py) on tiny random checkpoints: prefill logits, KV-cache decoding,
 * sequence log-probs, gradients, sampling, and that nothing leaks tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { StorageDtype } from '../src/real/dtype';
import { generate } from '../src/real/generate';
import { RealArch, RealModel, buildRealModel, loadRealModel } from '../src/real/model';
import { describeWithTool } from './helpers';
import { writeTinyCheckpoint } from './helpers/realTiny';

const TOL = 1e-4;
const REFERENCE = path.join(__dirname, 'fixtures', 'real', 'reference.py');

/** A Python that imports torch: SR_TORCH_PYTHON if set, else Debian's (where python3-torch installs), else the one on PATH. */
function torchPython(): string | null {
  const candidates = process.env.SR_TORCH_PYTHON ? [process.env.SR_TORCH_PYTHON] : ['/usr/bin/python3', 'python3'];
  for (const py of candidates) {
    if (spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) return py;
  }
  return null;
}
const PY = torchPython();

function reference(dir: string, ids: number[][]): number[][][] {
  const r = spawnSync(PY!, [REFERENCE, dir, JSON.stringify(ids)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`reference.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout).logits;
}

function maxAbsDiff(a: number[][][], b: number[][][]): number {
  let m = 0;
  a.forEach((rows, i) => rows.forEach((row, t) => row.forEach((x, v) => { m = Math.max(m, Math.abs(x - b[i][t][v])); })));
  return m;
}

function logSoftmax(row: number[], tau: number): number[] {
  const s = row.map((x) => x / tau);
  const max = Math.max(...s);
  const z = Math.log(s.reduce((acc, x) => acc + Math.exp(x - max), 0));
  return s.map((x) => x - max - z);
}

function seededIds(rng: Rng, B: number, T: number, V: number): number[][] {
  return Array.from({ length: B }, () => Array.from({ length: T }, () => rng.int(V)));
}

const CASES: { arch: RealArch; dtype: StorageDtype; sharded: boolean; note: string }[] = [
  { arch: 'qwen2', dtype: 'BF16', sharded: false, note: 'tied embeddings, q/k/v bias' },
  { arch: 'llama', dtype: 'F16', sharded: false, note: 'untied, llama3 RoPE scaling' },
  { arch: 'olmo2', dtype: 'F32', sharded: true, note: 'post-norm, q/k norm, sharded' },
];
const B = 2;
const T = 12;
const V = 100;

let tmp: string;
beforeAll(async () => {
  await initBackend({ quiet: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'real-model-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const measured: Record<string, { prefill: number; decode: number; logProbs: number }> = {};

describeWithTool('python3-torch', PY !== null, 'apt-get install -y python3-torch (see .ci/apt-packages.txt)')('tfjs vs the PyTorch reference', () => {
  afterAll(() => {
    if (Object.keys(measured).length) console.log(`max |tfjs − torch| per architecture:\n${Object.entries(measured).map(([a, m]) => `  ${a}: prefill ${m.prefill.toExponential(2)}, decode ${m.decode.toExponential(2)}, log-probs ${m.logProbs.toExponential(2)}`).join('\n')}`);
  });

  describe.each(CASES)('$arch ($dtype, $note)', ({ arch, dtype, sharded }) => {
    let dir: string;
    let model: RealModel;
    let ids: number[][];
    let ref: number[][][];
    beforeAll(async () => {
      dir = path.join(tmp, arch);
      writeTinyCheckpoint(dir, arch, { seed: 11, dtype, sharded, vocabSize: V });
      model = await loadRealModel(dir);
      ids = seededIds(new Rng(5), B, T, V);
      ref = reference(dir, ids);
      measured[arch] = { prefill: NaN, decode: NaN, logProbs: NaN };
    });
    afterAll(() => model?.dispose());

    test('prefill logits', () => {
      const { logits, cache } = model.forward(ids);
      expect(logits.shape).toEqual([B, T, V]);
      expect(cache.length).toBe(T);
      const d = maxAbsDiff(logits.arraySync(), ref);
      logits.dispose();
      cache.dispose();
      measured[arch].prefill = d;
      expect(d).toBeLessThan(TOL);
    });

    test('KV-cache decoding: a prefix, a 3-token chunk, then one token at a time', () => {
      const P = 5;
      let { logits, cache } = model.forward(ids.map((r) => r.slice(0, P)));
      const got: number[][][] = ids.map(() => []);
      const take = (l: tf.Tensor3D) => { l.arraySync().forEach((rows, b) => got[b].push(...rows)); l.dispose(); };
      take(logits);
      ({ logits, cache } = model.forward(ids.map((r) => r.slice(P, P + 3)), cache));
      take(logits);
      for (let t = P + 3; t < T; t++) {
        ({ logits, cache } = model.forward(ids.map((r) => [r[t]]), cache));
        expect(logits.shape).toEqual([B, 1, V]);
        take(logits);
      }
      expect(cache.length).toBe(T);
      cache.dispose();
      const d = maxAbsDiff(got, ref);
      measured[arch].decode = d;
      expect(d).toBeLessThan(TOL);
    });

    test('sequenceLogProbs at τ = 0.7 equals log-softmax of the reference logits', () => {
      const tau = 0.7;
      const lp = tf.tidy(() => model.sequenceLogProbs(tf.tensor2d(ids, [B, T], 'int32'), tau).arraySync());
      let d = 0;
      for (let b = 0; b < B; b++) {
        expect(lp[b]).toHaveLength(T - 1);
        for (let t = 1; t < T; t++) d = Math.max(d, Math.abs(lp[b][t - 1] - logSoftmax(ref[b][t - 1], tau)[ids[b][t]]));
      }
      measured[arch].logProbs = d;
      expect(d).toBeLessThan(TOL);
    });

    test('gradients through sequenceLogProbs: finite and nonzero for every variable; the embedding matches a finite difference', () => {
      const idsT = tf.tensor2d(ids, [B, T], 'int32');
      const f = () => tf.sum(model.sequenceLogProbs(idsT, 0.9)) as tf.Scalar;
      const { value, grads } = tf.variableGrads(f, model.variables);
      expect(Object.keys(grads)).toHaveLength(model.variables.length);
      for (const v of model.variables) {
        const g = grads[v.name].dataSync();
        expect(g.every(Number.isFinite)).toBe(true);
        expect(Math.max(...Array.from(g, Math.abs))).toBeGreaterThan(0);
      }
      // The embedding's gradient is hand-written (gather forward, host scatter-add backward): check it along one direction.
      const emb = model.params['model.embed_tokens.weight'];
      const dir = tf.randomNormal(emb.shape, 0, 1, 'float32', 3);
      const analytic = tf.tidy(() => tf.sum(tf.mul(grads[emb.name], dir)).dataSync()[0]);
      const eps = 1e-2;
      const at = (s: number) => {
        const orig = emb.clone();
        emb.assign(tf.tidy(() => tf.add(orig, tf.mul(dir, s))));
        const y = tf.tidy(() => f().dataSync()[0]);
        emb.assign(orig);
        orig.dispose();
        return y;
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      expect(Math.abs(numeric - analytic)).toBeLessThan(0.02 * Math.abs(analytic) + 1e-2);
      tf.dispose([value, dir, idsT, ...Object.values(grads)]);
    });

    if (arch === 'llama') {
      test('the llama3 RoPE scaling is exercised: without it the logits differ from the reference', () => {
        const plain = buildRealModel({ ...model.cfg, ropeScaling: null }, model.params); // shares the variables
        const { logits, cache } = plain.forward(ids);
        const d = maxAbsDiff(logits.arraySync(), ref);
        logits.dispose();
        cache.dispose();
        expect(d).toBeGreaterThan(1e-2);
      });
    }
  });
});

describe('generate', () => {
  let model: RealModel;
  const prompt = [1, 17, 42, 5, 99, 23];
  beforeAll(async () => {
    const dir = path.join(tmp, 'gen');
    writeTinyCheckpoint(dir, 'qwen2', { seed: 4, vocabSize: V });
    model = await loadRealModel(dir);
  });
  afterAll(() => model?.dispose());

  /** log π of each generated token from one full forward of prompt + tokens, at temperature τ. */
  function fullLogProbs(tokens: number[], tau: number): number[] {
    const seq = [...prompt, ...tokens];
    const lp = tf.tidy(() => model.sequenceLogProbs(tf.tensor2d([seq], [1, seq.length], 'int32'), tau).arraySync()[0]);
    return lp.slice(prompt.length - 1);
  }

  test('greedy: every sample is the argmax chain of full forwards, with log-probs under the model (τ = 1)', async () => {
    const out = await generate(model, prompt, 2, { maxNewTokens: 8, temperature: 0, eosIds: [], rng: () => { throw new Error('greedy draws no random numbers'); } });
    expect(out.tokens[0]).toEqual(out.tokens[1]);
    const seq = [...prompt];
    for (let i = 0; i < 8; i++) {
      const { logits, cache } = model.forward([seq]);
      const last = tf.tidy(() => tf.argMax(tf.reshape(tf.slice(logits, [0, seq.length - 1, 0], [1, 1, V]), [V])).dataSync()[0]);
      logits.dispose();
      cache.dispose();
      seq.push(last);
    }
    expect(out.tokens[0]).toEqual(seq.slice(prompt.length));
    fullLogProbs(out.tokens[0], 1).forEach((x, i) => expect(Math.abs(out.logProbs[0][i] - x)).toBeLessThan(TOL));
  });

  test('sampling at τ = 0.8: seeded, and each log-prob is the sampling distribution’s', async () => {
    const run = () => { const rng = new Rng(9); return generate(model, prompt, 4, { maxNewTokens: 10, temperature: 0.8, eosIds: [], rng: () => rng.next() }); };
    const a = await run();
    const b = await run();
    expect(b.tokens).toEqual(a.tokens);
    expect(new Set(a.tokens.map((r) => r.join(','))).size).toBeGreaterThan(1);
    a.tokens.forEach((row, s) => {
      expect(row).toHaveLength(10);
      fullLogProbs(row, 0.8).forEach((x, i) => expect(Math.abs(a.logProbs[s][i] - x)).toBeLessThan(TOL));
    });
  });

  test('rows stop at an EOS id (kept), the others run to maxNewTokens', async () => {
    const rng = new Rng(2);
    const eosIds = Array.from({ length: 12 }, (_, i) => i * 8);
    const out = await generate(model, prompt, 6, { maxNewTokens: 12, temperature: 1, eosIds, rng: () => rng.next() });
    let stopped = 0;
    out.tokens.forEach((row, s) => {
      expect(out.logProbs[s]).toHaveLength(row.length);
      const firstEos = row.findIndex((t) => eosIds.includes(t));
      if (firstEos >= 0) { expect(firstEos).toBe(row.length - 1); stopped++; }
      else expect(row).toHaveLength(12);
    });
    expect(stopped).toBeGreaterThan(0);
    // Rows that leave the batch do not change the others: each row's log-probs still match a full forward.
    out.tokens.forEach((row, s) => fullLogProbs(row, 1).forEach((x, i) => expect(Math.abs(out.logProbs[s][i] - x)).toBeLessThan(TOL)));
  });

  test('no tensors leak across load, forward, generate, log-probs, gradients and dispose', async () => {
    const before = tf.memory().numTensors;
    const dir = path.join(tmp, 'leak');
    writeTinyCheckpoint(dir, 'llama', { seed: 6, vocabSize: V, dtype: 'BF16' });
    const m = await loadRealModel(dir);
    const loaded = tf.memory().numTensors;
    expect(loaded - before).toBe(m.variables.length);
    for (let round = 0; round < 2; round++) {
      const { logits, cache } = m.forward([[1, 2, 3], [4, 5, 6]]);
      const next = m.forward([[7], [8]], cache);
      logits.dispose();
      next.logits.dispose();
      next.cache.dispose();
      const rng = new Rng(round);
      await generate(m, [3, 1, 4, 1, 5], 3, { maxNewTokens: 5, temperature: 1, eosIds: [0, 1, 2, 3, 4, 5, 6, 7], rng: () => rng.next() });
      await generate(m, [3, 1, 4], 2, { maxNewTokens: 4, temperature: 0, eosIds: [], rng: () => 0 });
      tf.tidy(() => { m.sequenceLogProbs(tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32')).dataSync(); });
      const ids = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 8]], [2, 4], 'int32');
      const { value, grads } = tf.variableGrads(() => tf.sum(m.sequenceLogProbs(ids)) as tf.Scalar, m.variables);
      tf.dispose([value, ids, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(loaded);
    }
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
