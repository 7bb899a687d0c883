/**
 * Batched sampling with a KV cache. Rows may have prompts of different lengths (left-padded,
 * padding masked as attention keys, positions counted from each row's first real token) and an
 * optional forced prefix (tokens fed instead of sampled, e.g. "Let's solve this using Python.").
 * Returns each generated token with its log-probability under the sampling policy: GRPO's π_old.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { ModelConfig } from './config';
import { KVCache, Params, decodeStep, disposeCache, forward } from './transformer';

export interface SampleOptions {
  /** Token ids of each row's prompt (at least one token each). */
  prompts: number[][];
  maxNewTokens: number;
  /** Softmax temperature τ; 0 means greedy (argmax). */
  temperature: number;
  /** Generation of a row ends after it emits this token (the token is kept). */
  stopToken?: number;
  /** Per row, tokens to emit first instead of sampling (null/undefined: none). */
  forcedPrefix?: (number[] | null | undefined)[];
  /** Id fed for padding slots (masked out; any valid id). Default 0. */
  padToken?: number;
  /** Source of each row's sampling stream (one `fork()` per row, in row order). */
  rng: Rng;
  /** Explicit per-row streams (overrides `rng`); used to shard rows across workers. */
  rowRngs?: Rng[];
}

export interface SampleResult {
  /** Generated tokens per row (forced prefix first; stop token included when emitted). */
  tokens: number[][];
  /**
   * log π(token | context) per generated token, under softmax(logits/τ) for τ > 0 and under
   * the model's own distribution (τ = 1) for greedy decoding.
   */
  logProbs: number[][];
  /** Entropy (nats) of the sampling distribution at each generated position. */
  entropies: number[][];
  /** Number of forced tokens at the start of each row. */
  forced: number[];
  /** Whether the row ended with the stop token. */
  stopped: boolean[];
}

