/**
 * A data-parallel worker thread: its own tfjs instance (wasm runs one thread per instance, so
 * a second instance is how the second core gets used), a model replica whose weights arrive
 * with each job, and the shared job code.
 */
import { parentPort, workerData } from 'worker_threads';
import { ModelConfig } from '../model/config';
import { unflatten } from '../model/flat';
import { sample, SampleOptions } from '../model/sample';
import * as tf from '@tensorflow/tfjs';
import { TokenBatch, Transformer, tokenLogProbs } from '../model/transformer';
import { initBackend } from '../engine/backend';
import { GradJob, runGradJob } from './jobs';
import { Rng } from '../engine/rng';

export interface WorkerInit {
  config: ModelConfig;
  backend: string;
}

export type WorkerRequest =
  | { type: 'grad'; id: number; weights?: Float32Array; job: GradJob }
  | { type: 'sample'; id: number; weights?: Float32Array; opts: Omit<SampleOptions, 'rng' | 'rowRngs'>; rowStates: number[] }
  | { type: 'logprobs'; id: number; weights?: Float32Array; batch: TokenBatch; targets: Int32Array }
  | { type: 'close' };

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  await initBackend({ env: init.backend, quiet: true });
  const model = Transformer.init(init.config, new Rng(0));
  const port = parentPort!;
  port.on('message', async (msg: WorkerRequest) => {
    if (msg.type === 'close') { model.dispose(); port.close(); return; }
    try {
      if (msg.weights) model.assign(unflatten(init.config, msg.weights));
      if (msg.type === 'grad') {
        const r = await runGradJob(model, msg.job);
        port.postMessage({ id: msg.id, ok: true, result: r }, [r.grads.buffer as ArrayBuffer]);
      } else if (msg.type === 'logprobs') {
        const lp = tf.tidy(() => tokenLogProbs(model.params, model.config, msg.batch, msg.targets));
        const r = (await lp.data()) as Float32Array;
        lp.dispose();
        port.postMessage({ id: msg.id, ok: true, result: r }, [r.buffer as ArrayBuffer]);
      } else {
        const rowRngs = msg.rowStates.map((s) => { const r = new Rng(0); r.setState(s); return r; });
        const r = await sample(model.params, model.config, { ...msg.opts, rng: new Rng(0), rowRngs });
        port.postMessage({ id: msg.id, ok: true, result: r });
      }
    } catch (e) {
      port.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  });
  port.postMessage({ ready: true });
}

main().catch((e) => {
  parentPort?.postMessage({ ready: false, error: e instanceof Error ? e.message : String(e) });
});
