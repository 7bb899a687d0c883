/**
 * GRPO as Paper A runs it (Appendix A), one loop for every policy (src/rl/policy.ts). Per step:
 *
 *   1. rollout    P prompts (a fresh shuffle, or the next P of a seeded permutation), G responses
 *                 each from the current policy; π_old = the sampler's log-probs, or recomputed by
 *                 a training forward pass; π_ref's log-probs for the KL diagnostic or penalty.
 *   2. reward     one per response; Â group-normalised, or leave-one-out (the null arm).
 *   3. update     the rollouts shuffled into mini-batches, one update each (`updateOnce`: the
 *                 surrogate normalised per response or per token, the global-norm gradient clip,
 *                 AdamW at a constant learning rate — all config fields).
 *   4. log        a step row; an evaluation on evaluation steps; sample responses at three steps;
 *                 a resume checkpoint every `checkpointEvery` steps and at a stop (`stopAt`).
 *
 * The run folder's protocol (identity, lock, resume, atomic log) is ./protocol.ts. A killed run
 * resumes from its checkpoint and writes the same log as an uninterrupted one.
 */
import { Progress } from '../engine/progress';
import { PhaseTimes } from '../engine/phases';
import { Rng } from '../engine/rng';
import { groupedAdvantages, leaveOneOutAdvantages, zeroStdGroupFraction } from './advantage';
import { EMPTY_ROW, StepLog, aggregateRows, meanOrNull } from './log';
import type { GrpoTask, Policy, ResumeMeta, SampledResponse, UpdateResult, UpdateStep } from './policy';
import { RunFiles, appendRow, cutBack, finishRun } from './protocol';
import { currentProvenance, recordProvenance } from './provenance';
import { GrpoSettings, derived } from './settings';

/**
 * Rollouts whose reference log-probs feed the kl_ref diagnostic when β = 0: a full reference
 * forward of the paper shape's 1,024 rollouts cost several seconds a step for one logged number.
 */
export const KL_REF_ROWS = 64;

/** A sampled response with the group (the g-th prompt of the step) and problem it answers. */
export interface RolloutRow<P> extends SampledResponse {
  group: number;
  problem: P;
  label: string | null;
  /** π_old of each response token. */
  oldLogProbs: number[];
  graded: { correct: boolean; code: boolean; boxed: boolean };
}

export interface LoopOptions<P, E, S> {
  settings: GrpoSettings;
  task: GrpoTask<P>;
  policy: Policy<P, E>;
  files: RunFiles;
  /** The step and RNG state a resumed run starts from (null: fresh). */
  resumed: ResumeMeta | null;
  /** Evaluate at step 0, every this many steps and at the last step (0: never). */
  evalEvery: number;
  summarize(log: readonly StepLog<E>[]): S;
  label: string;
  stopAt?: number;
  keepCheckpoint?: boolean;
  quiet?: boolean;
  progressStream?: NodeJS.WriteStream;
  /** Seconds between progress redraws. */
  progressEvery?: number;
  profile?: PhaseTimes;
  /** Entry files whose import closure defines the step's code (provenance.json's hash). */
  codeEntries: readonly string[];
  /** A progress-bar note from a step row (default: reward and evaluation accuracy). */
  note?(row: StepLog<E>): string;
}

