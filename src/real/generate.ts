/**
 * n samples of one prompt with a KV cache: the prompt is prefilled once and its cache copied to n
 * rows, so no padding is needed. Each sampled token comes with its log-probability under the
 * sampling distribution (GRPO's π_old); rows stop after emitting an EOS id (kept in the output)
 * and leave the batch.
 */
import * as tf from '@tensorflow/tfjs';
import { RealKVCache, RealModel } from './model';

export interface GenerateOptions {
  maxNewTokens: number;
  /** Softmax temperature τ; 0 is greedy (argmax). */
  temperature: number;
  /** Ids that end a row (the id is kept as the row's last token). */
  eosIds: number[];
  /** Uniform [0, 1) source, e.g. `() => rng.next()` of the project's seeded Rng. */
  rng: () => number;
}

export interface GenerateResult {
  /** Generated tokens per sample (prompt excluded). */
  tokens: number[][];
  /** log π(token | context) per generated token: under softmax(logits/τ), or softmax(logits) when greedy. */
  logProbs: number[][];
}

/** One row's choice and its log-probability, from float32 logits, in float64. */
export function chooseToken(row: Float32Array, temperature: number, u: number): { token: number; logProb: number } {
  const tau = temperature === 0 ? 1 : temperature;
  let max = -Infinity;
  let best = 0;
  for (let j = 0; j < row.length; j++) {
    if (row[j] > row[best]) best = j;
    max = Math.max(max, row[j] / tau);
  }
  const w = new Float64Array(row.length);
  let z = 0;
  for (let j = 0; j < row.length; j++) z += w[j] = Math.exp(row[j] / tau - max);
  let token = best;
  if (temperature > 0) {
    let r = u * z;
    for (let j = 0; j < row.length; j++) {
      if (w[j] > 0) token = j; //        if rounding leaves r ≥ 0 at the end, the last possible token
      r -= w[j];
      if (r < 0) break;
    }
  }
  return { token, logProb: row[token] / tau - max - Math.log(z) };
}

export async function generate(model: RealModel, promptIds: number[], n: number, opts: GenerateOptions): Promise<GenerateResult> {
  const { maxNewTokens, temperature, rng } = opts;
  if (promptIds.length === 0) throw new Error('generate: the prompt is empty');
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`generate: n must be a positive integer, got ${n}`);
  if (!(Number.isInteger(maxNewTokens) && maxNewTokens >= 0)) throw new Error(`generate: maxNewTokens must be a non-negative integer, got ${maxNewTokens}`);
  if (!(temperature >= 0)) throw new Error(`generate: temperature must be ≥ 0, got ${temperature}`);
  const eos = new Set(opts.eosIds);
  const out: GenerateResult = { tokens: Array.from({ length: n }, () => []), logProbs: Array.from({ length: n }, () => []) };
  if (maxNewTokens === 0) return out;
  const V = model.cfg.vocabSize;

  // Prefill one row, then copy its cache to n rows.
  const first = model.forward([promptIds], undefined, { lastOnly: true });
  let logits: tf.Tensor = first.logits; //                                              [1, 1, V]
  const kv = first.cache as RealKVCache;
  try {
    kv.selectRows(new Array<number>(n).fill(0));
    let rows = Array.from({ length: n }, (_, i) => i); // batch slot → sample index
    let shared = true; //                                 the first step's logits are one row for all samples
    for (let step = 0; step < maxNewTokens; step++) {
      const values = (await logits.data()) as Float32Array;
      logits.dispose();
      const next: number[] = [];
      const keep: number[] = [];
      rows.forEach((s, slot) => {
        const row = values.subarray((shared ? 0 : slot) * V, ((shared ? 0 : slot) + 1) * V);
        const { token, logProb } = chooseToken(row, temperature, temperature > 0 ? rng() : 0);
        out.tokens[s].push(token);
        out.logProbs[s].push(logProb);
        if (!eos.has(token)) { keep.push(slot); next.push(token); }
      });
      shared = false;
      if (keep.length === 0 || step === maxNewTokens - 1) break;
      if (keep.length < rows.length) {
        kv.selectRows(keep);
        rows = keep.map((slot) => rows[slot]);
      }
      logits = model.forward(next.map((t) => [t]), kv, { lastOnly: true }).logits; //    [B, 1, V]
    }
  } finally {
    logits.dispose();
    kv.dispose();
  }
  return out;
}
