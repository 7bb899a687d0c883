/**
 * A small decoder-only transformer (nanoGPT-like: pre-LayerNorm blocks, learned positions,
 * GELU MLP, untied output head), written as pure functions of a parameter map so that the
 * same code serves training, KV-cache decoding and data-parallel workers.
 *
 * Shapes: B rows, T positions, D = dModel, H heads, hd = D/H, V vocab, N = B·T.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { ModelConfig, countParameters, parameterShapes, validateModelConfig } from './config';
import { linear, mix, scores } from './kernels';

export type Params = Record<string, tf.Tensor>;

/** A batch of token rows, row-major. Padding positions carry any valid id and keyMask 0. */
export interface TokenBatch {
  /** [B·T] token ids. */
  tokens: Int32Array;
  B: number;
  T: number;
  /** [B·T] position ids; default 0..T−1 in every row. Left-padded rows start their real tokens at 0. */
  positions?: Int32Array;
  /** [B·T] 1 for real tokens, 0 for padding (excluded as attention keys); default all 1. */
  keyMask?: Float32Array;
}

/** Per-layer attention keys and values, each [B·H, t, hd]. */
export interface KVCache {
  k: tf.Tensor3D[];
  v: tf.Tensor3D[];
}

const NEG = -1e9;
const LN_EPS = 1e-5;

/** The trainable model: config plus named variables in `parameterShapes` order. */
export class Transformer {
  readonly config: ModelConfig;
  readonly params: Record<string, tf.Variable>;
  readonly names: string[];

  constructor(config: ModelConfig, values: Record<string, Float32Array>) {
    this.config = validateModelConfig(config);
    this.params = {};
    this.names = [];
    for (const [name, shape] of parameterShapes(this.config)) {
      const v = values[name];
      const size = shape.reduce((a, b) => a * b, 1);
      if (!v) throw new Error(`parameter '${name}' is missing`);
      if (v.length !== size) throw new Error(`parameter '${name}' has ${v.length} values, shape [${shape}] needs ${size}`);
      this.params[name] = tf.variable(tf.tensor(v, shape, 'float32'), true, name + '_' + uid());
      this.names.push(name);
    }
  }

  /** Seeded initialisation (GPT-2 scheme: N(0, 0.02), residual projections scaled by 1/√(2L)). */
  static init(config: ModelConfig, rng: Rng): Transformer {
    const cfg = validateModelConfig(config);
    const values: Record<string, Float32Array> = {};
    const residualStd = 0.02 / Math.sqrt(2 * cfg.nLayers);
    for (const [name, shape] of parameterShapes(cfg)) {
      const a = new Float32Array(shape.reduce((x, y) => x * y, 1));
      if (name.endsWith('.g')) a.fill(1);
      else if (shape.length === 2) {
        const std = name.endsWith('attn.wo') || name.endsWith('mlp.w2') ? residualStd : 0.02;
        for (let i = 0; i < a.length; i++) a[i] = rng.normal() * std;
      }
      values[name] = a;
    }
    return new Transformer(cfg, values);
  }

  get parameterCount(): number {
    return countParameters(this.config);
  }

  /** Current values, copied off the device (for checkpoints and workers). */
  async read(): Promise<Record<string, Float32Array>> {
    const out: Record<string, Float32Array> = {};
    for (const n of this.names) out[n] = (await this.params[n].data()) as Float32Array;
    return out;
  }

  /** Overwrites all parameter values (shapes must match). */
  assign(values: Record<string, Float32Array>): void {
    for (const n of this.names) {
      const p = this.params[n];
      const v = values[n];
      if (!v || v.length !== p.size) throw new Error(`assign: parameter '${n}' missing or wrong size`);
      tf.tidy(() => p.assign(tf.tensor(v, p.shape, 'float32')));
    }
  }

  dispose(): void {
    for (const n of this.names) this.params[n].dispose();
  }
}

let uidCounter = 0;
function uid(): number {
  return uidCounter++;
}

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

