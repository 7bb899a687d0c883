/**
 * The forward pass of Hugging Face Qwen2, Llama and Olmo2 decoders in tfjs, with a KV cache.
 *
 * All three are RMSNorm / RoPE / grouped-query attention / SwiGLU decoders; they differ in:
 *   qwen2  pre-norm; q/k/v projections with bias, o_proj without; often tied embeddings.
 *   llama  pre-norm; biases only if attention_bias / mlp_bias; Llama-3 RoPE scaling.
 *   olmo2  post-norm: h = x + norm(attn(x)), out = h + norm(mlp(h)), no input norm; q and k are
 *          RMS-normalised over their full projected width (all heads together) before RoPE.
 *
 * Shapes: B rows, T new positions, P cached positions, N = B·T, D hidden, H query heads,
 * K key/value heads, R = H/K queries per key head, hd head width, I MLP width, V vocabulary.
 */
import * as tf from '@tensorflow/tfjs';
import { mix, scores } from '../model/kernels';
import { RealArch, RealModelConfig, readRealConfig } from './config';
import { gatherColumns, gatherRows, pickColumns, project, rmsNorm, silu } from './ops';
import { applyRope, ropeInvFreq, ropeTables } from './rope';
import { openCheckpointTensors } from './safetensors';
import { EMBED, FINAL_NORM, LM_HEAD, layerPrefix, loadWeights } from './weights';

export type { RealArch, RealModelConfig } from './config';

export interface KVCache {
  /** Positions already cached (the same for every row). */
  length: number;
  dispose(): void;
}

export interface RealModel {
  cfg: RealModelConfig;
  /** Trainable weights, in checkpoint order (for GRPO / AdamW). */
  variables: tf.Variable[];
  /** The same variables by checkpoint tensor name. Projection matrices and the output head are stored transposed, [in, out]. */
  params: Record<string, tf.Variable>;
  /**
   * Prefill or continue: ids [B][T] (all rows the same length) → logits [B, T, V]. A given cache is
   * grown in place (its old tensors are released) and returned; without one a new cache is made.
   * `lastOnly` returns only the last position's logits, [B, 1, V] (what decoding needs).
   */
  forward(ids: number[][], cache?: KVCache, opts?: { lastOnly?: boolean }): { logits: tf.Tensor3D; cache: KVCache };
  /** Differentiable log π(ids[b][t] | ids[b][<t]) for t ≥ 1 → [B, T−1], logits divided by temperature first. */
  sequenceLogProbs(ids: tf.Tensor2D, temperature?: number): tf.Tensor2D;
  dispose(): void;
}

const NEG = -1e9;

/** Per-layer keys and values after RoPE, each [B·K, P, hd]. */
export class RealKVCache implements KVCache {
  length = 0;
  k: tf.Tensor3D[] = [];
  v: tf.Tensor3D[] = [];

  constructor(readonly numKvHeads: number) {}

  /** Rows of the batch the cache holds (0 before the first forward). */
  get batch(): number {
    return this.k.length ? this.k[0].shape[0] / this.numKvHeads : 0;
  }

  /** Keeps the given rows, in this order (repeats allowed: one prefilled prompt → n samples). */
  selectRows(rows: readonly number[]): void {
    const K = this.numKvHeads;
    const idx = new Int32Array(rows.length * K);
    rows.forEach((r, j) => {
      if (!(r >= 0 && r < this.batch)) throw new Error(`selectRows: row ${r} is outside [0, ${this.batch})`);
      for (let h = 0; h < K; h++) idx[j * K + h] = r * K + h;
    });
    const pick = (t: tf.Tensor3D) => tf.tidy(() => tf.gather(t, tf.tensor1d(idx, 'int32'))) as tf.Tensor3D;
    const k = this.k.map(pick);
    const v = this.v.map(pick);
    this.release();
    this.k = k;
    this.v = v;
  }

  /** Replaces the tensors with the grown ones (releasing the old). */
  grow(k: tf.Tensor3D[], v: tf.Tensor3D[], added: number): void {
    this.release();
    this.k = k;
    this.v = v;
    this.length += added;
  }

  private release(): void {
    for (const t of this.k) t.dispose();
    for (const t of this.v) t.dispose();
    this.k = [];
    this.v = [];
  }

  dispose(): void {
    this.release();
    this.length = 0;
  }
}

/** Additive causal bias [R·T, P+T]: query t (at position P+t) sees keys 0..P+t. Rows repeat per query head of a group. */
function causalBias(R: number, T: number, P: number): tf.Tensor2D {
  const Tk = P + T;
  const out = new Float32Array(R * T * Tk);
  for (let r = 0; r < R; r++) {
    for (let t = 0; t < T; t++) out.fill(NEG, (r * T + t) * Tk + P + t + 1, (r * T + t + 1) * Tk);
  }
  return tf.tensor2d(out, [R * T, Tk]);
}

/** The decoder as functions of its parameters. */
class Decoder {
  private readonly invFreq: Float64Array;

  constructor(readonly cfg: RealModelConfig, readonly p: Record<string, tf.Variable>) {
    this.invFreq = ropeInvFreq(cfg);
  }

