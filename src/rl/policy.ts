/**
 * What GRPO needs from a policy, whatever it is: the stand-in transformer (src/rl/standin.ts) or a
 * real checkpoint (src/real/policy.ts). The one loop (src/rl/grpo.ts) is written against these
 * interfaces only, so every ablation runs on both.
 */
import type { Rng } from '../engine/rng';
import type { RewardSpec } from './rewards';
import type { LossAggregation, Surrogate } from './settings';

/** The training prompts and how a response to one is graded. P is the task's problem type. */
export interface GrpoTask<P> {
  problems: readonly P[];
  /** The label each problem's reward compares against (null: the problem is not usable). */
  labels: readonly (string | null)[];
  reward: RewardSpec;
  /** The prompt text the reward sees. */
  promptText(p: P): string;
  /** An id for the sample log (a problem id, or a data file's line). */
  idOf(p: P): string | number;
  /** Accuracy against the gold answer (whatever the reward), code reasoning, a boxed answer. */
  grade(response: string, p: P): { correct: boolean; code: boolean; boxed: boolean };
}

/** One sampled response: its prompt and response tokens, and the sampler's log-probs (π_old unless recomputed). */
export interface SampledResponse {
  promptTokens: number[];
  tokens: number[];
  logProbs: number[];
  /** Entropy of the sampling distribution at each generated position, where the sampler reports it. */
  entropies?: number[];
  response: string;
  /** Cut at the token cap before a stop token, where the sampler reports it. */
  truncated?: boolean;
}

/** A row of a mini-batch update: the tokens, π_old and (with β > 0) π_ref of each response token. */
export interface UpdateRow {
  promptTokens: readonly number[];
  tokens: readonly number[];
  oldLogProbs: readonly number[];
  refLogProbs?: readonly number[];
}

/**
 * One optimiser update: rows with Â ≠ 0 (the others have no gradient when β = 0), and the
 * normaliser of the loss: the mini-batch's response count ('sequence-mean') or token count
 * ('token-mean'), skipped rows included.
 */
export interface UpdateBatch {
  rows: readonly UpdateRow[];
  advantages: readonly number[];
  normaliser: number;
}

/** The update step's settings: the surrogate and its normalisation, then AdamW with its gradient clip. */
export interface UpdateStep {
  surrogate: Surrogate;
  epsilon: number;
  lossAggregation: LossAggregation;
  klCoef: number;
  lr: number;
  gradClipNorm: number;
}

/** Sums over the update's response tokens (clipped counts, Σ|ρ − 1|), so updates combine into step fractions. */
export interface UpdateResult {
  loss: number;
  gradNorm: number;
  clippedHigh: number;
  clippedLow: number;
  absRatioDev: number;
  tokens: number;
}

export interface SampleOptions {
  temperature: number;
  maxNewTokens: number;
  rng: Rng;
}

/** Resume state beside the weights: the step reached and the run's RNG state. */
export interface ResumeMeta {
  step: number;
  rngState: number;
}

export interface Policy<P, E> {
  /** G responses to each problem, in group order (the g-th G answer the g-th problem). `labels` are the reward's labels of those problems. */
  sample(problems: readonly P[], labels: readonly (string | null)[], groupSize: number, opts: SampleOptions): Promise<SampledResponse[]>;
  /** log π_θ of each response token under the current weights, no gradient (π_old recomputed). */
  score(rows: readonly SampledResponse[]): Promise<number[][]>;
  /** log π_ref (the starting weights) of each response token; absent where the policy keeps no reference copy. */
  scoreReference?(rows: readonly SampledResponse[]): Promise<number[][]>;
  /** One AdamW update of the surrogate on a mini-batch. */
  update(batch: UpdateBatch, step: UpdateStep): Promise<UpdateResult>;
  /** The evaluation logged at a step. */
  evaluate(step: number): Promise<E>;
  /** The current weights, flat (for the relative update size ‖Δθ‖/‖θ‖); absent where copying them is too costly. */
  weights?(): Promise<Float32Array>;
  /** Worker threads the policy shards its work over (0: in-process), for the provenance record. */
  readonly workers: number;
  /** Weights, optimiser state and `meta`, atomically, to `dir`. */
  save(dir: string, meta: ResumeMeta): Promise<void>;
  dispose(): Promise<void>;
}
