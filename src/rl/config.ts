/**
 * One typed GRPO run configuration, with the paper's symbols (Paper A, Appendix A), presets as
 * small overrides, and validation that names the offending field.
 */
import { promptTemplateError } from '../world/promptFormat';
import { REWARD_NAMES, RewardName, makeReward } from './rewards';

/**
 * Figure 11's ablation. 'clip': the paper's setting. 'noclip': clip term removed.
 * 'minibatch=rollout': one update per rollout phase by enlarging the mini-batch to the whole
 * rollout batch. 'rollout=minibatch': one update per phase by shrinking the rollout batch to the
 * mini-batch. Both one-update modes give π_θ = π_old at the update, so ρ = 1 and nothing clips.
 * 'rloo': the unbiased null of the phase map — a leave-one-out baseline (Â_i = r_i − mean of the
 * group's other rewards, no std division), one update per rollout phase, no ratio: plain REINFORCE,
 * whose expected update under a reward independent of the response is zero.
 */
export const CLIP_MODES = ['clip', 'noclip', 'minibatch=rollout', 'rollout=minibatch', 'rloo'] as const;
export type GrpoClipMode = (typeof CLIP_MODES)[number];

export interface GrpoConfig {
  /** Stand-in family to start from (checkpoints/<family>). */
  family: string;
  reward: RewardName;
  /** γ: success probability of the random reward; null for other rewards. */
  gamma: number | null;
  clipMode: GrpoClipMode;
  /** ε: clip range, ρ ∈ [1−ε, 1+ε]. Paper: 0.2. */
  epsilon: number;
  /** Prompts per rollout phase. Paper: 64. */
  prompts: number;
  /** G: rollouts per prompt. Paper: 16. */
  groupSize: number;
  /** Rollouts per gradient update. Paper: 128 (so 64·16/128 = 8 updates per phase). */
  miniBatch: number;
  /** Constant learning rate (AdamW). Paper: 5e-7 on 7B models; a 1M-parameter model needs more. */
  lr: number;
  /** Rollout phases (GRPO steps). Paper: 150. */
  steps: number;
  /** Sampling temperature of rollouts. Paper: 1.0. */
  temperature: number;
  /** Maximum response length in tokens. */
  maxNewTokens: number;
  /** β: weight of a KL(π_θ‖π_ref) penalty (k3 estimator). Paper: 0. */
  klCoef: number;
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
  /** Save a resume checkpoint every this many steps. */
  checkpointEvery: number;
  seed: number;
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

export const GRPO_DEFAULTS: Readonly<GrpoConfig> = Object.freeze({
  family: 'good-code',
  reward: 'random' as RewardName,
  gamma: 0.5,
  clipMode: 'clip' as GrpoClipMode,
  epsilon: 0.2,
  prompts: 64,
  groupSize: 16,
  miniBatch: 128,
  lr: 1e-4,
  steps: 150,
  temperature: 1.0,
  maxNewTokens: 64,
  klCoef: 0,
  trainPool: 2048,
  majorityK: 64,
  evalEvery: 5,
  evalProblems: 500,
  evalAvgK: 8,
  evalAvgProblems: 100,
  checkpointEvery: 5,
  seed: 1,
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

/** Rollout batch and updates per phase after the clip mode's adjustments. */
export function derived(c: GrpoConfig): { prompts: number; rollouts: number; miniBatch: number; updatesPerStep: number; surrogateMode: 'clip' | 'noclip' } {
  let prompts = c.prompts;
  let miniBatch = c.miniBatch;
  if (c.clipMode === 'minibatch=rollout' || c.clipMode === 'rloo') miniBatch = prompts * c.groupSize;
  if (c.clipMode === 'rollout=minibatch') prompts = Math.max(1, Math.floor(miniBatch / c.groupSize));
  const rollouts = prompts * c.groupSize;
  return { prompts, rollouts, miniBatch, updatesPerStep: Math.ceil(rollouts / miniBatch), surrogateMode: c.clipMode === 'noclip' || c.clipMode === 'rloo' ? 'noclip' : 'clip' };
}

const POSITIVE_INTS: (keyof GrpoConfig)[] = ['prompts', 'groupSize', 'miniBatch', 'steps', 'maxNewTokens', 'trainPool', 'majorityK', 'evalEvery', 'checkpointEvery'];

/** Validates a (possibly user-edited) config; `where` names its source in errors. */
export function validateGrpoConfig(raw: Partial<GrpoConfig>, where = 'GRPO config'): GrpoConfig {
  const c = { ...GRPO_DEFAULTS, ...raw } as GrpoConfig;
  const bad = (field: string, msg: string): never => { throw new Error(`${where}: field '${field}' ${msg}`); };
  if (!(REWARD_NAMES as readonly string[]).includes(c.reward)) bad('reward', `is '${c.reward}', use one of ${REWARD_NAMES.join(', ')}`);
  if (!(CLIP_MODES as readonly string[]).includes(c.clipMode)) bad('clipMode', `is '${c.clipMode}', use one of ${CLIP_MODES.join(', ')}`);
  for (const f of POSITIVE_INTS) if (!Number.isInteger(c[f]) || (c[f] as number) <= 0) bad(f, `must be a positive integer, got ${JSON.stringify(c[f])}`);
  for (const f of ['evalProblems', 'evalAvgK', 'evalAvgProblems', 'seed'] as const) if (!Number.isInteger(c[f]) || c[f] < 0) bad(f, `must be a non-negative integer, got ${JSON.stringify(c[f])}`);
  for (const f of ['probeProblems', 'probeK', 'freshProblems'] as const) if (c[f] !== undefined && (!Number.isInteger(c[f]) || (c[f] as number) <= 0)) bad(f, `must be a positive integer when given, got ${JSON.stringify(c[f])}`);
  if ((c.probeProblems === undefined) !== (c.probeK === undefined)) bad(c.probeK === undefined ? 'probeK' : 'probeProblems', 'must be given together with ' + (c.probeK === undefined ? 'probeProblems' : 'probeK'));
  if (c.promptTemplate !== undefined) {
    const why = promptTemplateError(c.promptTemplate);
    if (why) bad('promptTemplate', why);
  }
  if (!(c.epsilon > 0 && c.epsilon < 1)) bad('epsilon', `must be in (0, 1), got ${c.epsilon}`);
  if (!(c.lr > 0)) bad('lr', `must be positive, got ${c.lr}`);
  if (!(c.temperature > 0)) bad('temperature', `must be positive, got ${c.temperature}`);
  if (!(c.klCoef >= 0)) bad('klCoef', `must be ≥ 0, got ${c.klCoef}`);
  const usesGamma = c.reward === 'random' || c.reward === 'random-no-python';
  if (usesGamma && (c.gamma === null || !(c.gamma >= 0 && c.gamma <= 1))) bad('gamma', `must be in [0, 1] for reward '${c.reward}', got ${c.gamma}`);
  if (!usesGamma) c.gamma = null;
  if (c.groupSize < 2) bad('groupSize', 'must be at least 2 (advantages compare responses within a group)');
  if (c.promptTemplate !== undefined) {
    // The majority-vote label cache is keyed by family and problem ids, not by the prompt text the model saw.
    const kind = makeReward(c.reward, { gamma: c.gamma }).labelKind;
    if (kind === 'majority' || kind === 'incorrect-majority') bad('promptTemplate', `is not supported with reward '${c.reward}' (majority-vote labels are cached for the unwrapped prompts)`);
  }
  return c;
}

/** Stable run id, e.g. "good-code__random-0.5__clip__s1". */
export function runId(c: GrpoConfig): string {
  const reward = c.gamma !== null ? `${c.reward}-${c.gamma}` : c.reward;
  return `${c.family}__${reward}__${c.clipMode.replace('=', '-eq-')}__s${c.seed}`;
}