  /** x·W (+ b) with W stored [in, out]. */
  private proj(x: tf.Tensor2D, name: string, bias: boolean): tf.Tensor2D {
    const y = project(x, this.p[name + '.weight'] as tf.Tensor2D);
    return bias ? (tf.add(y, this.p[name + '.bias']) as tf.Tensor2D) : y;
  }

  private embed(ids: Int32Array): tf.Tensor2D {
    const table = this.p[EMBED] as tf.Tensor2D;
    return this.cfg.tieWordEmbeddings ? gatherColumns(table, ids) : gatherRows(table, ids); // [N, D]
  }

  /** h [M, D] → logits [M, V]. */
  head(h: tf.Tensor2D): tf.Tensor2D {
    return project(h, (this.cfg.tieWordEmbeddings ? this.p[EMBED] : this.p[LM_HEAD]) as tf.Tensor2D);
  }

  /**
   * Final hidden states [N, D] for ids (row-major [B·T]). With a cache, attends to its P positions
   * too and returns the grown keys/values (not yet stored in the cache) for the caller to keep.
   */
  hidden(ids: Int32Array, B: number, T: number, cache: RealKVCache | null): { h: tf.Tensor2D; k: tf.Tensor3D[]; v: tf.Tensor3D[] } {
    const c = this.cfg;
    const { numHeads: H, numKvHeads: K, headDim: hd, rmsNormEps: eps } = c;
    const R = H / K;
    const P = cache ? cache.length : 0;
    const olmo = c.arch === 'olmo2';
    const { cos, sin } = ropeTables(this.invFreq, P, T); //                  [T, hd]
    const bias = causalBias(R, T, P); //                                      [R·T, P+T]
    const scale = 1 / Math.sqrt(hd);
    const keys: tf.Tensor3D[] = [];
    const values: tf.Tensor3D[] = [];
    let x = this.embed(ids); //                                               [N, D]
    for (let l = 0; l < c.numLayers; l++) {
      const pre = layerPrefix(l);
      const a = pre + 'self_attn.';
      // --- attention ---------------------------------------------------------------------------
      const hIn = olmo ? x : rmsNorm(x, this.p[pre + 'input_layernorm.weight'], eps);
      let q = this.proj(hIn, a + 'q_proj', c.qkvBias); //                      [N, H·hd]
      let k = this.proj(hIn, a + 'k_proj', c.qkvBias); //                      [N, K·hd]
      const v = this.proj(hIn, a + 'v_proj', c.qkvBias); //                    [N, K·hd]
      if (olmo) {
        q = rmsNorm(q, this.p[a + 'q_norm.weight'], eps);
        k = rmsNorm(k, this.p[a + 'k_norm.weight'], eps);
      }
      const q4 = applyRope(tf.reshape(q, [B, T, H, hd]), cos, sin); //         [B, T, H, hd]
      const k4 = applyRope(tf.reshape(k, [B, T, K, hd]), cos, sin); //         [B, T, K, hd]
      // Query heads h = g·R + r share key head g: group them as [B·K, R·T, hd] against keys [B·K, P+T, hd].
      const qh = tf.reshape(tf.transpose(q4, [0, 2, 1, 3]), [B * K, R * T, hd]);
      let kh = tf.reshape(tf.transpose(k4, [0, 2, 1, 3]), [B * K, T, hd]) as tf.Tensor3D;
      let vh = tf.reshape(tf.transpose(tf.reshape(v, [B, T, K, hd]), [0, 2, 1, 3]), [B * K, T, hd]) as tf.Tensor3D;
      if (cache && P > 0) {
        kh = tf.concat([cache.k[l], kh], 1); //                                [B·K, P+T, hd]
        vh = tf.concat([cache.v[l], vh], 1);
      }
      keys.push(kh);
      values.push(vh);
      const s = tf.add(scores(tf.mul(qh, scale) as tf.Tensor3D, kh), bias); //  [B·K, R·T, P+T]; q scaled: fewer elements than the scores
      const o = mix(tf.softmax(s) as tf.Tensor3D, vh); //                      [B·K, R·T, hd]
      const oFlat = tf.reshape(tf.transpose(tf.reshape(o, [B, H, T, hd]), [0, 2, 1, 3]), [B * T, H * hd]) as tf.Tensor2D;
      const attn = this.proj(oFlat, a + 'o_proj', c.oBias); //                 [N, D]
      x = tf.add(x, olmo ? rmsNorm(attn, this.p[pre + 'post_attention_layernorm.weight'], eps) : attn) as tf.Tensor2D;
      // --- SwiGLU MLP --------------------------------------------------------------------------
      const m = olmo ? x : rmsNorm(x, this.p[pre + 'post_attention_layernorm.weight'], eps);
      const gated = tf.mul(silu(this.proj(m, pre + 'mlp.gate_proj', c.mlpBias)), this.proj(m, pre + 'mlp.up_proj', c.mlpBias)) as tf.Tensor2D; // [N, I]
      const down = this.proj(gated, pre + 'mlp.down_proj', c.mlpBias); //       [N, D]
      x = tf.add(x, olmo ? rmsNorm(down, this.p[pre + 'post_feedforward_layernorm.weight'], eps) : down) as tf.Tensor2D;
    }
    return { h: rmsNorm(x, this.p[FINAL_NORM], eps), k: keys, v: values };
  }
}

