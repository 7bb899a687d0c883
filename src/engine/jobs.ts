/**
 * Units of work that run the same way in-process or in a data-parallel worker.
 * A gradient job returns the gradient of a *sum* over its rows plus that sum's normaliser, so
 * shards combine exactly: full-batch mean gradient = Σ shard gradients / Σ shard counts.
 */
import * as tf from '@tensorflow/tfjs';
import { LMBatch } from '../model/batch';
import { flatten } from '../model/flat';
import { Transformer, tokenLogProbs } from '../model/transformer';
import { parameterGrads } from './train';

/** Next-token prediction: lossSum = Σ lossMask·(−log p(target)), count = Σ lossMask. */
export interface LMGradJob {
  kind: 'lm';
  lm: LMBatch;
}

export type GradJob = LMGradJob;

export interface GradResult {
  /** Gradient of lossSum, flat in parameterShapes order. */
  grads: Float32Array;
  lossSum: number;
  count: number;
}

function lmLossSum(model: Transformer, job: LMGradJob): () => tf.Scalar {
  const { batch, targets, lossMask } = job.lm;
  return () => tf.neg(tf.sum(tf.mul(tf.reshape(tokenLogProbs(model.params, model.config, batch, targets), [-1]), tf.tensor1d(lossMask)))) as tf.Scalar;
}

export async function runGradJob(model: Transformer, job: GradJob): Promise<GradResult> {
  if (job.kind !== 'lm') throw new Error(`unknown gradient job kind '${(job as { kind: string }).kind}'`);
  const count = job.lm.lossMask.reduce((a, b) => a + b, 0);
  const { value, grads } = parameterGrads(model, lmLossSum(model, job));
  const names = model.names;
  const arrays = await Promise.all(names.map((n) => grads[n].data() as Promise<Float32Array>));
  const lossSum = (await value.data())[0];
  tf.dispose([value, Object.values(grads)]);
  const byName: Record<string, Float32Array> = {};
  names.forEach((n, i) => { byName[n] = arrays[i]; });
  return { grads: flatten(model.config, byName), lossSum, count };
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