/** Runs the loop from the resume point (or step 0) to `steps` (or `stopAt`); writes the summary when done. */
export async function grpoLoop<P, E extends { acc: number }, S extends object>(o: LoopOptions<P, E, S>): Promise<S> {
  const { settings: cfg, task, policy, files } = o;
  const prof = o.profile ?? new PhaseTimes();
  if (cfg.klCoef > 0 && !policy.scoreReference) throw new Error(`klCoef ${cfg.klCoef} needs π_ref's log-probs, which this policy does not keep`);
  const usable = task.problems.map((_, i) => i).filter((i) => task.labels[i] !== null);
  if (usable.length === 0) throw new Error(`reward '${task.reward.name}': no training prompt has a usable label`);
  const rng = new Rng(cfg.seed);
  let step = 0;
  if (o.resumed) {
    step = o.resumed.step;
    rng.setState(o.resumed.rngState);
  }
  const log = cutBack<StepLog<E>>(files, step);
  recordProvenance(files.dir, currentProvenance(step, policy.workers, o.codeEntries));
  // A run resumed from steps logged before update sizes were has no running sum to continue: null, not too small.
  let updateRelCum: number | null = step === 0 ? 0 : [...log].reverse().find((r) => typeof r.update_rel_cum === 'number')?.update_rel_cum ?? null;
  let pending: StepLog<E>[] = [];
  // 'permutation': the data's order, fixed by the seed (its own stream, so it does not depend on the step).
  const permutation = cfg.promptOrder === 'permutation' ? new Rng(cfg.seed * 7919 + 17).shuffle([...usable]) : [];
  const bar = o.quiet ? null : new Progress({ label: o.label, total: cfg.steps, start: step, stream: o.progressStream, everySeconds: o.progressEvery });
  const sampleSteps = new Set([1, Math.ceil(cfg.steps / 2), cfg.steps]);
  const isEvalStep = (s: number) => o.evalEvery > 0 && (s === 0 || s % o.evalEvery === 0 || s === cfg.steps);
  const evaluate = (s: number) => prof.time('eval', () => policy.evaluate(s));
  if (step === 0 && isEvalStep(0) && !log.some((r) => r.step === 0)) {
    const row: StepLog<E> = { ...EMPTY_ROW, step: 0, eval: await evaluate(0) };
    log.push(row);
    appendRow(files.log, row);
  }
  const stopAt = Math.min(cfg.steps, o.stopAt ?? cfg.steps);
  while (step < stopAt) {
    const t0 = Date.now();
    const chosen = choosePrompts(cfg, usable, permutation, step, rng); //           1. rollout
    const ro = await rollout(cfg, task, policy, chosen, rng, prof);
    const sampleS = (Date.now() - t0) / 1000;
    const { rewards, adv } = prof.timeSync('reward_advantage', () => rewardAndAdvantage(cfg, task, ro.rows, rng)); // 2. reward
    const t1 = Date.now();
    const upd = await updatePhase(cfg, policy, rng, ro, adv); //                        3. update
    step++;
    const row: StepLog<E> = { ...stepRow(ro, rewards, upd, cfg), step, sample_s: sampleS, train_s: (Date.now() - t1) / 1000 }; // 4. log
    if (upd.relSize !== null) {
      if (updateRelCum !== null) updateRelCum += upd.relSize;
      Object.assign(row, { update_rel: upd.relSize, update_rel_cum: updateRelCum });
    }
    if (isEvalStep(step)) row.eval = await evaluate(step);
    pending.push(row);
    // A row ends on the log cadence, an evaluation or the last step — never at a stop, so a stopped
    // and resumed run writes the rows an uninterrupted one does.
    if (step % cfg.logEvery === 0 || row.eval || step === cfg.steps) {
      const out = aggregateRows(pending);
      if (cfg.logEvery > 1) out.span = pending.length;
      pending = [];
      log.push(out);
      appendRow(files.log, out);
    }
    if (sampleSteps.has(step)) {
      // Two responses from each of the first two groups, with their reward and advantage.
      const shown = [0, 1, cfg.groupSize, cfg.groupSize + 1].filter((j) => j < ro.rows.length);
      for (const [i, j] of shown.entries()) appendRow(files.samples, { step, problem: task.idOf(ro.rows[j].problem), response: ro.rows[j].response, reward: rewards[j], advantage: +adv[j].toFixed(4), i });
    }
    // A stop saves its state too (a real run's steps are expensive), unless checkpoints are off or it
    // falls inside a log row (the row's first steps would be lost); the last regular checkpoint then stands.
    const due = cfg.checkpointEvery > 0 && (step % cfg.checkpointEvery === 0 || (step === stopAt && pending.length === 0));
    if (due && (step < cfg.steps || o.keepCheckpoint)) await policy.save(files.checkpoint, { step, rngState: rng.getState() });
    bar?.update(step, o.note ? o.note(row) : `reward ${row.reward_mean?.toFixed(2)} code ${row.rollout_code?.toFixed(2)}${row.eval ? ` acc ${row.eval.acc.toFixed(3)}` : ''}`);
  }
  const summary = o.summarize(log);
  if (step >= cfg.steps) finishRun(files, summary, o.keepCheckpoint);
  return summary;
}