/** Samples continuations of every prompt. */
export async function sample(p: Params, cfg: ModelConfig, opts: SampleOptions): Promise<SampleResult> {
  const { prompts, maxNewTokens, temperature, rng } = opts;
  const B = prompts.length;
  const pad = opts.padToken ?? 0;
  if (B === 0) return { tokens: [], logProbs: [], entropies: [], forced: [], stopped: [] };
  if (!(temperature >= 0)) throw new Error(`sample: temperature must be ≥ 0, got ${temperature}`);
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) throw new Error(`sample: maxNewTokens must be a non-negative integer, got ${maxNewTokens}`);
  const lens = prompts.map((r, i) => {
    if (r.length === 0) throw new Error(`sample: prompt ${i} is empty`);
    return r.length;
  });
  const P = Math.max(...lens);
  const longest = Math.max(...lens.map((l) => l + maxNewTokens - 1));
  if (longest > cfg.contextLength) {
    throw new Error(`sample: prompt length + maxNewTokens = ${longest} exceeds the model's contextLength ${cfg.contextLength}`);
  }
  const forcedRows = prompts.map((_, i) => opts.forcedPrefix?.[i] ?? []);
  // One stream per row: a row's sample does not depend on which other rows share its batch,
  // so splitting rows across data-parallel workers gives the same tokens.
  const rowRng = opts.rowRngs ?? prompts.map(() => rng.fork());
  if (rowRng.length !== B) throw new Error(`sample: rowRngs has ${rowRng.length} entries for ${B} prompts`);

  const result: SampleResult = {
    tokens: prompts.map(() => []),
    logProbs: prompts.map(() => []),
    entropies: prompts.map(() => []),
    forced: forcedRows.map((f) => Math.min(f.length, maxNewTokens)),
    stopped: prompts.map(() => false),
  };
  if (maxNewTokens === 0) return result;

  // ---- prefill: left-pad prompts, run the full forward once, keep keys/values -------------
  // Identical prompts (GRPO's G rollouts of one prompt) are run once and their cache rows copied:
  // a row's numbers do not depend on its batch, so every copy is what its own forward would give.
  const firstOf = new Map<string, number>();
  const uniq: number[] = []; // unique prompt → its first row
  const srcOf = prompts.map((r, b) => {
    const key = r.join(',');
    let u = firstOf.get(key);
    if (u === undefined) { u = uniq.length; firstOf.set(key, u); uniq.push(b); }
    return u;
  });
  const U = uniq.length;
  const tokens = new Int32Array(U * P).fill(pad);
  const positions = new Int32Array(U * P);
  const keyMask = new Float32Array(B * P);
  for (let b = 0; b < B; b++) {
    const off = P - lens[b];
    for (let j = 0; j < lens[b]; j++) keyMask[b * P + off + j] = 1;
  }
  uniq.forEach((b, u) => {
    const off = P - lens[b];
    for (let j = 0; j < lens[b]; j++) {
      tokens[u * P + off + j] = prompts[b][j];
      positions[u * P + off + j] = j;
    }
  });
  const uMask = new Float32Array(U * P);
  uniq.forEach((b, u) => uMask.set(keyMask.subarray(b * P, (b + 1) * P), u * P));
  let cache: KVCache = { k: [], v: [] };
  const V = cfg.vocabSize;
  let logits = tf.tidy(() => {
    const out = forward(p, cfg, { tokens, positions, keyMask: uMask, B: U, T: P }, { returnKV: true });
    cache = { k: out.kv!.k.map((t) => tf.keep(t)), v: out.kv!.v.map((t) => tf.keep(t)) };
    return tf.reshape(tf.slice(tf.reshape(out.logits, [U, P, V]), [0, P - 1, 0], [U, 1, V]), [U, V]) as tf.Tensor2D;
  });
  if (U < B) {
    const uc = cache;
    cache = { k: uc.k.map((t) => keepRows(t, srcOf, cfg.nHeads)), v: uc.v.map((t) => keepRows(t, srcOf, cfg.nHeads)) };
    disposeCache(uc);
    const lu = logits.dataSync() as Float32Array;
    const lb = new Float32Array(B * V);
    srcOf.forEach((u, b) => lb.set(lu.subarray(u * V, (u + 1) * V), b * V));
    logits.dispose();
    logits = tf.tensor2d(lb, [B, V]);
  }

  // ---- decode ------------------------------------------------------------------------------
  // The batch holds only rows still generating: once enough rows have stopped, their slots are
  // dropped from the KV cache (a row's numbers never depend on the other rows of its batch, so
  // the kept rows decode exactly as before while the work shrinks with the rows still running).
  const H = cfg.nHeads;
  let slots = Array.from({ length: B }, (_, b) => b); // batch slot → row
  let mask = Float32Array.from(keyMask);
  const live = new Array<boolean>(B).fill(true);
  try {
    for (let i = 0; i < maxNewTokens; i++) {
      const values = (await logits.data()) as Float32Array; // one read per step
      logits.dispose();
      const V = cfg.vocabSize;
      const Bc = slots.length;
      const stepTokens = new Int32Array(Bc);
      for (let s = 0; s < Bc; s++) {
        const b = slots[s];
        if (!live[b]) { stepTokens[s] = pad; continue; }
        const row = values.subarray(s * V, (s + 1) * V);
        const forcedTok = forcedRows[b][i];
        const tok = forcedTok !== undefined ? forcedTok : temperature === 0 ? argmax(row) : sampleSoftmax(row, temperature, rowRng[b]);
        if (!Number.isInteger(tok) || tok < 0 || tok >= V) throw new Error(`sample: forced token ${tok} in row ${b} is not a valid id`);
        result.tokens[b].push(tok);
        result.logProbs[b].push(logSoftmaxAt(row, temperature === 0 ? 1 : temperature, tok));
        result.entropies[b].push(entropyOf(row, temperature === 0 ? 1 : temperature));
        stepTokens[s] = tok;
        if (opts.stopToken !== undefined && tok === opts.stopToken && forcedTok === undefined) {
          live[b] = false;
          result.stopped[b] = true;
        }
      }
      if (i === maxNewTokens - 1 || !live.some((x) => x)) { logits = tf.zeros([0, 0]); break; }
      const T0 = mask.length / Bc;
      const keep = slots.map((b, s) => (live[b] ? s : -1)).filter((s) => s >= 0);
      if (Bc - keep.length >= Math.max(1, Bc / 4)) {
        // Compact: keep the running rows' cache, mask and step token.
        const old = cache;
        cache = { k: old.k.map((t) => keepRows(t, keep, H)), v: old.v.map((t) => keepRows(t, keep, H)) };
        disposeCache(old);
        const m = new Float32Array(keep.length * T0);
        keep.forEach((s, j) => m.set(mask.subarray(s * T0, (s + 1) * T0), j * T0));
        mask = m;
        slots = keep.map((s) => slots[s]);
      }
      const Bn = slots.length;
      const tokensNow = new Int32Array(Bn);
      const stepPositions = new Int32Array(Bn);
      const grown = new Float32Array(Bn * (T0 + 1));
      for (let j = 0; j < Bn; j++) {
        const b = slots[j];
        stepPositions[j] = lens[b] + i;
        // Finished rows that are still in the batch keep decoding padding; their key is masked.
        grown.set(mask.subarray(j * T0, (j + 1) * T0), j * (T0 + 1));
        grown[j * (T0 + 1) + T0] = live[b] || result.tokens[b].length > i ? 1 : 0;
      }
      const prevSlot = Bn === Bc ? null : keep;
      for (let j = 0; j < Bn; j++) tokensNow[j] = stepTokens[prevSlot ? prevSlot[j] : j];
      mask = grown;
      const keyMaskT = tf.tensor2d(grown, [Bn, T0 + 1]);
      const out = decodeStep(p, cfg, tokensNow, stepPositions, cache, keyMaskT);
      keyMaskT.dispose();
      cache = out.cache;
      logits = out.logits;
    }
  } finally {
    logits.dispose();
    disposeCache(cache);
  }
  return result;
}

