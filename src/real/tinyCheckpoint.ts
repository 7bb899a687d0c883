/**
 * Tiny Hugging Face checkpoints of the three real architectures, with seeded random weights:
 * config.json, generation_config.json and model.safetensors (or two shards and
 * model.safetensors.index.json). Every case has 2 layers, 4 query heads over 2 key/value heads.
 * In src/ (not only test/) because notebook 09 builds one to run the real pipeline on a CPU:
 * plumbing, not science (random weights answer nothing).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Rng } from '../engine/rng';
import { RealArch, parseRealConfig } from './config';
import { StorageDtype } from './dtype';
import { TensorToWrite, writeSafetensors } from './safetensors';
import { writeTinyTokenizer } from './tinyTokenizer';
import { weightSpecs } from './weights';

export interface TinyOptions {
  seed?: number;
  dtype?: StorageDtype;
  vocabSize?: number;
  sharded?: boolean;
  /** Fields merged over the generated config.json (null deletes a field). */
  config?: Record<string, unknown>;
}

/** The config.json of each tiny case. */
export function tinyConfig(arch: RealArch, vocabSize = 100): Record<string, unknown> {
  const common = { vocab_size: vocabSize, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, hidden_act: 'silu', bos_token_id: 1, eos_token_id: 2, max_position_embeddings: 256 };
  switch (arch) {
    case 'qwen2':
      return { ...common, architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2', hidden_size: 32, intermediate_size: 64, rms_norm_eps: 1e-6, rope_theta: 10000, tie_word_embeddings: true, use_sliding_window: false, torch_dtype: 'bfloat16' };
    case 'llama':
      // A tiny original context (64) puts this head width's frequencies in all three llama3 bands.
      return {
        ...common, architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 64, intermediate_size: 96, rms_norm_eps: 1e-5, rope_theta: 10000,
        rope_scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 64 },
        attention_bias: false, mlp_bias: false, tie_word_embeddings: false, torch_dtype: 'bfloat16',
      };
    case 'olmo2':
      return { ...common, architectures: ['Olmo2ForCausalLM'], model_type: 'olmo2', hidden_size: 48, intermediate_size: 80, rms_norm_eps: 1e-6, rope_theta: 10000, attention_bias: false, tie_word_embeddings: false, torch_dtype: 'float32' };
  }
}

/** Seeded values at scales that keep activations O(1): norms near 1, matrices ~ 1/√fan-in. */
function tinyValues(name: string, shape: number[], rng: Rng): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const norm = name.endsWith('norm.weight');
  const std = name.endsWith('.bias') ? 0.1 : name.includes('embed_tokens') ? 0.5 : shape.length === 2 ? 1 / Math.sqrt(shape[1]) : 0.1;
  for (let i = 0; i < n; i++) out[i] = (norm ? 1 : 0) + (norm ? 0.1 : std) * rng.normal();
  return out;
}

/** Writes a tiny checkpoint of `arch` into `dir` (created if needed) and returns its config.json object. */
export function writeTinyCheckpoint(dir: string, arch: RealArch, opts: TinyOptions = {}): Record<string, unknown> {
  const config: Record<string, unknown> = { ...tinyConfig(arch, opts.vocabSize ?? 100) };
  for (const [k, v] of Object.entries(opts.config ?? {})) {
    if (v === null) delete config[k];
    else config[k] = v;
  }
  const cfg = parseRealConfig(config);
  const rng = new Rng(opts.seed ?? 1);
  const tensors: Record<string, TensorToWrite> = {};
  for (const s of weightSpecs(cfg)) tensors[s.name] = { shape: s.shape, data: tinyValues(s.name, s.shape, rng) };

  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  fs.writeFileSync(path.join(dir, 'generation_config.json'), JSON.stringify({ bos_token_id: 1, eos_token_id: [2, 3], do_sample: true }, null, 2));
  const dtype = opts.dtype ?? 'F32';
  if (!opts.sharded) {
    writeSafetensors(path.join(dir, 'model.safetensors'), tensors, dtype);
    return config;
  }
  // Two shards split in checkpoint order, as HF's save_pretrained does.
  const names = Object.keys(tensors);
  const half = Math.ceil(names.length / 2);
  const shards = [names.slice(0, half), names.slice(half)];
  const weightMap: Record<string, string> = {};
  shards.forEach((list, i) => {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    writeSafetensors(path.join(dir, file), Object.fromEntries(list.map((n) => [n, tensors[n]])), dtype);
    for (const n of list) weightMap[n] = file;
  });
  fs.writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }, null, 2));
  return config;
}

/**
 * A complete tiny checkpoint folder: the tiny tokenizer (tinyTokenizer.ts) and a checkpoint whose
 * vocabulary is exactly the tokenizer's, so every id it can sample decodes.
 */
export function writeTinyRealCheckpoint(dir: string, arch: RealArch = 'qwen2', opts: Omit<TinyOptions, 'vocabSize'> = {}): { dir: string; vocabSize: number; config: Record<string, unknown> } {
  const vocabSize = writeTinyTokenizer(dir);
  const config = writeTinyCheckpoint(dir, arch, { ...opts, vocabSize });
  return { dir, vocabSize, config };
}

/** A few short problems with their answers, in the DeepScaleR layout (`problem`, `answer`). */
export const TINY_TRAINING_PROBLEMS: readonly { problem: string; answer: string }[] = Object.freeze([
  { problem: 'What is $1+1$?', answer: '2' },
  { problem: 'Compute $2\\times 3$.', answer: '6' },
  { problem: 'Simplify $\\frac{4}{2}$.', answer: '2' },
  { problem: 'What is $3+4$?', answer: '7' },
  { problem: 'What is $10-7$?', answer: '3' },
  { problem: 'Compute $5\\times 5$.', answer: '25' },
  { problem: 'What is $9 \\div 3$?', answer: '3' },
  { problem: 'What is $2^3$?', answer: '8' },
]);

/** Writes TINY_TRAINING_PROBLEMS as a JSONL training file (one object per line); returns its path. */
export function writeTinyTrainingData(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, TINY_TRAINING_PROBLEMS.map((p) => JSON.stringify({ ...p, source: 'tiny' })).join('\n') + '\n');
  return file;
}