function layerNorm(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const mean = tf.mean(x, -1, true); //                           [N, 1]
  const xc = tf.sub(x, mean); //                                  [N, D]
  const variance = tf.mean(tf.square(xc), -1, true); //           [N, 1]
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, LN_EPS))), g), b) as tf.Tensor2D;
}

/** GELU, sigmoid approximation x·σ(1.702x): tanh is ~6× slower than sigmoid on wasm. */
function gelu(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.sigmoid(tf.mul(x, 1.702))) as tf.Tensor2D;
}

function dense(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return tf.add(linear(x, w as tf.Tensor2D), b) as tf.Tensor2D;
}

/** [B·T, D] → [B·H, T, hd] */
function toHeads(x: tf.Tensor2D, B: number, T: number, H: number): tf.Tensor3D {
  const hd = x.shape[1] / H;
  return tf.reshape(tf.transpose(tf.reshape(x, [B, T, H, hd]), [0, 2, 1, 3]), [B * H, T, hd]);
}

/** [B·H, T, hd] → [B·T, D] */
function fromHeads(x: tf.Tensor3D, B: number, H: number): tf.Tensor2D {
  const [, T, hd] = x.shape;
  return tf.reshape(tf.transpose(tf.reshape(x, [B, H, T, hd]), [0, 2, 1, 3]), [B * T, H * hd]);
}

function maybeDropout(x: tf.Tensor2D, rate: number, rng: Rng | undefined): tf.Tensor2D {
  if (rate <= 0 || !rng) return x;
  return tf.dropout(x, rate, undefined, rng.int(2 ** 31)) as tf.Tensor2D;
}

/** Additive attention bias [B or 1, 1, T, T]: causal, plus −∞ on padding keys. */
function attentionBias(batch: TokenBatch): tf.Tensor4D {
  const { B, T } = batch;
  const causal = tf.linalg.bandPart(tf.ones([T, T]), -1, 0); //    [T, T] lower triangle of ones
  const causalBias = tf.reshape(tf.mul(tf.sub(1, causal), NEG), [1, 1, T, T]);
  if (!batch.keyMask) return causalBias as tf.Tensor4D;
  const keyBias = tf.reshape(tf.mul(tf.sub(1, tf.tensor(batch.keyMask, [B, T])), NEG), [B, 1, 1, T]);
  return tf.add(causalBias, keyBias) as tf.Tensor4D;
}

/**
 * One-hot rows built on the host: the ids are already in JS, and tfjs-wasm's OneHot kernel
 * ignores a float32 dtype request (it returns int32 bits labelled float32).
 */
export function oneHot(ids: Int32Array, depth: number): tf.Tensor2D {
  const out = new Float32Array(ids.length * depth);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!(id >= 0 && id < depth)) throw new Error(`token/position id ${id} at index ${i} is outside [0, ${depth})`);
    out[i * depth + id] = 1;
  }
  return tf.tensor2d(out, [ids.length, depth]);
}

/** Token + position embeddings → [B·T, D]. */
function embed(p: Params, cfg: ModelConfig, batch: TokenBatch): tf.Tensor2D {
  const { B, T } = batch;
  if (T > cfg.contextLength) throw new Error(`sequence length ${T} exceeds the model's contextLength ${cfg.contextLength}`);
  const oneHotTok = oneHot(batch.tokens, cfg.vocabSize); //                                             [N, V]
  const tok = linear(oneHotTok, p.wte as tf.Tensor2D); //                                              [N, D]
  if (batch.positions) {
    const oneHotPos = oneHot(batch.positions, cfg.contextLength);
    return tf.add(tok, linear(oneHotPos, p.wpe as tf.Tensor2D)) as tf.Tensor2D;
  }
  // Positions 0..T−1 in every row: a slice broadcast over rows is cheaper than a one-hot product.
  const pos = tf.slice(p.wpe, [0, 0], [T, cfg.dModel]); //                                               [T, D]
  return tf.reshape(tf.add(tf.reshape(tok, [B, T, cfg.dModel]), pos), [B * T, cfg.dModel]);
}

