/**
 * GRPO's algorithm settings, shared by every policy (the stand-in transformer and a real
 * checkpoint): the surrogate, the advantage estimator, the batching of the updates, and the
 * update step itself (loss normalisation, gradient clip, AdamW's weight decay). Each field says
 * what the paper's trainer (OpenRLHF / TTRL, Paper A, Appendix A) uses.
 *
 * The three ablation axes of Paper A's Figure 11 and the phase map's null are separate fields:
 * `surrogate` (clip term on/off), `estimator` (how Â is formed) and `batching` (how the rollouts
 * are cut into updates). Runs written before this split named one `clipMode` for all three;
 * `fromClipMode` maps those names, and `armName` gives them back, so old run folders keep their ids.
 */
import type { ClipMode, LossAggregation } from '../model/surrogate';

/** 'clip': min(ρÂ, clip(ρ, 1 ± ε)Â), the paper's. 'noclip': ρÂ, "clip term removed" (Fig. 11). */
export const SURROGATES: readonly Surrogate[] = ['clip', 'noclip'];
export type Surrogate = ClipMode;

/**
 * 'group-normalised': Â = (r − mean_group) / std_group (0 for a group of equal rewards), GRPO's.
 * 'leave-one-out': Â_i = r_i − mean of the group's other rewards, no std division (RLOO): an
 * unbiased estimator whose expected update under a reward independent of the response is zero.
 */
export const ESTIMATORS = ['group-normalised', 'leave-one-out'] as const;
export type Estimator = (typeof ESTIMATORS)[number];

/**
 * 'minibatches': the rollout batch is cut into mini-batches, one update each (paper: 8 per phase).
 * 'minibatch=rollout': one update per phase by enlarging the mini-batch to the whole rollout batch.
 * 'rollout=minibatch': one update per phase by shrinking the rollout batch to the mini-batch.
 * Both one-update forms give π_θ = π_old at the update, so ρ = 1 and nothing clips (Fig. 11).
 */
export const BATCHINGS = ['minibatches', 'minibatch=rollout', 'rollout=minibatch'] as const;
export type Batching = (typeof BATCHINGS)[number];

/** 'sequence-mean': mean over responses of each response's token mean (the paper's, TRL's "grpo"). 'token-mean': one mean over every response token of the mini-batch (OpenRLHF ≥ 0.8). */
export const LOSS_AGGREGATIONS: readonly LossAggregation[] = ['sequence-mean', 'token-mean'];
export type { LossAggregation };

/** 'sampler': π_old = the log-probs the sampler drew with. 'recompute': a training forward pass scores the rollouts again before the first update, so ρ = 1 exactly there whatever the sampler's rounding (OpenRLHF). */
export const OLD_LOGPROB_SOURCES = ['sampler', 'recompute'] as const;
export type OldLogProbSource = (typeof OLD_LOGPROB_SOURCES)[number];

/** 'reshuffle': each step draws its prompts from a fresh shuffle of the pool. 'permutation': one seeded permutation of the data, walked P prompts per step (an epoch-style data loader). */
export const PROMPT_ORDERS = ['reshuffle', 'permutation'] as const;
export type PromptOrder = (typeof PROMPT_ORDERS)[number];

export interface GrpoSettings {
  surrogate: Surrogate;
  estimator: Estimator;
  batching: Batching;
  /** ε: clip range, ρ ∈ [1 − ε, 1 + ε]. Paper: 0.2. */
  epsilon: number;
  /** Prompts per rollout phase. Paper: 64. */
  prompts: number;
  /** G: rollouts per prompt. Paper: 16. */
  groupSize: number;
  /** Rollouts per gradient update. Paper: 128 (so 64·16/128 = 8 updates per phase). */
  miniBatch: number;
  /** Constant learning rate (AdamW). Paper: 5e-7 on 7B models. */
  lr: number;
  /** Rollout phases (GRPO steps). Paper: 150. */
  steps: number;
  /** Sampling temperature of rollouts. Paper: 1.0. */
  temperature: number;
  /** Maximum response length in tokens. Paper: 3072. */
  maxNewTokens: number;
  /** β: weight of a KL(π_θ‖π_ref) penalty (k3 estimator). Paper: 0. */
  klCoef: number;
  /** Global gradient-norm clip of each update. Paper's trainer (OpenRLHF --max_norm): 1.0. */
  gradClipNorm: number;
  /** AdamW's decoupled weight decay. Paper's trainer (OpenRLHF --l2): 0. */
  weightDecay: number;
  /** How the surrogate is averaged; see LOSS_AGGREGATIONS. The paper's description: 'sequence-mean'; OpenRLHF ≥ 0.8 computes 'token-mean'. */
  lossAggregation: LossAggregation;
  oldLogProbs: OldLogProbSource;
  promptOrder: PromptOrder;
  /** Save a resume checkpoint every this many steps (0: never). */
  checkpointEvery: number;
  /** One log row per this many steps (means, with updates and seconds summed; evaluation steps always end a row): keeps a long one-update-per-step run's log compact. */
  logEvery: number;
  seed: number;
}

