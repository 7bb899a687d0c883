/**
 * `config.json` (+ `generation_config.json`) of the three architectures the paper trains —
 * Qwen2 (Qwen2.5-Math), Llama (Llama-3.1) and Olmo2 (OLMo-2) — parsed into one typed config,
 * with HF transformers' defaults for fields a checkpoint may omit. Also a memory estimate, so a
 * run can say what it needs before it starts loading gigabytes.
 */
import * as fs from 'fs';
import * as path from 'path';

export type RealArch = 'qwen2' | 'llama' | 'olmo2';

export const ARCHITECTURES: Readonly<Record<string, RealArch>> = {
  Qwen2ForCausalLM: 'qwen2',
  LlamaForCausalLM: 'llama',
  Olmo2ForCausalLM: 'olmo2',
};

/** RoPE frequency scaling. 'llama3' is Llama-3.1's band-wise scaling; 'linear' divides every frequency. */
export type RopeScaling =
  | { type: 'llama3'; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMaxPositionEmbeddings: number }
  | { type: 'linear'; factor: number };

export interface RealModelConfig {
  arch: RealArch;
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  rmsNormEps: number;
  ropeTheta: number;
  ropeScaling: RopeScaling | null;
  maxPositionEmbeddings: number;
  tieWordEmbeddings: boolean;
  /** Bias on q/k/v projections (always on for Qwen2). */
  qkvBias: boolean;
  /** Bias on o_proj. */
  oBias: boolean;
  /** Bias on gate/up/down projections. */
  mlpBias: boolean;
  /** Every id that ends generation (config.json and generation_config.json, deduplicated). */
  eosTokenIds: number[];
  bosTokenId: number | null;
  /** The checkpoint's storage dtype as declared (informational; weights are computed in float32). */
  torchDtype: string | null;
}

type Json = Record<string, unknown>;

