/** Turning token rows into next-token-prediction batches (right-padded). */
import { TokenBatch } from './transformer';

export interface LMBatch {
  batch: TokenBatch;
  /** [B·T] the token to predict at each position (the input shifted left by one). */
  targets: Int32Array;
  /** [B·T] 1 where the target is a real token. */
  lossMask: Float32Array;
}

/**
 * Packs rows of ids into inputs row[0..n−2] → targets row[1..n−1], right-padded to T = longest−1
 * (or `T` if given; longer rows are an error rather than silently cut).
 */
export function lmBatch(rows: readonly (readonly number[])[], pad = 0, T?: number): LMBatch {
  const B = rows.length;
  const need = Math.max(1, ...rows.map((r) => r.length - 1));
  const len = T ?? need;
  if (need > len) throw new Error(`lmBatch: a row needs ${need} positions, T is ${len}`);
  const tokens = new Int32Array(B * len).fill(pad);
  const targets = new Int32Array(B * len).fill(pad);
  const lossMask = new Float32Array(B * len);
  rows.forEach((r, b) => {
    for (let j = 0; j + 1 < r.length; j++) {
      tokens[b * len + j] = r[j];
      targets[b * len + j] = r[j + 1];
      lossMask[b * len + j] = 1;
    }
  });
  return { batch: { tokens, B, T: len }, targets, lossMask };
}
