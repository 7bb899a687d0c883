/**
 * Which tensors each architecture's checkpoint holds (HF names and shapes) and how they become
 * tfjs variables. Projection matrices are stored by PyTorch as [out, in] and used as x·Wᵀ; here they
 * are transposed once at load to [in, out], because a plain 2-D matMul is the fast path on wasm
 * and a transposed one is not. A tied embedding is one [D, V] variable: the output head's layout,
 * with the input lookup gathering its columns.
 */
import * as tf from '@tensorflow/tfjs';
import { RealModelConfig } from './config';
import { TensorSource } from './safetensors';

export interface WeightSpec {
  /** The checkpoint's tensor name. */
  name: string;
  /** Shape in the checkpoint. */
  shape: number[];
  /** Stored transposed ([in, out]) in the variable. */
  transpose: boolean;
}

export const EMBED = 'model.embed_tokens.weight';
export const LM_HEAD = 'lm_head.weight';
export const FINAL_NORM = 'model.norm.weight';

export function layerPrefix(l: number): string {
  return `model.layers.${l}.`;
}

/** Every tensor the forward pass uses, in checkpoint order. */
export function weightSpecs(cfg: RealModelConfig): WeightSpec[] {
  const { hiddenSize: D, intermediateSize: I, vocabSize: V, numHeads: H, numKvHeads: K, headDim: hd } = cfg;
  const out: WeightSpec[] = [{ name: EMBED, shape: [V, D], transpose: cfg.tieWordEmbeddings }];
  const mat = (name: string, outDim: number, inDim: number, bias: boolean) => {
    out.push({ name: name + '.weight', shape: [outDim, inDim], transpose: true });
    if (bias) out.push({ name: name + '.bias', shape: [outDim], transpose: false });
  };
  const vec = (name: string, n: number) => out.push({ name, shape: [n], transpose: false });
  for (let l = 0; l < cfg.numLayers; l++) {
    const p = layerPrefix(l);
    if (cfg.arch !== 'olmo2') vec(p + 'input_layernorm.weight', D);
    mat(p + 'self_attn.q_proj', H * hd, D, cfg.qkvBias);
    mat(p + 'self_attn.k_proj', K * hd, D, cfg.qkvBias);
    mat(p + 'self_attn.v_proj', K * hd, D, cfg.qkvBias);
    mat(p + 'self_attn.o_proj', D, H * hd, cfg.oBias);
    if (cfg.arch === 'olmo2') {
      vec(p + 'self_attn.q_norm.weight', H * hd);
      vec(p + 'self_attn.k_norm.weight', K * hd);
    }
    vec(p + 'post_attention_layernorm.weight', D);
    if (cfg.arch === 'olmo2') vec(p + 'post_feedforward_layernorm.weight', D);
    mat(p + 'mlp.gate_proj', I, D, cfg.mlpBias);
    mat(p + 'mlp.up_proj', I, D, cfg.mlpBias);
    mat(p + 'mlp.down_proj', D, I, cfg.mlpBias);
  }
  vec(FINAL_NORM, D);
  if (!cfg.tieWordEmbeddings) out.push({ name: LM_HEAD, shape: [V, D], transpose: true });
  return out;
}

/** [rows, cols] row-major → [cols, rows], in 64 × 64 tiles so both sides stay in cache. */
export function transpose2d(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  const S = 64;
  for (let r0 = 0; r0 < rows; r0 += S) {
    const r1 = Math.min(r0 + S, rows);
    for (let c0 = 0; c0 < cols; c0 += S) {
      const c1 = Math.min(c0 + S, cols);
      for (let r = r0; r < r1; r++) {
        const src = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = a[src + c];
      }
    }
  }
  return out;
}

let modelCounter = 0;

/**
 * Reads every tensor of `weightSpecs` from `src` into a trainable variable, one tensor at a time,
 * so the host holds at most one tensor's values besides what is already on the device.
 */
export function loadWeights(cfg: RealModelConfig, src: TensorSource, log?: (line: string) => void): Record<string, tf.Variable> {
  const specs = weightSpecs(cfg);
  const missing = specs.filter((s) => !src.has(s.name)).map((s) => s.name);
  if (missing.length) {
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
    throw new Error(`${src.where}: tensor '${missing[0]}' is missing${more}; config.json describes a ${cfg.arch} model with ${cfg.numLayers} layers`);
  }
  const id = modelCounter++;
  const params: Record<string, tf.Variable> = {};
  let done = 0;
  let lastLog = Date.now();
  try {
    for (const s of specs) {
      const info = src.info(s.name);
      if (info.shape.join(',') !== s.shape.join(',')) {
        throw new Error(`${info.file}: tensor '${s.name}' has shape [${info.shape}], config.json implies [${s.shape}]`);
      }
      let values = src.read(s.name);
      let shape = s.shape;
      if (s.transpose) {
        values = transpose2d(values, s.shape[0], s.shape[1]);
        shape = [s.shape[1], s.shape[0]];
      }
      const init = tf.tensor(values, shape, 'float32');
      params[s.name] = tf.variable(init, true, `real${id}/${s.name}`);
      init.dispose(); // the variable holds its own reference to the data
      done++;
      if (log && Date.now() - lastLog > 5000) {
        log(`loaded ${done}/${specs.length} tensors`);
        lastLog = Date.now();
      }
    }
  } catch (e) {
    for (const v of Object.values(params)) v.dispose();
    throw e;
  }
  const unused = src.names().filter((n) => !(n in params) && !(n === LM_HEAD && cfg.tieWordEmbeddings) && !n.endsWith('rotary_emb.inv_freq'));
  if (unused.length && log) log(`ignored ${unused.length} tensors the forward pass does not use (first: ${unused[0]})`);
  return params;
}
