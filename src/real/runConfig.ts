/**
 * The configuration of a GRPO run on a real checkpoint, with the paper's values as defaults
 * (Paper A, Appendix A, and its released script rlvr_deepscaler_grpo_qwen_random.sh): lr 5e-7
 * constant, 64 prompts × 16 rollouts, mini-batch 128 (8 updates per rollout phase), ε = 0.2,
 * no KL, no entropy term, temperature 1.0, 3072 new tokens, 150 steps. The optimiser matches
 * OpenRLHF's defaults there: Adam betas (0.9, 0.95), no weight decay, gradient norm clipped to 1.
 */
import * as path from 'path';
import { BENCHMARK_NAMES, BenchmarkName } from '../benchmarks/index';
import { ClipMode } from '../model/surrogate';
import { REWARD_NAMES, RewardName, makeReward } from '../rl/rewards';
import { PROMPT_FORMATS, PromptFormat } from './prompts';

export interface RealGrpoConfig {
  /** Checkpoint folder (config.json, *.safetensors, tokenizer.json). */
  model: string;
  /** Training prompts: JSONL, one object per line with `inputKey` and `labelKey` fields. */
  data: string;
  /** Field holding the question. DeepScaleR: 'problem'. */
  inputKey: string;
  /** Field holding the gold answer. DeepScaleR: 'answer'. */
  labelKey: string;
  template: PromptFormat;
  reward: RewardName;
  /** γ of the random rewards; null for the others. */
  gamma: number | null;
  steps: number;
  /** Prompts per rollout phase. Paper: 64. */
  prompts: number;
  /** G, rollouts per prompt. Paper: 16. */
  rollouts: number;
  /** Rollouts per gradient update. Paper: 128. */
  miniBatch: number;
  /** Rollouts per forward/backward pass (gradients are accumulated over a mini-batch); memory only, not the maths. */
  microBatch: number;
  lr: number;
  /** ε, the clip range (ρ ∈ [1 − ε, 1 + ε]). */
  eps: number;
  clipMode: ClipMode;
  maxNewTokens: number;
  temperature: number;
  maxGradNorm: number;
  weightDecay: number;
  adamBeta1: number;
  adamBeta2: number;
  seed: number;
  /** Greedy evaluation every this many steps (and at step 0 and the last); 0 = none. */
  evalEvery: number;
  evalBench: BenchmarkName;
  /** Problems of the benchmark evaluated (0 = all). */
  evalLimit: number;
  /** Evaluation answer length (new tokens). */
  evalMaxNewTokens: number;
  /** Save the weights and optimiser state every this many steps so a run can resume; 0 = never. */
  checkpointEvery: number;
}

export const REAL_GRPO_DEFAULTS: Readonly<Omit<RealGrpoConfig, 'model' | 'data'>> = Object.freeze({
  inputKey: 'problem',
  labelKey: 'answer',
  template: 'chat' as PromptFormat,
  reward: 'random' as RewardName,
  gamma: 0.5,
  steps: 150,
  prompts: 64,
  rollouts: 16,
  miniBatch: 128,
  microBatch: 4,
  lr: 5e-7,
  eps: 0.2,
  clipMode: 'clip' as ClipMode,
  maxNewTokens: 3072,
  temperature: 1.0,
  maxGradNorm: 1.0,
  weightDecay: 0,
  adamBeta1: 0.9,
  adamBeta2: 0.95,
  seed: 1,
  evalEvery: 0,
  evalBench: 'math500' as BenchmarkName,
  evalLimit: 0,
  evalMaxNewTokens: 3072,
  checkpointEvery: 0,
});

const INTS = ['steps', 'prompts', 'rollouts', 'miniBatch', 'microBatch', 'maxNewTokens', 'evalMaxNewTokens'] as const;
const NON_NEGATIVE_INTS = ['seed', 'evalEvery', 'evalLimit', 'checkpointEvery'] as const;

/**
 * Defaults filled in and every field checked; `label` names the source (a file, "command line")
 * in the one-line errors. Paths are made absolute so that config.json names the same files from anywhere.
 */
