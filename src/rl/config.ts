/**
 * One typed GRPO run configuration, with the paper's symbols (Paper A, Appendix A), presets as
 * small overrides, and validation that names the offending field.
 */
import { promptTemplateError } from '../world/promptFormat';
import { REWARD_NAMES, RewardName, makeReward } from './rewards';
import { GRPO_SETTINGS_DEFAULTS, GrpoSettings, armName, checkSettings, normaliseSettingsInput } from './settings';

export { armName, derived } from './settings';

export interface GrpoConfig extends GrpoSettings {
  /** Stand-in family to start from (checkpoints/<family>). */
  family: string;
  reward: RewardName;
  /** γ: success probability of the random reward; null for other rewards. */
  gamma: number | null;
  /** Training prompts drawn from the first `trainPool` problems of datasets/world/train.jsonl. */
  trainPool: number;
  /** Samples per prompt behind the majority-vote labels. Paper: 64. */
  majorityK: number;
  /** Evaluate every this many steps (and at step 0 and the last step). */
  evalEvery: number;
  /** Test problems used by the per-step greedy evaluation (500 = the whole test set). */
  evalProblems: number;
  /** avg@k at temperature 0.6 (the paper's AMC avg@8 analogue); 0 disables. */
  evalAvgK: number;
  /** Test problems for avg@k. */
  evalAvgProblems: number;
  /**
   * Probe set (phase map): at every evaluation, `probeK` samples at τ = 1 on the first
   * `probeProblems` test problems give each problem's sampled code share and the sampled
   * accuracy. Optional so that configs written before it existed keep their identity.
   */
  probeProblems?: number;
  probeK?: number;
  /**
   * Contamination runs (notebook 07): at every evaluation, greedy accuracy on this many fresh
   * problems (disjoint from both shipped splits), per-problem correctness on the test problems,
   * and the probability of each greedy answer's tokens. Optional, like the probe set.
   */
  freshProblems?: number;
  /**
   * H5 (format): every prompt — training rollouts and every evaluation — is fed as this template
   * with `{prompt}` replaced by the problem (src/world/promptFormat.ts). Optional, like the probe set.
   */
  promptTemplate?: string;
}

/** A config as written by hand or by older runs: `clipMode` (an arm name) may stand for surrogate / estimator / batching. */
export type GrpoConfigInput = Partial<GrpoConfig> & { clipMode?: string };

/** The stand-in's defaults: the paper's settings except the learning rate and response length of a ~1M-parameter model. */
export const GRPO_DEFAULTS: Readonly<GrpoConfig> = Object.freeze({
  ...GRPO_SETTINGS_DEFAULTS,
  family: 'good-code',
  reward: 'random' as RewardName,
  gamma: 0.5,
  lr: 1e-4,
  maxNewTokens: 64,
  trainPool: 2048,
  majorityK: 64,
  evalEvery: 5,
  evalProblems: 500,
  evalAvgK: 8,
  evalAvgProblems: 100,
});

/** Presets: small overrides of the defaults. */
export const PRESETS: Record<string, Partial<GrpoConfig>> = {
  /** CI: a few tiny steps. */
  smoke: { prompts: 4, groupSize: 4, miniBatch: 8, steps: 2, maxNewTokens: 48, trainPool: 16, majorityK: 4, evalEvery: 2, evalProblems: 16, evalAvgK: 0, evalAvgProblems: 0, checkpointEvery: 1 },
  /**
   * Stand-in shapes: 8 prompts × G=8, mini-batch 8 → 8 updates per rollout phase (the paper's count).
   * lr 1e-4 with ε = 0.05: the lever sweep of the closing notes found that a learning rate large
   * enough to push ρ past 1 ± 0.2 (≥ 3e-4) wrecks the ~0.7M-parameter model's arithmetic under any
   * reward noise, while at 1e-4 the policy moves ~0.5% per phase, so the band is narrowed to keep
   * the clip active (about 1% of response tokens clipped per step).
   *
   * The grid a user re-runs on two cores. */
  quick: { prompts: 8, groupSize: 8, miniBatch: 8, steps: 8, lr: 1e-4, epsilon: 0.05, trainPool: 256, majorityK: 16, evalEvery: 4, evalProblems: 200, evalAvgK: 4, evalAvgProblems: 50 },
  /** The results the notebooks show. */
  full: { prompts: 8, groupSize: 8, miniBatch: 8, steps: 12, lr: 1e-4, epsilon: 0.05, trainPool: 512, majorityK: 16, evalEvery: 4, evalProblems: 500, evalAvgK: 4, evalAvgProblems: 50 },
};

const POSITIVE_INTS = ['trainPool', 'majorityK', 'evalEvery', 'checkpointEvery'] as const;

/** Validates a (possibly user-edited) config; `where` names its source in errors. */
export function validateGrpoConfig(raw: GrpoConfigInput, where = 'GRPO config'): GrpoConfig {
  const c = { ...GRPO_DEFAULTS, ...normaliseSettingsInput(raw, where) } as GrpoConfig;
  const bad = (field: string, msg: string): never => { throw new Error(`${where}: field '${field}' ${msg}`); };
  checkSettings(c, bad);
  if (!(REWARD_NAMES as readonly string[]).includes(c.reward)) bad('reward', `is '${c.reward}', use one of ${REWARD_NAMES.join(', ')}`);
  for (const f of POSITIVE_INTS) if (!Number.isInteger(c[f]) || (c[f] as number) <= 0) bad(f, `must be a positive integer, got ${JSON.stringify(c[f])}`);
  for (const f of ['evalProblems', 'evalAvgK', 'evalAvgProblems'] as const) if (!Number.isInteger(c[f]) || c[f] < 0) bad(f, `must be a non-negative integer, got ${JSON.stringify(c[f])}`);
  for (const f of ['probeProblems', 'probeK', 'freshProblems'] as const) if (c[f] !== undefined && (!Number.isInteger(c[f]) || (c[f] as number) <= 0)) bad(f, `must be a positive integer when given, got ${JSON.stringify(c[f])}`);
  if ((c.probeProblems === undefined) !== (c.probeK === undefined)) bad(c.probeK === undefined ? 'probeK' : 'probeProblems', 'must be given together with ' + (c.probeK === undefined ? 'probeProblems' : 'probeK'));
  if (c.promptTemplate !== undefined) {
    const why = promptTemplateError(c.promptTemplate);
    if (why) bad('promptTemplate', why);
  }
  const usesGamma = c.reward === 'random' || c.reward === 'random-no-python';
  if (usesGamma && (c.gamma === null || !(c.gamma >= 0 && c.gamma <= 1))) bad('gamma', `must be in [0, 1] for reward '${c.reward}', got ${c.gamma}`);
  if (!usesGamma) c.gamma = null;
  if (c.promptTemplate !== undefined) {
    // The majority-vote label cache is keyed by family and problem ids, not by the prompt text the model saw.
    const kind = makeReward(c.reward, { gamma: c.gamma }).labelKind;
    if (kind === 'majority' || kind === 'incorrect-majority') bad('promptTemplate', `is not supported with reward '${c.reward}' (majority-vote labels are cached for the unwrapped prompts)`);
  }
  return c;
}

/** Stable run id, e.g. "good-code__random-0.5__clip__s1" (the arm's name, as runs were always named). */
export function runId(c: GrpoConfig): string {
  const reward = c.gamma !== null ? `${c.reward}-${c.gamma}` : c.reward;
  return `${c.family}__${reward}__${armName(c).replace(/=/g, '-eq-')}__s${c.seed}`;
}