/** The step's prompts (indices into the task's problems). */
function choosePrompts(cfg: GrpoSettings, usable: readonly number[], permutation: readonly number[], step: number, rng: Rng): number[] {
  const P = derived(cfg).prompts;
  if (cfg.promptOrder === 'permutation') return Array.from({ length: P }, (_, j) => permutation[(step * P + j) % permutation.length]);
  const chosen = rng.shuffle([...usable]).slice(0, P);
  while (chosen.length < P) chosen.push(usable[rng.int(usable.length)]); // tiny pools (one-shot)
  return chosen;
}

interface Rollout<P> {
  rows: RolloutRow<P>[];
  /** The rows whose π_ref log-probs were computed (all with β > 0, else the first KL_REF_ROWS) and those log-probs. */
  refRows: RolloutRow<P>[];
  refLp: number[][];
}

/** Step 1: G responses per prompt, π_old, and π_ref where the policy keeps it. */
async function rollout<P, E>(cfg: GrpoSettings, task: GrpoTask<P>, policy: Policy<P, E>, chosen: readonly number[], rng: Rng, prof: PhaseTimes): Promise<Rollout<P>> {
  const problems = chosen.map((i) => task.problems[i]);
  const labels = chosen.map((i) => task.labels[i]);
  const genRng = rng.fork();
  const sampled = await prof.time('generate', () => policy.sample(problems, labels, cfg.groupSize, { temperature: cfg.temperature, maxNewTokens: cfg.maxNewTokens, rng: genRng }));
  const rows: RolloutRow<P>[] = sampled.map((s, j) => {
    const group = Math.floor(j / cfg.groupSize);
    return { ...s, group, problem: problems[group], label: labels[group], oldLogProbs: s.logProbs, graded: task.grade(s.response, problems[group]) };
  });
  if (cfg.oldLogProbs === 'recompute') {
    const old = await prof.time('old_logprobs', () => policy.score(rows));
    rows.forEach((r, i) => { r.oldLogProbs = old[i]; });
  }
  // β > 0: the penalty needs every row's π_ref; β = 0: only the kl_ref diagnostic, on a subsample.
  const refRows = !policy.scoreReference ? [] : cfg.klCoef > 0 ? rows : rows.slice(0, KL_REF_ROWS);
  const refLp = refRows.length ? await prof.time('ref_logprobs', () => policy.scoreReference!(refRows)) : [];
  return { rows, refRows, refLp };
}

/** Step 2: a reward per response and the advantages. */
function rewardAndAdvantage<P>(cfg: GrpoSettings, task: GrpoTask<P>, rows: readonly RolloutRow<P>[], rng: Rng): { rewards: number[]; adv: Float32Array } {
  const rewardRng = rng.fork();
  const rewards = rows.map((g) => task.reward.fn({ prompt: task.promptText(g.problem), response: g.response, label: g.label, rng: rewardRng }));
  const adv = cfg.estimator === 'leave-one-out' ? leaveOneOutAdvantages(rewards, cfg.groupSize) : groupedAdvantages(rewards, cfg.groupSize);
  return { rewards, adv };
}

/**
 * The rows of a mini-batch whose gradient is computed. With β = 0 a row with Â = 0 has zero
 * gradient, so it is skipped (the normaliser still counts it); with β > 0 its KL term still pulls
 * toward π_ref, so every row is kept.
 */
export function rowsToCompute(idx: readonly number[], adv: ArrayLike<number>, klCoef: number): number[] {
  return klCoef > 0 ? [...idx] : idx.filter((i) => adv[i] !== 0);
}

interface UpdateStats extends UpdateResult {
  updates: number;
  /** Σ ‖Δθ‖/‖θ‖ over the step's updates; null where the policy does not expose its weights. */
  relSize: number | null;
}

/** ‖a − b‖ / ‖b‖ over flat weights. */
function relativeChange(after: Float32Array, before: Float32Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < before.length; i++) {
    const x = after[i] - before[i];
    d += x * x;
    n += before[i] * before[i];
  }
  return Math.sqrt(d) / Math.sqrt(n);
}