/** The paper's values where it has one; the stand-in's and the real path's configs override some. */
export const GRPO_SETTINGS_DEFAULTS: Readonly<GrpoSettings> = Object.freeze({
  surrogate: 'clip' as Surrogate,
  estimator: 'group-normalised' as Estimator,
  batching: 'minibatches' as Batching,
  epsilon: 0.2,
  prompts: 64,
  groupSize: 16,
  miniBatch: 128,
  lr: 5e-7,
  steps: 150,
  temperature: 1.0,
  maxNewTokens: 3072,
  klCoef: 0,
  gradClipNorm: 1.0,
  weightDecay: 0,
  lossAggregation: 'sequence-mean' as LossAggregation,
  oldLogProbs: 'sampler' as OldLogProbSource,
  promptOrder: 'reshuffle' as PromptOrder,
  checkpointEvery: 5,
  logEvery: 1,
  seed: 1,
});

/** The one-word names runs used before the split (and still use in run ids and tables). */
export const ARMS = ['clip', 'noclip', 'minibatch=rollout', 'rollout=minibatch', 'rloo'] as const;
export type Arm = (typeof ARMS)[number];

const ARM_SETTINGS: Record<Arm, Pick<GrpoSettings, 'surrogate' | 'estimator' | 'batching'>> = {
  clip: { surrogate: 'clip', estimator: 'group-normalised', batching: 'minibatches' },
  noclip: { surrogate: 'noclip', estimator: 'group-normalised', batching: 'minibatches' },
  'minibatch=rollout': { surrogate: 'clip', estimator: 'group-normalised', batching: 'minibatch=rollout' },
  'rollout=minibatch': { surrogate: 'clip', estimator: 'group-normalised', batching: 'rollout=minibatch' },
  // The phase map's one-update null: plain REINFORCE with a leave-one-out baseline.
  rloo: { surrogate: 'noclip', estimator: 'leave-one-out', batching: 'minibatch=rollout' },
};

/** The three fields an arm name stands for; `where` names the source in the error. */
export function fromClipMode(mode: string, where = 'GRPO config'): Pick<GrpoSettings, 'surrogate' | 'estimator' | 'batching'> {
  const s = ARM_SETTINGS[mode as Arm];
  if (!s) throw new Error(`${where}: field 'clipMode' is '${mode}', use one of ${ARMS.join(', ')} (or surrogate / estimator / batching)`);
  return { ...s };
}

/** The arm's one-word name ("clip", "rloo", …), or the three fields joined when no name fits. */
export function armName(c: Pick<GrpoSettings, 'surrogate' | 'estimator' | 'batching'>): string {
  const named = ARMS.find((a) => ARM_SETTINGS[a].surrogate === c.surrogate && ARM_SETTINGS[a].estimator === c.estimator && ARM_SETTINGS[a].batching === c.batching);
  return named ?? `${c.surrogate}+${c.estimator}+${c.batching}`;
}

/** Rollout batch and updates per phase after the batching's adjustments. */
export function derived(c: Pick<GrpoSettings, 'prompts' | 'groupSize' | 'miniBatch' | 'batching'>): { prompts: number; rollouts: number; miniBatch: number; updatesPerStep: number } {
  let prompts = c.prompts;
  let miniBatch = c.miniBatch;
  if (c.batching === 'minibatch=rollout') miniBatch = prompts * c.groupSize;
  if (c.batching === 'rollout=minibatch') prompts = Math.max(1, Math.floor(miniBatch / c.groupSize));
  const rollouts = prompts * c.groupSize;
  return { prompts, rollouts, miniBatch, updatesPerStep: Math.ceil(rollouts / miniBatch) };
}

