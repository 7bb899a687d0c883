/**
 * The configuration of a GRPO run on a real checkpoint, with the paper's values as defaults
 * (Paper A, Appendix A, and its released script rlvr_deepscaler_grpo_qwen_random.sh): lr 5e-7
 * constant, 64 prompts × 16 rollouts, mini-batch 128 (8 updates per rollout phase), ε = 0.2,
 * no KL, no entropy term, temperature 1.0, 3072 new tokens, 150 steps. The optimiser matches
 * OpenRLHF's defaults there: Adam betas (0.9, 0.95), no weight decay, gradient norm clipped to 1.
 */
import * as path from 'path';
import { BENCHMARK_NAMES, BenchmarkName } from '../benchmarks/index';
import { REWARD_NAMES, RewardName, makeReward } from '../rl/rewards';
import { GRPO_SETTINGS_DEFAULTS, GrpoSettings, armName, checkSettings, derived, normaliseSettingsInput } from '../rl/settings';
import { PROMPT_FORMATS, PromptFormat } from './prompts';

export interface RealGrpoConfig extends GrpoSettings {
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
  /** Rollouts per forward/backward pass (gradients are accumulated over a mini-batch); memory only, not the maths. */
  microBatch: number;
  adamBeta1: number;
  adamBeta2: number;
  /** Greedy evaluation every this many steps (and at step 0 and the last); 0 = none. */
  evalEvery: number;
  evalBench: BenchmarkName;
  /** Problems of the benchmark evaluated (0 = all). */
  evalLimit: number;
  /** Evaluation answer length (new tokens). */
  evalMaxNewTokens: number;
}

/**
 * The paper's settings (GRPO_SETTINGS_DEFAULTS) plus what its trainer does that the stand-in does
 * not: π_old recomputed by a training forward pass and an epoch-style data order. Real runs save a
 * resume state every 5 steps by default, so an interrupted run resumes.
 */
export const REAL_GRPO_DEFAULTS: Readonly<Omit<RealGrpoConfig, 'model' | 'data'>> = Object.freeze({
  ...GRPO_SETTINGS_DEFAULTS,
  oldLogProbs: 'recompute' as GrpoSettings['oldLogProbs'],
  promptOrder: 'permutation' as GrpoSettings['promptOrder'],
  checkpointEvery: 5,
  inputKey: 'problem',
  labelKey: 'answer',
  template: 'chat' as PromptFormat,
  reward: 'random' as RewardName,
  gamma: 0.5,
  microBatch: 4,
  adamBeta1: 0.9,
  adamBeta2: 0.95,
  evalEvery: 0,
  evalBench: 'math500' as BenchmarkName,
  evalLimit: 0,
  evalMaxNewTokens: 3072,
});

/** Fields renamed when the real and stand-in configs were made one: a config that still uses the old name is told the new one. */
const RENAMED: Record<string, string> = { rollouts: 'groupSize', eps: 'epsilon', maxGradNorm: 'gradClipNorm' };

const INTS = ['microBatch', 'evalMaxNewTokens'] as const;
const NON_NEGATIVE_INTS = ['evalEvery', 'evalLimit'] as const;

/**
 * Defaults filled in and every field checked; `label` names the source (a file, "command line")
 * in the one-line errors. Paths are made absolute so that config.json names the same files from anywhere.
 */
export function validateRealConfig(raw: Partial<RealGrpoConfig> & { clipMode?: string }, label = 'real GRPO config'): RealGrpoConfig {
  const known = new Set([...Object.keys(REAL_GRPO_DEFAULTS), 'model', 'data', 'clipMode']);
  for (const k of Object.keys(raw)) {
    if (RENAMED[k]) throw new Error(`${label}: field '${k}' is now '${RENAMED[k]}'`);
    if (!known.has(k)) throw new Error(`${label}: unknown field '${k}'`);
  }
  const c = { ...REAL_GRPO_DEFAULTS, ...normaliseSettingsInput(raw, label) } as RealGrpoConfig;
  const fail = (field: string, what: string): never => { throw new Error(`${label}: field '${field}' ${what}`); };
  checkSettings(c, fail);
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
  if (c.batching === 'minibatches' && c.miniBatch > c.prompts * c.groupSize) fail('miniBatch', `(${c.miniBatch}) exceeds the rollouts per step, prompts × groupSize = ${c.prompts * c.groupSize}`);
  // A real checkpoint keeps no second copy of its weights as π_ref (it would double the memory).
  if (c.klCoef > 0) fail('klCoef', `must be 0 on a real checkpoint (no reference copy of the weights is kept), got ${c.klCoef}`);
  for (const f of ['adamBeta1', 'adamBeta2'] as const) if (!(c[f] >= 0 && c[f] < 1)) fail(f, `must be in [0, 1), got ${c[f]}`);
  if (!(BENCHMARK_NAMES as readonly string[]).includes(c.evalBench)) fail('evalBench', `must be one of ${BENCHMARK_NAMES.join(', ')}, got ${JSON.stringify(c.evalBench)}`);
  return { ...c, model: path.resolve(c.model), data: path.resolve(c.data) };
}

/** "random(0.5)" / "ground-truth". */
export function rewardLabel(c: Pick<RealGrpoConfig, 'reward' | 'gamma'>): string {
  return c.gamma !== null ? `${c.reward}(${c.gamma})` : c.reward;
}

/** e.g. "Qwen2.5-Math-7B__chat__random-0.5__clip__s1": the model folder's name, prompt format, reward, arm and seed. */
export function realRunId(c: Pick<RealGrpoConfig, 'model' | 'template' | 'reward' | 'gamma' | 'seed' | 'surrogate' | 'estimator' | 'batching'>): string {
  const model = path.basename(path.resolve(c.model)).replace(/[^A-Za-z0-9._-]+/g, '_');
  const reward = c.gamma !== null ? `${c.reward}-${c.gamma}` : c.reward;
  return `${model}__${c.template}__${reward}__${armName(c).replace(/=/g, '-eq-').replace(/\+/g, '_')}__s${c.seed}`;
}

/** Gradient updates per rollout phase: ⌈prompts × groupSize / miniBatch⌉ (paper: 64·16/128 = 8). */
export function updatesPerStep(c: Pick<RealGrpoConfig, 'prompts' | 'groupSize' | 'miniBatch' | 'batching'>): number {
  return derived(c).updatesPerStep;
}
