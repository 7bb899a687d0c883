/**
 * Data parallelism over worker threads. tfjs-wasm is single-threaded in Node, so the way to use
 * every core is several tfjs instances: each worker computes the gradient (or samples) for a
 * contiguous shard of rows and the main thread combines shards and applies AdamW.
 *
 * `workers: 0` runs the same jobs in-process (tests, notebooks, one-core machines).
 */
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Worker } from 'worker_threads';
import { LMBatch } from '../model/batch';
import { ModelConfig } from '../model/config';
import { flatten, unflatten } from '../model/flat';
import { sample, SampleOptions, SampleResult } from '../model/sample';
import { Transformer } from '../model/transformer';
import { AdamW } from '../engine/adamw';
import { backendReport } from '../engine/backend';
import { clipByGlobalNorm } from '../engine/clip';
import { GradJob, GradResult, runGradJob, splitLMBatch } from './jobs';
import { StepResult } from './train';
import type { WorkerRequest } from './worker';

/** A worker's answer (one flat shape: notebooks compile this file without strictNullChecks, where union narrowing is unavailable). */
type Reply = { id: number; ok: boolean; result?: unknown; error?: string };

/** Default worker count: one per core, but no workers at all on a single core. */
export function defaultWorkers(): number {
  const env = process.env.SR_WORKERS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 0) throw new Error(`SR_WORKERS='${env}' must be a non-negative integer`);
    return n;
  }
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  return cores > 1 ? cores : 0;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  /** Weights version each worker holds (to avoid resending unchanged weights). */
  private readonly held: number[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** Set when a worker dies: every later call rejects with it rather than waiting on a dead thread. */
  private failure: Error | null = null;
  /** Set by close(), so the workers' own exits are not taken for crashes. */
  private closing = false;

  private constructor(readonly model: Transformer, readonly size: number) {}

  /** Starts `workers` threads holding replicas of `model` (0: in-process). */
  static async create(model: Transformer, workers = defaultWorkers()): Promise<WorkerPool> {
    const pool = new WorkerPool(model, workers);
    const backend = backendReport()?.chosen ?? 'wasm';
    try {
      await Promise.all(Array.from({ length: workers }, (_, i) => pool.start(i, model.config, backend)));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  private start(i: number, config: ModelConfig, backend: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const w = new Worker(path.join(__dirname, 'worker-entry.js'), { workerData: { config, backend } });
      this.workers.push(w);
      this.held.push(-1);
      w.once('message', (m: { ready: boolean; error?: string }) => {
        if (!m.ready) { reject(new Error(`worker ${i} failed to start: ${m.error}`)); return; }
        w.on('message', (r: Reply) => this.settle(r));
        resolve();
      });
      // A worker can die at any time (uncaught error, out of memory, process.exit): its jobs never answer.
      w.on('error', (e: unknown) => {
        // Not `instanceof Error`: errors cloned from a worker may come from another realm.
        const message = typeof (e as { message?: unknown })?.message === 'string' ? (e as Error).message : String(e);
        const err = new Error(`worker ${i} died: ${message}`);
        reject(err);
        this.fail(err);
      });
      w.on('exit', (code: number) => {
        if (this.closing) return;
        const err = new Error(`worker ${i} exited with code ${code}`);
        reject(err);
        this.fail(err);
      });
    });
  }

  /** Rejects every pending job with `err` and stops the other workers: a shard is lost, so the step is. */
  private fail(err: Error): void {
    if (this.failure || this.closing) return;
    this.failure = err;
    for (const p of this.waiting.values()) p.reject(err);
    this.waiting.clear();
    this.closing = true;
    for (const w of this.workers) void w.terminate();
  }

  private settle(r: Reply): void {
    const p = this.waiting.get(r.id);
    if (!p) return;
    this.waiting.delete(r.id);
    if (r.ok) p.resolve(r.result);
    else p.reject(new Error(`worker: ${r.error}`));
  }

  private request<T>(i: number, msg: WorkerRequest & { id: number }, version: number, weights: Float32Array): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.held[i] !== version) {
      (msg as { weights?: Float32Array }).weights = weights;
      this.held[i] = version;
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(msg.id, { resolve: resolve as (v: unknown) => void, reject });
      this.workers[i].postMessage(msg);
    });
  }

  private version = 0;
  private cached: Float32Array | null = null;

  /** Call after the main model's weights change (AdamW step, checkpoint load). */
  invalidate(): void {
    this.version++;
    this.cached = null;
  }

  private async weights(): Promise<Float32Array> {
    if (!this.cached) this.cached = flatten(this.model.config, await this.model.read());
    return this.cached;
  }

  /** Runs gradient jobs, one per worker (in-process when the pool has no workers). */
  async gradients(jobs: GradJob[]): Promise<GradResult[]> {
    if (this.size === 0) {
      const out: GradResult[] = [];
      for (const j of jobs) out.push(await runGradJob(this.model, j));
      return out;
    }
    if (this.failure) throw this.failure;
    if (jobs.length > this.size) throw new Error(`gradients: ${jobs.length} jobs for ${this.size} workers`);
    const w = await this.weights();
    return Promise.all(jobs.map((job, i) => this.request<GradResult>(i, { type: 'grad', id: this.nextId++, job }, this.version, w)));
  }

  /**
   * log p(target) at every position of each batch under explicit weights (e.g. the frozen π_ref),
   * one batch per worker. The workers then hold those weights, so the policy's are sent again
   * with the next job.
   */
  async tokenLogProbs(weights: Float32Array, batches: readonly LMBatch[]): Promise<Float32Array[]> {
    if (this.size === 0) throw new Error('tokenLogProbs: the pool has no workers (compute in-process)');
    if (this.failure) throw this.failure;
    if (batches.length > this.size) throw new Error(`tokenLogProbs: ${batches.length} batches for ${this.size} workers`);
    // Version −2 is never the policy's, so its weights go out again with the next job.
    return Promise.all(batches.map((lm, i) => this.request<Float32Array>(i, { type: 'logprobs', id: this.nextId++, batch: lm.batch, targets: lm.targets }, -2, weights)));
  }

  /** `sample` with rows sharded across workers; same tokens as the in-process call. */
  async sample(opts: SampleOptions): Promise<SampleResult> {
    if (this.size === 0) return sample(this.model.params, this.model.config, opts);
    if (this.failure) throw this.failure;
    const B = opts.prompts.length;
    const rowRngs = opts.rowRngs ?? opts.prompts.map(() => opts.rng.fork());
    const per = Math.ceil(B / this.size);
    const w = await this.weights();
    const shards: Promise<SampleResult>[] = [];
    for (let i = 0, start = 0; start < B; i++, start += per) {
      const end = Math.min(B, start + per);
      const { rng: _rng, rowRngs: _rows, ...rest } = opts;
      const part = { ...rest, prompts: opts.prompts.slice(start, end), forcedPrefix: opts.forcedPrefix?.slice(start, end) };
      shards.push(this.request<SampleResult>(i, { type: 'sample', id: this.nextId++, opts: part, rowStates: rowRngs.slice(start, end).map((r) => r.getState()) }, this.version, w));
    }
    const parts = await Promise.all(shards);
    return {
      tokens: parts.flatMap((p) => p.tokens),
      logProbs: parts.flatMap((p) => p.logProbs),
      entropies: parts.flatMap((p) => p.entropies),
      forced: parts.flatMap((p) => p.forced),
      stopped: parts.flatMap((p) => p.stopped),
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const w of this.workers) w.postMessage({ type: 'close' });
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

/** Result of a data-parallel step: mean loss, gradient norm, and the shards' summed stats. */
export interface ParallelStepResult extends StepResult {
  count: number;
  stats: Record<string, number>;
  /**
   * Where the step's time went: `grad_s` waiting for the shards' gradients (of which `compute_s`,
   * the slowest shard's own compute; the rest is transfer and messaging), `merge_s` summing and
   * clipping them, `adamw_s` the optimizer.
   */
  timing: { grad_s: number; compute_s: number; merge_s: number; adamw_s: number };
}

/**
 * One data-parallel optimisation step over pre-split shards (one per worker): sum the shards'
 * gradients of their loss sums, divide by the total count (= the full batch's mean-loss gradient),
 * clip, AdamW.
 */
export async function dataParallelStep(pool: WorkerPool, opt: AdamW, jobs: GradJob[], lr: number, clipNorm = 1.0, normalizer?: number): Promise<ParallelStepResult> {
  const t0 = performance.now();
  const results = await pool.gradients(jobs);
  const t1 = performance.now();
  // `normalizer` counts items whose gradient is known to be zero and were not computed (GRPO rows with Â = 0).
  const count = Math.max(1, normalizer ?? results.reduce((n, r) => n + r.count, 0));
  const sum = new Float32Array(results[0].grads.length);
  for (const r of results) for (let i = 0; i < sum.length; i++) sum[i] += r.grads[i];
  for (let i = 0; i < sum.length; i++) sum[i] /= count;
  const model = pool.model;
  const parts = unflatten(model.config, sum);
  const grads: Record<string, tf.Tensor> = {};
  for (const n of model.names) grads[n] = tf.tensor(parts[n], model.params[n].shape);
  const clipped = clipByGlobalNorm(grads, clipNorm);
  const gradNorm = (await clipped.norm.data())[0];
  const t2 = performance.now();
  opt.apply(clipped.grads, lr);
  pool.invalidate();
  const t3 = performance.now();
  tf.dispose([Object.values(grads), Object.values(clipped.grads), clipped.norm]);
  const stats: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.stats)) stats[k] = (stats[k] ?? 0) + v;
  const timing = { grad_s: (t1 - t0) / 1000, compute_s: Math.max(...results.map((r) => r.seconds ?? 0)), merge_s: (t2 - t1) / 1000, adamw_s: (t3 - t2) / 1000 };
  return { loss: results.reduce((s, r) => s + r.lossSum, 0) / count, gradNorm, count, stats, timing };
}

/** One data-parallel language-model step: rows sharded contiguously over the pool's workers. */
export async function dataParallelLMStep(pool: WorkerPool, opt: AdamW, lm: LMBatch, lr: number, clipNorm = 1.0): Promise<ParallelStepResult> {
  const jobs = splitLMBatch(lm, Math.max(1, pool.size)).map((shard) => ({ kind: 'lm' as const, lm: shard }));
  return dataParallelStep(pool, opt, jobs, lr, clipNorm);
}