function flattenIds(ids: number[][], V: number): { flat: Int32Array; B: number; T: number } {
  const B = ids.length;
  if (B === 0) throw new Error('forward: no rows');
  const T = ids[0].length;
  if (T === 0) throw new Error('forward: rows are empty');
  const flat = new Int32Array(B * T);
  ids.forEach((row, b) => {
    if (row.length !== T) throw new Error(`forward: row ${b} has ${row.length} ids, row 0 has ${T} (rows must be the same length)`);
    row.forEach((id, t) => {
      if (!(Number.isInteger(id) && id >= 0 && id < V)) throw new Error(`forward: id ${id} at [${b}][${t}] is outside [0, ${V})`);
      flat[b * T + t] = id;
    });
  });
  return { flat, B, T };
}

/** A RealModel over already-loaded variables (named by checkpoint tensor name). */
export function buildRealModel(cfg: RealModelConfig, params: Record<string, tf.Variable>): RealModel {
  const dec = new Decoder(cfg, params);
  const V = cfg.vocabSize;
  const variables = Object.values(params);

  function forward(ids: number[][], cache?: KVCache, opts: { lastOnly?: boolean } = {}): { logits: tf.Tensor3D; cache: KVCache } {
    if (cache && !(cache instanceof RealKVCache)) throw new Error('forward: cache was not made by this model');
    const c = (cache as RealKVCache | undefined) ?? new RealKVCache(cfg.numKvHeads);
    const { flat, B, T } = flattenIds(ids, V);
    if (c.length > 0 && c.batch !== B) throw new Error(`forward: the cache holds ${c.batch} rows, ids has ${B}`);
    let kept: { k: tf.Tensor3D[]; v: tf.Tensor3D[] } = { k: [], v: [] };
    const logits = tf.tidy(() => {
      const { h, k, v } = dec.hidden(flat, B, T, c);
      kept = { k: k.map((t) => tf.keep(t)), v: v.map((t) => tf.keep(t)) };
      const D = cfg.hiddenSize;
      const hOut = opts.lastOnly ? tf.reshape(tf.slice(tf.reshape(h, [B, T, D]), [0, T - 1, 0], [B, 1, D]), [B, D]) : h;
      return tf.reshape(dec.head(hOut as tf.Tensor2D), [B, opts.lastOnly ? 1 : T, V]) as tf.Tensor3D;
    });
    c.grow(kept.k, kept.v, T);
    return { logits, cache: c };
  }

  function sequenceLogProbs(ids: tf.Tensor2D, temperature = 1): tf.Tensor2D {
    if (!(temperature > 0)) throw new Error(`sequenceLogProbs: temperature must be > 0, got ${temperature}`);
    const [B, T] = ids.shape;
    if (T < 2) throw new Error(`sequenceLogProbs: rows need at least 2 tokens, got ${T}`);
    const host = Int32Array.from(ids.dataSync());
    const targets = new Int32Array(B * (T - 1));
    for (let b = 0; b < B; b++) for (let t = 1; t < T; t++) targets[b * (T - 1) + t - 1] = host[b * T + t];
    return tf.tidy(() => {
      const D = cfg.hiddenSize;
      const { h } = dec.hidden(host, B, T, null); //                                      [B·T, D]
      const hPrev = tf.reshape(tf.slice(tf.reshape(h, [B, T, D]), [0, 0, 0], [B, T - 1, D]), [B * (T - 1), D]);
      let logits = dec.head(hPrev as tf.Tensor2D); //                                     [B·(T−1), V]
      if (temperature !== 1) logits = tf.div(logits, temperature);
      // log-softmax then pick: its gradient (dy − Σdy·softmax) is cheaper on wasm than logSumExp's.
      const lp = pickColumns(tf.logSoftmax(logits) as tf.Tensor2D, targets); //           [B·(T−1)]
      return tf.reshape(lp, [B, T - 1]) as tf.Tensor2D;
    });
  }

  return {
    cfg,
    variables,
    params,
    forward,
    sequenceLogProbs,
    dispose: () => { for (const v of variables) v.dispose(); },
  };
}

/** Loads `dir` (config.json, generation_config.json, model.safetensors or its sharded index). The tfjs backend must be initialised first. */
export async function loadRealModel(dir: string, opts: { log?: (line: string) => void } = {}): Promise<RealModel> {
  const cfg = readRealConfig(dir);
  const src = openCheckpointTensors(dir);
  try {
    opts.log?.(`${dir}: ${cfg.arch}, ${cfg.numLayers} layers, hidden ${cfg.hiddenSize}, ${cfg.numHeads}/${cfg.numKvHeads} heads, vocab ${cfg.vocabSize}, reading ${src.where}`);
    return buildRealModel(cfg, loadWeights(cfg, src, opts.log));
  } finally {
    src.close();
  }
}
