/**
 * The step log every GRPO run writes (results/<preset>/<run>/log.jsonl), whatever its policy:
 * one row per step (rates are fractions), the evaluation on evaluation steps.
 */
import type { EvalResult } from './evaluate';

export interface StepLog<E = EvalResult> {
  step: number;
  reward_mean: number | null;
  zero_std_groups: number | null;
  rollout_code: number | null;
  rollout_boxed: number | null;
  /** Rollouts whose answer is right (whatever the reward). */
  rollout_acc: number | null;
  response_length: number | null;
  entropy: number | null;
  /** Rollouts cut at the token cap (policies whose sampler reports it). */
  truncated?: number | null;
  /**
   * Fractions of the response tokens that the update *computed* — the tokens of rows with Â ≠ 0
   * (rows with Â = 0 carry no gradient and are skipped when β = 0) — whose ratio was clipped
   * above 1 + ε (with Â > 0) or below 1 − ε (with Â < 0), summed over the step's updates.
   */
  clip_high: number | null;
  clip_low: number | null;
  abs_ratio_dev: number | null;
  /**
   * KL(π_sampler‖π_ref) per response token (k1 estimate on the sampler's log-probs, which are π_old
   * unless it is recomputed; π_ref = the starting model). With β = 0 it is
   * only a diagnostic and is estimated on the step's first KL_REF_ROWS rollouts; with β > 0 on
   * every rollout, as the penalty needs. Null where the policy keeps no reference copy.
   */
  kl_ref: number | null;
  /** Mean |log π_sampler − log π_old| when π_old is recomputed: how far KV-cache decoding and the training forward disagree. */
  logprob_gap?: number | null;
  loss: number | null;
  grad_norm: number | null;
  /** Σ over the step's updates of ‖Δθ‖/‖θ‖ (each update's relative size), where the policy exposes its weights. */
  update_rel?: number | null;
  /** update_rel summed from step 1 to this step. */
  update_rel_cum?: number | null;
  updates: number;
  /** Steps this row covers when the run logs one row per several steps (logEvery > 1). */
  span?: number;
  sample_s: number;
  train_s: number;
  /** Present on evaluation steps. */
  eval?: E;
}

export const EMPTY_ROW: StepLog<never> = { step: 0, reward_mean: null, zero_std_groups: null, rollout_code: null, rollout_boxed: null, rollout_acc: null, response_length: null, entropy: null, clip_high: null, clip_low: null, abs_ratio_dev: null, kl_ref: null, loss: null, grad_norm: null, updates: 0, sample_s: 0, train_s: 0 };

/**
 * One row for several steps: rates and diagnostics averaged over the steps that have them,
 * updates, seconds and update_rel summed, the last step's number, cumulative size and evaluation.
 */
export function aggregateRows<E>(rows: readonly StepLog<E>[]): StepLog<E> {
  if (rows.length === 1) return rows[0];
  const last = rows[rows.length - 1];
  const out: Record<string, unknown> = {};
  const SUMMED = new Set(['updates', 'sample_s', 'train_s', 'update_rel']);
  for (const key of Object.keys(last)) {
    if (key === 'eval' || key === 'step' || key === 'update_rel_cum') continue;
    const xs = rows.map((r) => (r as unknown as Record<string, unknown>)[key]).filter((v): v is number => typeof v === 'number');
    out[key] = SUMMED.has(key) ? xs.reduce((a, b) => a + b, 0) : meanOrNull(xs);
  }
  return { ...(out as unknown as StepLog<E>), step: last.step, ...(last.update_rel_cum !== undefined ? { update_rel_cum: last.update_rel_cum } : {}), span: rows.length, ...(last.eval ? { eval: last.eval } : {}) };
}

/** Mean, or null for no values (a log field with nothing to average). */
export function meanOrNull(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}
