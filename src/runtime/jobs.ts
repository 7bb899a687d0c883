/**
 * Units of work that run the same way in-process or in a data-parallel worker.
 * A gradient job returns the gradient of a *sum* over its rows plus that sum's normaliser, so
 * shards combine exactly: full-batch mean gradient = Σ shard gradients / Σ shard counts.
 */
import * as tf from '@tensorflow/tfjs';
import { LMBatch } from '../model/batch';
import { flatten } from '../model/flat';
import { Transformer, tokenLogProbs } from '../model/transformer';
import { ClipMode, LossAggregation, SurrogateDiagnosticTensors, grpoSurrogate, readSurrogateDiagnostics } from '../model/surrogate';
import { parameterGrads } from './train';

/** Next-token prediction: lossSum = Σ lossMask·(−log p(target)), count = Σ lossMask. */
export interface LMGradJob {
  kind: 'lm';
  lm: LMBatch;
}

/**
 * GRPO policy-gradient shard: rows are prompt+response, `targets` the next tokens, `lossMask`
 * 1 where the target is a sampled response token. lossSum is the shard's surrogate *summed* at
 * the level the aggregation averages over — N · (mean over responses of token means) for
 * 'sequence-mean', tokens · (token mean) for 'token-mean' — so the caller divides Σ shards by the
 * mini-batch's response or token count; count = N.
 */
export interface GrpoGradJob {
  kind: 'grpo';
  lm: LMBatch;
  /** [B·T] log π_old of each target (0 where responseMask is 0). */
  oldLogProbs: Float32Array;
  /** [B] Â per response. */
  advantages: Float32Array;
  epsLow: number;
  epsHigh: number;
  clipMode: ClipMode;
  /** Default 'sequence-mean' (the paper's). */
  aggregation?: LossAggregation;
  /** β and [B·T] log π_ref of each target, for the optional KL penalty. */
  klCoef?: number;
  refLogProbs?: Float32Array;
}

/**
 * Several jobs run by one worker, their results summed: how a mini-batch's rows go to a worker in
 * length buckets, each padded only to its own longest row.
 */
export interface MultiGradJob {
  kind: 'multi';
  jobs: (LMGradJob | GrpoGradJob)[];
}

export type GradJob = LMGradJob | GrpoGradJob | MultiGradJob;

export interface GradResult {
  /** Gradient of lossSum, flat in parameterShapes order. */
  grads: Float32Array;
  lossSum: number;
  count: number;
  /** Extra sums that combine across shards by addition (e.g. clipped-token counts). */
  stats: Record<string, number>;
  /** Seconds spent computing this job (forward, backward, reading gradients), for profiles. */
  seconds?: number;
}

function lmLossSum(model: Transformer, job: LMGradJob): () => tf.Scalar {
  const { batch, targets, lossMask } = job.lm;
  return () => tf.neg(tf.sum(tf.mul(tf.reshape(tokenLogProbs(model.params, model.config, batch, targets), [-1]), tf.tensor1d(lossMask)))) as tf.Scalar;
}

function grpoLossSum(model: Transformer, job: GrpoGradJob, diag: { d: SurrogateDiagnosticTensors | null }): () => tf.Scalar {
  const { batch, targets, lossMask } = job.lm;
  const { B, T } = batch;
  return () => {
    const newLogProbs = tokenLogProbs(model.params, model.config, batch, targets);
    const out = grpoSurrogate({
      newLogProbs,
      oldLogProbs: tf.tensor2d(job.oldLogProbs, [B, T]),
      advantages: tf.tensor1d(job.advantages),
      mask: tf.tensor2d(lossMask, [B, T]),
      epsLow: job.epsLow,
      epsHigh: job.epsHigh,
      clipMode: job.clipMode,
      klCoef: job.klCoef,
      refLogProbs: job.refLogProbs && tf.tensor2d(job.refLogProbs, [B, T]),
      aggregation: job.aggregation,
    });
    diag.d = out.diagnostics;
    return tf.mul(out.loss, job.aggregation === 'token-mean' ? job.lm.lossMask.reduce((a, b) => a + b, 0) : B) as tf.Scalar;
  };
}

export async function runGradJob(model: Transformer, job: GradJob): Promise<GradResult> {
  if (job.kind === 'multi') return runMultiJob(model, job);
  if (job.kind !== 'lm' && job.kind !== 'grpo') throw new Error(`unknown gradient job kind '${(job as { kind: string }).kind}'`);
  const t0 = performance.now();
  const diag: { d: SurrogateDiagnosticTensors | null } = { d: null };
  const tokens = job.lm.lossMask.reduce((a, b) => a + b, 0);
  // The normaliser's unit: tokens for the LM loss and token-mean GRPO, responses for sequence-mean.
  const count = job.kind === 'lm' || job.aggregation === 'token-mean' ? tokens : job.lm.batch.B;
  const { value, grads } = parameterGrads(model, job.kind === 'lm' ? lmLossSum(model, job) : grpoLossSum(model, job, diag));
  const names = model.names;
  const arrays = await Promise.all(names.map((n) => grads[n].data() as Promise<Float32Array>));
  const lossSum = (await value.data())[0];
  tf.dispose([value, Object.values(grads)]);
  const stats: Record<string, number> = { tokens };
  if (diag.d) {
    const d = await readSurrogateDiagnostics(diag.d);
    // Token-weighted sums, so shards combine into batch-level fractions.
    stats.clippedHigh = d.clipFracHigh * tokens;
    stats.clippedLow = d.clipFracLow * tokens;
    stats.absRatioDev = d.meanAbsRatioDev * tokens;
  }
  const byName: Record<string, Float32Array> = {};
  names.forEach((n, i) => { byName[n] = arrays[i]; });
  return { grads: flatten(model.config, byName), lossSum, count, stats, seconds: (performance.now() - t0) / 1000 };
}

async function runMultiJob(model: Transformer, job: MultiGradJob): Promise<GradResult> {
  if (job.jobs.length === 0) throw new Error('multi gradient job: no jobs');
  const parts: GradResult[] = [];
  for (const j of job.jobs) parts.push(await runGradJob(model, j));
  const grads = parts[0].grads;
  for (const p of parts.slice(1)) for (let i = 0; i < grads.length; i++) grads[i] += p.grads[i];
  const stats: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.stats)) stats[k] = (stats[k] ?? 0) + v;
  return { grads, lossSum: parts.reduce((a, p) => a + p.lossSum, 0), count: parts.reduce((a, p) => a + p.count, 0), stats, seconds: parts.reduce((a, p) => a + (p.seconds ?? 0), 0) };
}

/** Splits a batch's rows into `parts` contiguous shards (empty shards are dropped). */
export function splitLMBatch(lm: LMBatch, parts: number): LMBatch[] {
  const { B, T } = lm.batch;
  const out: LMBatch[] = [];
  const per = Math.ceil(B / parts);
  for (let start = 0; start < B; start += per) {
    const end = Math.min(B, start + per);
    const sl = <A extends Int32Array | Float32Array>(a: A) => a.slice(start * T, end * T) as A;
    out.push({
      batch: { B: end - start, T, tokens: sl(lm.batch.tokens), positions: lm.batch.positions && sl(lm.batch.positions), keyMask: lm.batch.keyMask && sl(lm.batch.keyMask) },
      targets: sl(lm.targets),
      lossMask: sl(lm.lossMask),
    });
  }
  return out;
}