export function validateRealConfig(raw: Partial<RealGrpoConfig>, label = 'real GRPO config'): RealGrpoConfig {
  const known = new Set([...Object.keys(REAL_GRPO_DEFAULTS), 'model', 'data']);
  for (const k of Object.keys(raw)) if (!known.has(k)) throw new Error(`${label}: unknown field '${k}'`);
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const c = { ...REAL_GRPO_DEFAULTS, ...defined } as RealGrpoConfig;
  const fail = (field: string, what: string): never => { throw new Error(`${label}: field '${field}' ${what}`); };
  for (const f of ['model', 'data', 'inputKey', 'labelKey'] as const) if (typeof c[f] !== 'string' || c[f] === '') fail(f, 'must be a non-empty string');
  if (!(PROMPT_FORMATS as readonly string[]).includes(c.template)) fail('template', `must be one of ${PROMPT_FORMATS.join(', ')}, got ${JSON.stringify(c.template)}`);
  if (!(REWARD_NAMES as readonly string[]).includes(c.reward)) fail('reward', `must be one of ${REWARD_NAMES.join(', ')}, got ${JSON.stringify(c.reward)}`);
  const usesGamma = c.reward === 'random' || c.reward === 'random-no-python';
  if (!usesGamma && raw.gamma === undefined) c.gamma = null;
  let spec: ReturnType<typeof makeReward>;
  try {
    spec = makeReward(c.reward, { gamma: c.gamma });
  } catch (e) {
    return fail('gamma', `is invalid (${(e as Error).message})`);
  }
  c.gamma = spec.gamma;
  if (spec.labelKind === 'majority' || spec.labelKind === 'incorrect-majority') {
    fail('reward', `'${c.reward}' needs majority-vote labels; as the paper did, put them in the data's '${c.labelKey}' field and train with 'ground-truth'`);
  }
  for (const f of INTS) if (!Number.isInteger(c[f]) || c[f] < 1) fail(f, `must be a positive integer, got ${JSON.stringify(c[f])}`);
  for (const f of NON_NEGATIVE_INTS) if (!Number.isInteger(c[f]) || c[f] < 0) fail(f, `must be a non-negative integer, got ${JSON.stringify(c[f])}`);
  if (c.rollouts < 2) fail('rollouts', `must be at least 2 (a group of one has no advantage), got ${c.rollouts}`);
  if (c.miniBatch > c.prompts * c.rollouts) fail('miniBatch', `(${c.miniBatch}) exceeds the rollouts per step, prompts × rollouts = ${c.prompts * c.rollouts}`);
  if (!(c.lr > 0)) fail('lr', `must be > 0, got ${c.lr}`);
  if (!(c.eps > 0 && c.eps < 1)) fail('eps', `must be in (0, 1), got ${c.eps}`);
  if (c.clipMode !== 'clip' && c.clipMode !== 'noclip') fail('clipMode', `must be 'clip' or 'noclip', got ${JSON.stringify(c.clipMode)}`);
  if (!(c.temperature > 0)) fail('temperature', `must be > 0 (rollouts are sampled and scored at this temperature), got ${c.temperature}`);
  if (!(c.maxGradNorm > 0)) fail('maxGradNorm', `must be > 0 (Infinity disables clipping), got ${c.maxGradNorm}`);
  if (!(c.weightDecay >= 0)) fail('weightDecay', `must be ≥ 0, got ${c.weightDecay}`);
  for (const f of ['adamBeta1', 'adamBeta2'] as const) if (!(c[f] >= 0 && c[f] < 1)) fail(f, `must be in [0, 1), got ${c[f]}`);
  if (!(BENCHMARK_NAMES as readonly string[]).includes(c.evalBench)) fail('evalBench', `must be one of ${BENCHMARK_NAMES.join(', ')}, got ${JSON.stringify(c.evalBench)}`);
  return { ...c, model: path.resolve(c.model), data: path.resolve(c.data) };
}

/** "random(0.5)" / "ground-truth". */
export function rewardLabel(c: Pick<RealGrpoConfig, 'reward' | 'gamma'>): string {
  return c.gamma !== null ? `${c.reward}(${c.gamma})` : c.reward;
}

/** e.g. "Qwen2.5-Math-7B__chat__random-0.5__s1": the model folder's name, prompt format, reward and seed. */
export function realRunId(c: Pick<RealGrpoConfig, 'model' | 'template' | 'reward' | 'gamma' | 'seed'>): string {
  const model = path.basename(path.resolve(c.model)).replace(/[^A-Za-z0-9._-]+/g, '_');
  const reward = c.gamma !== null ? `${c.reward}-${c.gamma}` : c.reward;
  return `${model}__${c.template}__${reward}__s${c.seed}`;
}

/** Gradient updates per rollout phase: ⌈prompts × rollouts / miniBatch⌉ (paper: 64·16/128 = 8). */
export function updatesPerStep(c: Pick<RealGrpoConfig, 'prompts' | 'rollouts' | 'miniBatch'>): number {
  return Math.ceil((c.prompts * c.rollouts) / c.miniBatch);
}