function readJson(file: string): Json {
  if (!fs.existsSync(file)) throw new Error(`${file}: file not found`);
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Json;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** Field access that names the file and the field in its one-line error. */
class Fields {
  constructor(readonly file: string, readonly json: Json) {}

  private fail(field: string, what: string): never {
    throw new Error(`${this.file}: field '${field}' ${what}`);
  }

  int(field: string, fallback?: number): number {
    const v = this.json[field];
    if (v === undefined || v === null) {
      if (fallback === undefined) this.fail(field, 'is missing');
      return fallback;
    }
    if (!Number.isInteger(v) || (v as number) <= 0) this.fail(field, `must be a positive integer, got ${JSON.stringify(v)}`);
    return v as number;
  }

  num(field: string, fallback?: number, obj: Json = this.json, label = field): number {
    const v = obj[field];
    if (v === undefined || v === null) {
      if (fallback === undefined) this.fail(label, 'is missing');
      return fallback;
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) this.fail(label, `must be a positive number, got ${JSON.stringify(v)}`);
    return v;
  }

  bool(field: string, fallback: boolean): boolean {
    const v = this.json[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') this.fail(field, `must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  ids(field: string): number[] {
    const v = this.json[field];
    if (v === undefined || v === null) return [];
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((x) => Number.isInteger(x) && x >= 0)) this.fail(field, `must be a token id or a list of ids, got ${JSON.stringify(v)}`);
    return list as number[];
  }

  /** rope_scaling, or (newer transformers) rope_parameters, which holds the same fields. */
  ropeScaling(): RopeScaling | null {
    const key = this.json.rope_scaling !== undefined && this.json.rope_scaling !== null ? 'rope_scaling' : 'rope_parameters';
    const v = this.json[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(key, 'must be an object or null');
    const rs = v as Json;
    const type = rs.rope_type ?? rs.type ?? 'default';
    if (type === 'default') return null;
    if (type === 'llama3') {
      const at = (k: string) => this.num(k, undefined, rs, `${key}.${k}`);
      const out: RopeScaling = {
        type: 'llama3',
        factor: at('factor'),
        lowFreqFactor: at('low_freq_factor'),
        highFreqFactor: at('high_freq_factor'),
        originalMaxPositionEmbeddings: at('original_max_position_embeddings'),
      };
      if (out.highFreqFactor <= out.lowFreqFactor) this.fail(`${key}.high_freq_factor`, `must exceed low_freq_factor (${out.lowFreqFactor})`);
      return out;
    }
    if (type === 'linear') return { type: 'linear', factor: this.num('factor', undefined, rs, `${key}.factor`) };
    return this.fail(`${key}.rope_type`, `'${String(type)}' is not supported (supported: default, linear, llama3)`);
  }
}

/** HF defaults per architecture for fields a config.json may leave out. */
const DEFAULTS: Record<RealArch, { rmsNormEps: number; ropeTheta: number; maxPositions: number }> = {
  qwen2: { rmsNormEps: 1e-6, ropeTheta: 10000, maxPositions: 32768 },
  llama: { rmsNormEps: 1e-6, ropeTheta: 10000, maxPositions: 2048 },
  olmo2: { rmsNormEps: 1e-5, ropeTheta: 10000, maxPositions: 2048 },
};

/** Parses a config.json object (`file` names it in errors); `generation` is generation_config.json if any. */
export function parseRealConfig(json: Json, file = 'config.json', generation: Json | null = null): RealModelConfig {
  const f = new Fields(file, json);
  const archs = json.architectures;
  if (!Array.isArray(archs) || archs.length === 0 || typeof archs[0] !== 'string') {
    throw new Error(`${file}: field 'architectures' is missing (need one of ${Object.keys(ARCHITECTURES).join(', ')})`);
  }
  const arch = ARCHITECTURES[archs[0]];
  if (!arch) throw new Error(`${file}: field 'architectures' is ${JSON.stringify(archs)}; supported: ${Object.keys(ARCHITECTURES).join(', ')}`);
  const d = DEFAULTS[arch];

  const act = json.hidden_act ?? 'silu';
  if (act !== 'silu') throw new Error(`${file}: field 'hidden_act' is '${String(act)}'; only 'silu' is supported`);
  if (arch === 'qwen2' && json.use_sliding_window === true) throw new Error(`${file}: field 'use_sliding_window' is true; sliding-window attention is not supported`);
  if (json.clip_qkv !== undefined && json.clip_qkv !== null) throw new Error(`${file}: field 'clip_qkv' is set; q/k/v clipping is not supported`);

  const hiddenSize = f.int('hidden_size');
  const numHeads = f.int('num_attention_heads');
  const numKvHeads = f.int('num_key_value_heads', numHeads);
  if (numHeads % numKvHeads !== 0) throw new Error(`${file}: field 'num_key_value_heads' (${numKvHeads}) must divide num_attention_heads (${numHeads})`);
  const headDim = f.int('head_dim', Math.floor(hiddenSize / numHeads));
  if (json.head_dim === undefined && hiddenSize % numHeads !== 0) throw new Error(`${file}: field 'hidden_size' (${hiddenSize}) is not a multiple of num_attention_heads (${numHeads})`);
  if (headDim % 2 !== 0) throw new Error(`${file}: field 'head_dim' must be even for rotary embeddings, got ${headDim}`);
  // Newer transformers keep rope_theta inside rope_parameters.
  const ropeParams = (json.rope_parameters ?? {}) as Json;
  const ropeTheta = json.rope_theta !== undefined ? f.num('rope_theta') : f.num('rope_theta', d.ropeTheta, ropeParams, 'rope_parameters.rope_theta');

  const attnBias = f.bool('attention_bias', false);
  const gen = generation ? new Fields(file.replace(/config\.json$/, 'generation_config.json'), generation) : null;
  const eos = [...(gen?.ids('eos_token_id') ?? []), ...f.ids('eos_token_id')];
  const bos = gen?.ids('bos_token_id')[0] ?? f.ids('bos_token_id')[0] ?? null;

  return {
    arch,
    vocabSize: f.int('vocab_size'),
    hiddenSize,
    intermediateSize: f.int('intermediate_size'),
    numLayers: f.int('num_hidden_layers'),
    numHeads,
    numKvHeads,
    headDim,
    rmsNormEps: f.num('rms_norm_eps', d.rmsNormEps),
    ropeTheta,
    ropeScaling: f.ropeScaling(),
    maxPositionEmbeddings: f.int('max_position_embeddings', d.maxPositions),
    tieWordEmbeddings: f.bool('tie_word_embeddings', false),
    qkvBias: arch === 'qwen2' ? true : attnBias,
    oBias: arch === 'qwen2' ? false : attnBias,
    mlpBias: arch === 'llama' ? f.bool('mlp_bias', false) : false,
    eosTokenIds: [...new Set(eos)],
    bosTokenId: bos,
    torchDtype: typeof json.torch_dtype === 'string' ? json.torch_dtype : typeof json.dtype === 'string' ? json.dtype : null,
  };
}

/** Reads `dir/config.json` and, when present, `dir/generation_config.json`. */
export function readRealConfig(dir: string): RealModelConfig {
  const file = path.join(dir, 'config.json');
  const genFile = path.join(dir, 'generation_config.json');
  return parseRealConfig(readJson(file), file, fs.existsSync(genFile) ? readJson(genFile) : null);
}

// ---------------------------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------------------------

/** Parameter count per tensor group, as the checkpoint stores them. */
export function countRealParameters(cfg: RealModelConfig): number {
  const { hiddenSize: D, intermediateSize: I, vocabSize: V, numHeads: H, numKvHeads: K, headDim: hd } = cfg;
  const q = H * hd;
  const kv = K * hd;
  let layer = D * q + 2 * D * kv + q * D + 3 * D * I; //               q, k, v, o, gate/up/down
  if (cfg.qkvBias) layer += q + 2 * kv;
  if (cfg.oBias) layer += D;
  if (cfg.mlpBias) layer += 2 * I + D;
  layer += 2 * D; //                                                   two norms per layer
  if (cfg.arch === 'olmo2') layer += q + kv; //                        q_norm, k_norm
  return V * D + cfg.numLayers * layer + D + (cfg.tieWordEmbeddings ? 0 : V * D);
}

export interface MemoryEstimate {
  parameters: number;
  /** float32 weights, as tfjs holds them. */
  weightBytes: number;
  /** AdamW's two moments (0 when not training). */
  optimizerBytes: number;
  /** One gradient per weight (0 when not training). */
  gradientBytes: number;
  /** Activations kept for the backward pass (training) or the KV cache plus one layer's temporaries (inference). */
  activationBytes: number;
  totalBytes: number;
}

/**
 * A rough float32 estimate: exact for weights, optimizer state and gradients; activations count the
 * tensors each layer keeps for its backward pass (inputs of every matrix product, norms, attention
 * probabilities) and the vocabulary-sized logits, which dominate for short sequences and big vocabularies.
 */
export function estimateMemory(cfg: RealModelConfig, opts: { batch: number; seqLen: number; training: boolean }): MemoryEstimate {
  const F = 4;
  const { batch: B, seqLen: T, training } = opts;
  const { hiddenSize: D, intermediateSize: I, vocabSize: V, numHeads: H, numKvHeads: K, headDim: hd, numLayers: L } = cfg;
  const parameters = countRealParameters(cfg);
  const weightBytes = parameters * F;
  const N = B * T;
  let activations: number;
  if (training) {
    // Per layer: residual, two normed inputs, q/k/v (pre- and post-RoPE), attention output, gate/up/act/product,
    // and the scores and probabilities [B, H, T, T].
    const perLayer = N * (4 * D + 2 * (H + 2 * K) * hd + H * hd + 4 * I) + 2 * B * H * T * T;
    activations = L * perLayer + 3 * N * V; //                          logits, their softmax and its gradient
  } else {
    const cache = 2 * L * N * K * hd;
    const temporaries = N * (2 * D + (H + 2 * K) * hd + 3 * I) + 2 * B * H * T * T;
    activations = cache + temporaries + N * V;
  }
  const activationBytes = activations * F;
  const optimizerBytes = training ? 2 * weightBytes : 0;
  const gradientBytes = training ? weightBytes : 0;
  return { parameters, weightBytes, optimizerBytes, gradientBytes, activationBytes, totalBytes: weightBytes + optimizerBytes + gradientBytes + activationBytes };
}

/** "30.5 GB" / "12.3 MB" (decimal units, as GPU memory is quoted). */
export function formatBytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** "7.62B" / "1.3M" / "812". */
export function formatCount(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)}B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${n}`;
}

/** One line: "qwen2 1.54B params: weights 6.2 GB + AdamW 12.3 GB + grads 6.2 GB + activations 1.1 GB (batch 8 × 512) = 25.8 GB (float32)". */
export function formatMemory(cfg: RealModelConfig, opts: { batch: number; seqLen: number; training: boolean }, m: MemoryEstimate = estimateMemory(cfg, opts)): string {
  const parts = [`weights ${formatBytes(m.weightBytes)}`];
  if (opts.training) parts.push(`AdamW ${formatBytes(m.optimizerBytes)}`, `grads ${formatBytes(m.gradientBytes)}`);
  parts.push(`${opts.training ? 'activations' : 'KV cache + activations'} ${formatBytes(m.activationBytes)} (batch ${opts.batch} × ${opts.seqLen})`);
  return `${cfg.arch} ${formatCount(m.parameters)} params: ${parts.join(' + ')} = ${formatBytes(m.totalBytes)} (float32)`;
}