/**
 * Maps a legacy `clipMode` onto the three fields (refusing a config that gives both) and drops
 * undefined values, so defaults fill them.
 */
export function normaliseSettingsInput<T extends object>(raw: T, where: string): T {
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  if ('clipMode' in out) {
    for (const k of ['surrogate', 'estimator', 'batching']) if (k in out) throw new Error(`${where}: field 'clipMode' and field '${k}' given together; use surrogate / estimator / batching`);
    Object.assign(out, fromClipMode(String(out.clipMode), where));
    delete out.clipMode;
  }
  return out as T;
}

/**
 * What runs written before a field existed ran with. An old config.json is filled from this table,
 * never from today's defaults, so a later change of a default cannot make an old run count as a run
 * of the new setting.
 */
export const LEGACY_SETTINGS: Readonly<Partial<GrpoSettings>> = Object.freeze({
  surrogate: 'clip' as Surrogate,
  estimator: 'group-normalised' as Estimator,
  batching: 'minibatches' as Batching,
  gradClipNorm: 1.0,
  weightDecay: 0,
  lossAggregation: 'sequence-mean' as LossAggregation,
  oldLogProbs: 'sampler' as OldLogProbSource,
  promptOrder: 'reshuffle' as PromptOrder,
  logEvery: 1,
});

/** An old record's fields, with what it omits filled from LEGACY_SETTINGS (an arm name stands for the three axes). */
export function withLegacySettings<T extends object>(raw: T): T {
  const out = { ...raw } as Record<string, unknown>;
  for (const [k, v] of Object.entries(LEGACY_SETTINGS)) {
    if (k in out) continue;
    if ('clipMode' in out && (k === 'surrogate' || k === 'estimator' || k === 'batching')) continue;
    out[k] = v;
  }
  return out as T;
}

/** Checks every shared field; `bad(field, message)` throws the caller's one-line error. */
export function checkSettings(c: GrpoSettings, bad: (field: string, msg: string) => never): void {
  const oneOf = <K extends keyof GrpoSettings>(f: K, allowed: readonly string[]) => {
    if (!allowed.includes(String(c[f]))) bad(f, `is ${JSON.stringify(c[f])}, use one of ${allowed.join(', ')}`);
  };
  oneOf('surrogate', SURROGATES);
  oneOf('estimator', ESTIMATORS);
  oneOf('batching', BATCHINGS);
  oneOf('lossAggregation', LOSS_AGGREGATIONS);
  oneOf('oldLogProbs', OLD_LOGPROB_SOURCES);
  oneOf('promptOrder', PROMPT_ORDERS);
  for (const f of ['prompts', 'groupSize', 'miniBatch', 'steps', 'maxNewTokens'] as const) if (!Number.isInteger(c[f]) || c[f] <= 0) bad(f, `must be a positive integer, got ${JSON.stringify(c[f])}`);
  if (!Number.isInteger(c.logEvery) || c.logEvery < 1) bad('logEvery', `must be a positive integer, got ${JSON.stringify(c.logEvery)}`);
  // A resume point inside a log row would lose the row's first steps.
  if (c.checkpointEvery % c.logEvery !== 0) bad('checkpointEvery', `(${c.checkpointEvery}) must be a multiple of logEvery (${c.logEvery})`);
  for (const f of ['checkpointEvery', 'seed'] as const) if (!Number.isInteger(c[f]) || c[f] < 0) bad(f, `must be a non-negative integer, got ${JSON.stringify(c[f])}`);
  if (c.groupSize < 2) bad('groupSize', 'must be at least 2 (advantages compare responses within a group)');
  if (!(c.epsilon > 0 && c.epsilon < 1)) bad('epsilon', `must be in (0, 1), got ${c.epsilon}`);
  if (!(c.lr > 0)) bad('lr', `must be positive, got ${c.lr}`);
  if (!(c.temperature > 0)) bad('temperature', `must be positive, got ${c.temperature}`);
  if (!(c.klCoef >= 0)) bad('klCoef', `must be ≥ 0, got ${c.klCoef}`);
  if (!(c.gradClipNorm > 0)) bad('gradClipNorm', `must be > 0, got ${c.gradClipNorm}`);
  if (!(c.weightDecay >= 0)) bad('weightDecay', `must be ≥ 0, got ${c.weightDecay}`);
}