/** Step 3: one update per mini-batch of the shuffled rollouts. */
async function updatePhase<P, E>(cfg: GrpoSettings, policy: Policy<P, E>, rng: Rng, ro: Rollout<P>, adv: Float32Array): Promise<UpdateStats> {
  const d = derived(cfg);
  const order = rng.shuffle(ro.rows.map((_, i) => i));
  const acc: UpdateStats = { updates: 0, loss: 0, gradNorm: 0, clippedHigh: 0, clippedLow: 0, absRatioDev: 0, tokens: 0, relSize: policy.weights ? 0 : null };
  let before = policy.weights ? await policy.weights() : null;
  for (let m = 0; m < order.length; m += d.miniBatch) {
    const idx = order.slice(m, m + d.miniBatch);
    const r = await updateOnce(cfg, policy, ro, adv, idx);
    if (!r) continue;
    if (before && policy.weights) {
      const after = await policy.weights();
      acc.relSize! += relativeChange(after, before);
      before = after;
    }
    acc.updates++;
    acc.loss += r.loss; acc.gradNorm += r.gradNorm;
    acc.clippedHigh += r.clippedHigh; acc.clippedLow += r.clippedLow; acc.absRatioDev += r.absRatioDev; acc.tokens += r.tokens;
  }
  return acc;
}

/**
 * One optimiser update on the mini-batch `idx`: the loss is the surrogate summed over the
 * computed rows and divided by the mini-batch's response count ('sequence-mean', each response's
 * token mean weighing the same) or its token count ('token-mean'); the policy clips the gradient
 * to `gradClipNorm` and applies AdamW (weight decay fixed when the policy was built). Null when
 * no row has a gradient.
 */
async function updateOnce<P, E>(cfg: GrpoSettings, policy: Policy<P, E>, ro: Rollout<P>, adv: Float32Array, idx: readonly number[]): Promise<UpdateResult | null> {
  const live = rowsToCompute(idx, adv, cfg.klCoef);
  if (live.length === 0) return null;
  const normaliser = cfg.lossAggregation === 'token-mean' ? idx.reduce((n, i) => n + ro.rows[i].tokens.length, 0) : idx.length;
  const step: UpdateStep = { surrogate: cfg.surrogate, epsilon: cfg.epsilon, lossAggregation: cfg.lossAggregation, klCoef: cfg.klCoef, lr: cfg.lr, gradClipNorm: cfg.gradClipNorm };
  const rows = live.map((i) => ({ promptTokens: ro.rows[i].promptTokens, tokens: ro.rows[i].tokens, oldLogProbs: ro.rows[i].oldLogProbs, ...(cfg.klCoef > 0 ? { refLogProbs: ro.refLp[i] } : {}) }));
  return policy.update({ rows, advantages: live.map((i) => adv[i]), normaliser }, step);
}

/** Step 4: the step's log row (timings and evaluation are added by the loop). */
function stepRow<P>(ro: Rollout<P>, rewards: readonly number[], u: UpdateStats, cfg: GrpoSettings): Omit<StepLog<never>, 'step' | 'sample_s' | 'train_s'> {
  const rows = ro.rows;
  const recomputed = cfg.oldLogProbs === 'recompute';
  return {
    reward_mean: meanOrNull(rewards),
    zero_std_groups: zeroStdGroupFraction(rewards, cfg.groupSize),
    rollout_code: meanOrNull(rows.map((g) => (g.graded.code ? 1 : 0))),
    rollout_boxed: meanOrNull(rows.map((g) => (g.graded.boxed ? 1 : 0))),
    rollout_acc: meanOrNull(rows.map((g) => (g.graded.correct ? 1 : 0))),
    response_length: meanOrNull(rows.map((g) => g.tokens.length)),
    entropy: rows.every((g) => g.entropies) ? meanOrNull(rows.flatMap((g) => g.entropies!)) : null,
    ...(rows.some((g) => g.truncated !== undefined) ? { truncated: meanOrNull(rows.map((g) => (g.truncated ? 1 : 0))) } : {}),
    clip_high: u.tokens ? u.clippedHigh / u.tokens : null,
    clip_low: u.tokens ? u.clippedLow / u.tokens : null,
    abs_ratio_dev: u.tokens ? u.absRatioDev / u.tokens : null,
    kl_ref: ro.refRows.length ? meanOrNull(ro.refRows.flatMap((g, i) => g.logProbs.map((lp, t) => lp - ro.refLp[i][t]))) : null,
    ...(recomputed ? { logprob_gap: meanOrNull(rows.flatMap((r) => r.oldLogProbs.map((lp, t) => Math.abs(lp - r.logProbs[t])))) } : {}),
    loss: u.updates ? u.loss / u.updates : null,
    grad_norm: u.updates ? u.gradNorm / u.updates : null,
    updates: u.updates,
  };
}