export interface ForwardOptions {
  /** Apply dropout (needs `rng`). */
  training?: boolean;
  rng?: Rng;
  /** Also return every layer's keys and values (to seed a KV cache). */
  returnKV?: boolean;
}

/** Full-sequence forward with causal mask. Returns logits [B·T, V] (and the KV cache if asked). */
export function forward(p: Params, cfg: ModelConfig, batch: TokenBatch, opts: ForwardOptions = {}): { logits: tf.Tensor2D; kv?: KVCache } {
  const { B, T } = batch;
  const H = cfg.nHeads;
  const hd = cfg.dModel / H;
  const drop = opts.training ? cfg.dropout : 0;
  const bias = attentionBias(batch);
  const kv: KVCache = { k: [], v: [] };
  let x = embed(p, cfg, batch); //                                                 [N, D]
  for (let l = 0; l < cfg.nLayers; l++) {
    const q = `h${l}.`;
    // --- attention -------------------------------------------------------------------------
    const h = layerNorm(x, p[q + 'ln1.g'], p[q + 'ln1.b']);
    const qkv = dense(h, p[q + 'attn.wqkv'], p[q + 'attn.bqkv']); //                [N, 3D]
    const [qq, kk, vv] = tf.split(qkv, 3, 1) as tf.Tensor2D[]; //                   [N, D] ×3
    const qh = toHeads(qq, B, T, H); //                                              [BH, T, hd]
    const kh = toHeads(kk, B, T, H);
    const vh = toHeads(vv, B, T, H);
    if (opts.returnKV) { kv.k.push(kh); kv.v.push(vh); }
    const s = tf.add(tf.reshape(tf.mul(scores(qh, kh), 1 / Math.sqrt(hd)), [B, H, T, T]), bias); // [B, H, T, T]
    const att = tf.reshape(tf.softmax(s), [B * H, T, T]) as tf.Tensor3D; //         [BH, T, T]
    const o = fromHeads(mix(att, vh), B, H); //                                      [N, D]
    x = tf.add(x, maybeDropout(dense(o, p[q + 'attn.wo'], p[q + 'attn.bo']), drop, opts.rng)) as tf.Tensor2D;
    // --- MLP -------------------------------------------------------------------------------
    const h2 = layerNorm(x, p[q + 'ln2.g'], p[q + 'ln2.b']);
    const m = gelu(dense(h2, p[q + 'mlp.w1'], p[q + 'mlp.b1'])); //                  [N, M]
    x = tf.add(x, maybeDropout(dense(m, p[q + 'mlp.w2'], p[q + 'mlp.b2']), drop, opts.rng)) as tf.Tensor2D;
  }
  const hf = layerNorm(x, p['lnf.g'], p['lnf.b']);
  const logits = linear(hf, p.head as tf.Tensor2D); //                              [N, V]
  return opts.returnKV ? { logits, kv } : { logits };
}

/** log softmax(logits)[target] per row. logits [N, V], targets [N] → [N]. */
export function gatherLogProbs(logits: tf.Tensor2D, targets: Int32Array): tf.Tensor1D {
  const V = logits.shape[1];
  return tf.sum(tf.mul(tf.logSoftmax(logits), oneHot(targets, V)), -1) as tf.Tensor1D;
}

/**
 * Per-token log-probabilities of `targets` under the model: log π(targets[i] | tokens[..i]).
 * Returns [B, T]. `targets` has the layout of `batch.tokens` (usually tokens shifted by one).
 */
export function tokenLogProbs(p: Params, cfg: ModelConfig, batch: TokenBatch, targets: Int32Array, opts: ForwardOptions = {}): tf.Tensor2D {
  if (targets.length !== batch.B * batch.T) throw new Error(`targets has ${targets.length} entries, batch needs ${batch.B * batch.T}`);
  const { logits } = forward(p, cfg, batch, opts);
  return tf.reshape(gatherLogProbs(logits, targets), [batch.B, batch.T]);
}