/**
 * The cache rows of the kept batch slots (each slot owns `heads` consecutive rows), copied on the
 * JS side: an exact copy, several times faster than tf.gather on wasm for these sizes.
 */
function keepRows(t: tf.Tensor3D, slots: readonly number[], heads: number): tf.Tensor3D {
  const [, T, hd] = t.shape;
  const per = heads * T * hd;
  const src = t.dataSync() as Float32Array;
  const out = new Float32Array(slots.length * per);
  slots.forEach((s, j) => out.set(src.subarray(s * per, (s + 1) * per), j * per));
  return tf.tensor3d(out, [slots.length * heads, T, hd]);
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

/** log softmax(row/τ)[tok], in float64. */
export function logSoftmaxAt(row: Float32Array, tau: number, tok: number): number {
  let max = -Infinity;
  for (let j = 0; j < row.length; j++) max = Math.max(max, row[j] / tau);
  let z = 0;
  for (let j = 0; j < row.length; j++) z += Math.exp(row[j] / tau - max);
  return row[tok] / tau - max - Math.log(z);
}

/** Entropy of softmax(row/τ), in nats. */
export function entropyOf(row: Float32Array, tau: number): number {
  let max = -Infinity;
  for (let j = 0; j < row.length; j++) max = Math.max(max, row[j] / tau);
  let z = 0;
  let s = 0;
  for (let j = 0; j < row.length; j++) {
    const a = row[j] / tau - max;
    const e = Math.exp(a);
    z += e;
    s += e * a;
  }
  return Math.log(z) - s / z;
}

function sampleSoftmax(row: Float32Array, tau: number, rng: Rng): number {
  let max = -Infinity;
  for (let j = 0; j < row.length; j++) max = Math.max(max, row[j] / tau);
  const w = new Float64Array(row.length);
  let z = 0;
  for (let j = 0; j < row.length; j++) z += w[j] = Math.exp(row[j] / tau - max);
  let u = rng.next() * z;
  for (let j = 0; j < row.length; j++) {
    u -= w[j];
    if (u < 0) return j;
  }
  return row.length - 1;
}