/**
 * Mean next-token cross-entropy over positions with lossMask 1 (nats/token).
 * lossMask [B·T] marks which targets count (e.g. not padding).
 */
export function languageModelLoss(p: Params, cfg: ModelConfig, batch: TokenBatch, targets: Int32Array, lossMask: Float32Array, opts: ForwardOptions = {}): tf.Scalar {
  const lp = tf.reshape(tokenLogProbs(p, cfg, batch, targets, opts), [-1]);
  const m = tf.tensor1d(lossMask);
  return tf.div(tf.neg(tf.sum(tf.mul(lp, m))), tf.maximum(tf.sum(m), 1)) as tf.Scalar;
}

// ---------------------------------------------------------------------------------------------
// Incremental decoding (KV cache)
// ---------------------------------------------------------------------------------------------

/**
 * One decoding step for B rows. `tokens`/`positions` [B] are the newest token of each row,
 * `cache` holds keys/values of all earlier steps (t entries), `keyMask` [B, t+1] marks real keys.
 * Returns logits [B, V] and the cache extended to t+1 (the old cache tensors are disposed).
 */
export function decodeStep(p: Params, cfg: ModelConfig, tokens: Int32Array, positions: Int32Array, cache: KVCache, keyMask: tf.Tensor2D): { logits: tf.Tensor2D; cache: KVCache } {
  const B = tokens.length;
  const H = cfg.nHeads;
  const hd = cfg.dModel / H;
  const next: KVCache = { k: [], v: [] };
  const logits = tf.tidy(() => {
    const tLen = keyMask.shape[1];
    const bias = tf.reshape(tf.mul(tf.sub(1, keyMask), NEG), [B, 1, 1, tLen]); //  [B, 1, 1, t+1]
    let x = embed(p, cfg, { tokens, positions, B, T: 1 }); //                       [B, D]
    for (let l = 0; l < cfg.nLayers; l++) {
      const q = `h${l}.`;
      const h = layerNorm(x, p[q + 'ln1.g'], p[q + 'ln1.b']);
      const qkv = dense(h, p[q + 'attn.wqkv'], p[q + 'attn.bqkv']); //              [B, 3D]
      const [qq, kk, vv] = tf.split(qkv, 3, 1) as tf.Tensor2D[];
      const qh = toHeads(qq, B, 1, H); //                                            [BH, 1, hd]
      const kAll = tf.keep(tf.concat([cache.k[l], toHeads(kk, B, 1, H)], 1)); //     [BH, t+1, hd]
      const vAll = tf.keep(tf.concat([cache.v[l], toHeads(vv, B, 1, H)], 1));
      next.k.push(kAll);
      next.v.push(vAll);
      const s = tf.add(tf.reshape(tf.mul(tf.matMul(qh, kAll, false, true), 1 / Math.sqrt(hd)), [B, H, 1, tLen]), bias);
      const att = tf.reshape(tf.softmax(s), [B * H, 1, tLen]);
      const o = fromHeads(tf.matMul(att, vAll) as tf.Tensor3D, B, H); //                            [B, D]
      x = tf.add(x, dense(o, p[q + 'attn.wo'], p[q + 'attn.bo'])) as tf.Tensor2D;
      const h2 = layerNorm(x, p[q + 'ln2.g'], p[q + 'ln2.b']);
      x = tf.add(x, dense(gelu(dense(h2, p[q + 'mlp.w1'], p[q + 'mlp.b1'])), p[q + 'mlp.w2'], p[q + 'mlp.b2'])) as tf.Tensor2D;
    }
    return linear(layerNorm(x, p['lnf.g'], p['lnf.b']), p.head as tf.Tensor2D); // [B, V]
  });
  disposeCache(cache);
  return { logits, cache: next };
}

export function disposeCache(cache: KVCache): void {
  for (const t of cache.k) t.dispose();
  for (const t of cache.v) t.dispose();
}
