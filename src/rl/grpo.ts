/**
 * GRPO as Paper A runs it (Appendix A): per rollout phase, G responses per prompt from the
 * current policy (their log-probs kept as π_old), a reward per response, group-relative
 * advantages, then several mini-batch updates of the clipped surrogate (defined once, in
 * ./surrogate.ts) with AdamW at a constant learning rate; no entropy term, and a KL penalty to
 * the starting model only when β (klCoef) > 0 (the paper uses none). KL(π_old‖π_ref) is logged
 * every step either way, so a run shows how far spurious rewards move the policy.
 *
 * A run is resumable: the policy, AdamW state and RNG state are checkpointed at step
 * boundaries, and the step log is cut back to the checkpoint, so a killed run resumes and writes
 * the same log as an uninterrupted one.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AdamW } from '../engine/adamw';
import { saveCheckpoint } from '../runtime/checkpoint';
import { GradJob, GrpoGradJob } from '../runtime/jobs';
import { appendJsonl } from '../engine/jsonl';
import { WorkerPool, dataParallelStep } from '../runtime/pool';
import { PhaseTimes } from '../engine/phases';
import { Progress } from '../engine/progress';
import { Rng } from '../engine/rng';
import * as tf from '@tensorflow/tfjs';
import { lmBatch } from '../model/batch';
import { Transformer, tokenLogProbs } from '../model/transformer';
import { loadWorldSplit } from '../world/dataset';
import { wrapProblems } from '../world/promptFormat';
import { Generation, generate } from '../world/generate';
import { sameWorldAnswer } from '../world/grade';
import { Problem } from '../world/problems';
import { worldTokenizer } from '../world/vocab';
import { groupedAdvantages, leaveOneOutAdvantages, zeroStdGroupFraction } from './advantage';
import { GrpoConfig, derived, runId, validateGrpoConfig } from './config';
import { evaluatePolicy, EvalResult } from './evaluate';
import { auditProblems } from '../world/audit';
import { OpenedRun, RunSummary, closeRun, openRun } from './run';

export type { RunSummary } from './run';
export { runConfigText, summarizeLog } from './run';

/** One line of a run's step log (results/<preset>/<run>/log.jsonl). Rates are fractions. */
export interface StepLog {
  step: number;
  reward_mean: number | null;
  zero_std_groups: number | null;
  rollout_code: number | null;
  rollout_boxed: number | null;
  rollout_acc: number | null;
  response_length: number | null;
  entropy: number | null;
  /**
   * Fractions of the response tokens that the update *computed* — the tokens of rows with Â ≠ 0
   * (rows with Â = 0 carry no gradient and are skipped when β = 0) — whose ratio was clipped
   * above 1 + ε (with Â > 0) or below 1 − ε (with Â < 0), summed over the step's updates.
   */
  clip_high: number | null;
  clip_low: number | null;
  abs_ratio_dev: number | null;
  /**
   * KL(π_old‖π_ref) per response token (k1 estimate; π_ref = the starting model). With β = 0 it is
   * only a diagnostic and is estimated on the step's first KL_REF_ROWS rollouts (all of them at
   * the presets' 64 rollouts per step); with β > 0 on every rollout, as the penalty needs.
   */
  kl_ref: number | null;
  loss: number | null;
  grad_norm: number | null;
  updates: number;
  sample_s: number;
  train_s: number;
  /** Present on evaluation steps. */
  eval?: EvalResult;
}

export interface RunDirs {
  /** results/<preset>/<run-id> */
  runDir: string;
  /** Where majority-vote labels are cached (shared across runs). */
  labelsDir: string;
}

/**
 * Mini-batches of at least this many rows go to the workers in length buckets (each padded to its
 * own longest row, not the mini-batch's): the same gradient up to float rounding, with ~1/3 less
 * padding at the paper's shape. Smaller mini-batches (every preset's) keep contiguous shards, so
 * their runs stay bit-identical to the ones already committed.
 */
export const BUCKET_MIN_ROWS = 64;

/** Length buckets per worker (even, so the snake order pairs short with long). */
export const BUCKETS_PER_SHARD = 4;

/**
 * GRPO mini-batch shards, one job per worker: each row is prompt+response; targets are the next
 * tokens; the mask selects response targets; π_old log-probs are placed at those positions.
 */
export function grpoShards(rows: readonly Generation[], advantages: readonly number[], cfg: Pick<GrpoConfig, 'epsilon' | 'klCoef'>, mode: 'clip' | 'noclip', shards: number, refLogProbs?: readonly (readonly number[])[], bucketMinRows = BUCKET_MIN_ROWS): GradJob[] {
  if (cfg.klCoef > 0 && !refLogProbs) throw new Error('grpoShards: klCoef > 0 needs the reference log-probs of every row');
  const jobOf = (idx: readonly number[]): GrpoGradJob => {
    const part = idx.map((i) => rows[i]);
    const lm = lmBatch(part.map((g) => [...g.promptTokens, ...g.tokens]));
    const { B, T } = lm.batch;
    const old = new Float32Array(B * T);
    const ref = cfg.klCoef > 0 ? new Float32Array(B * T) : undefined;
    lm.lossMask.fill(0);
    part.forEach((g, b) => {
      const first = g.promptTokens.length - 1; // target index of the first response token
      for (let i = 0; i < g.tokens.length; i++) {
        lm.lossMask[b * T + first + i] = 1;
        old[b * T + first + i] = g.logProbs[i];
        if (ref) ref[b * T + first + i] = refLogProbs![idx[b]][i];
      }
    });
    return { kind: 'grpo', lm, oldLogProbs: old, advantages: Float32Array.from(idx.map((i) => advantages[i])), epsLow: cfg.epsilon, epsHigh: cfg.epsilon, clipMode: mode, ...(ref ? { klCoef: cfg.klCoef, refLogProbs: ref } : {}) };
  };
  const n = Math.max(1, shards);
  const all = rows.map((_, i) => i);
  if (rows.length < bucketMinRows) {
    const per = Math.ceil(rows.length / n);
    const jobs: GradJob[] = [];
    for (let start = 0; start < rows.length; start += per) jobs.push(jobOf(all.slice(start, start + per)));
    return jobs;
  }
  // Rows sorted by length into BUCKETS_PER_SHARD·n buckets dealt out in snake order (shard s
  // takes buckets s, 2n−1−s, 2n+s, …), so every shard gets short and long rows alike and the
  // workers finish together.
  const len = (i: number) => rows[i].promptTokens.length + rows[i].tokens.length;
  const sorted = [...all].sort((a, b) => len(a) - len(b) || a - b);
  const nb = BUCKETS_PER_SHARD * n;
  const per = Math.ceil(sorted.length / nb);
  const buckets = Array.from({ length: nb }, (_, b) => sorted.slice(b * per, (b + 1) * per));
  const jobs: GradJob[] = [];
  for (let s = 0; s < n; s++) {
    const mine = Array.from({ length: BUCKETS_PER_SHARD }, (_, r) => buckets[r * n + (r % 2 === 0 ? s : n - 1 - s)]).filter((b) => b.length > 0);
    if (mine.length) jobs.push({ kind: 'multi', jobs: mine.map(jobOf) });
  }
  return jobs;
}

/**
 * The rows of a mini-batch whose gradient is computed. With β = 0 a row with Â = 0 has zero
 * gradient, so it is skipped (the mean still counts it); with β > 0 its KL term still pulls toward
 * π_ref, so every row is kept.
 */
export function rowsToCompute(idx: readonly number[], adv: ArrayLike<number>, klCoef: number): number[] {
  return klCoef > 0 ? [...idx] : idx.filter((i) => adv[i] !== 0);
}

/**
 * Rollouts whose reference log-probs feed the kl_ref diagnostic when β = 0: a full reference
 * forward of the paper shape's 1,024 rollouts cost several seconds a step for one logged number.
 */
export const KL_REF_ROWS = 64;

/**
 * log π_ref of every sampled response token, one array per rollout (a forward pass, no gradient):
 * sharded over the workers when the pool has them (`refWeights`: π_ref's flat weights), else
 * in-process in chunks.
 */
export async function referenceLogProbs(ref: Transformer, rows: readonly Generation[], pool?: WorkerPool, refWeights?: Float32Array, chunk = 128): Promise<number[][]> {
  const out: number[][] = [];
  const collect = (part: readonly Generation[], flat: Float32Array, T: number) => part.forEach((g, b) => {
    const first = b * T + g.promptTokens.length - 1;
    out.push(Array.from(flat.subarray(first, first + g.tokens.length)));
  });
  if (pool && pool.size > 0 && refWeights && rows.length > 0) {
    const per = Math.ceil(rows.length / pool.size);
    const parts = Array.from({ length: Math.ceil(rows.length / per) }, (_, i) => rows.slice(i * per, (i + 1) * per));
    const lms = parts.map((p) => lmBatch(p.map((g) => [...g.promptTokens, ...g.tokens])));
    const flats = await pool.tokenLogProbs(refWeights, lms);
    parts.forEach((p, i) => collect(p, flats[i], lms[i].batch.T));
    return out;
  }
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const lm = lmBatch(part.map((g) => [...g.promptTokens, ...g.tokens]));
    const lp = tf.tidy(() => tokenLogProbs(ref.params, ref.config, lm.batch, lm.targets));
    collect(part, lp.dataSync() as Float32Array, lm.batch.T);
    lp.dispose();
  }
  return out;
}

function mean(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

export interface RunOptions {
  workers?: number;
  quiet?: boolean;
  checkpointsDir?: string;
  stopAt?: number;
  /** Keep the resume checkpoint of a finished run. */
  keepCheckpoint?: boolean;
  /** Progress bar stream (default stderr). */
  progressStream?: NodeJS.WriteStream;
  /** Accumulates seconds per phase of every step (bench:grpo's profile). */
  profile?: PhaseTimes;
}

/**
 * Runs (or resumes) one GRPO run under a lock file in its directory, so two grid processes
 * never write the same run; a lock left by a dead process is taken over.
 */
export async function runGrpo(raw: Partial<GrpoConfig>, dirs: RunDirs, opts: RunOptions = {}): Promise<RunSummary> {
  fs.mkdirSync(dirs.runDir, { recursive: true });
  const lock = path.join(dirs.runDir, '.lock');
  const take = (): boolean => {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch {
      return false;
    }
  };
  if (!take()) {
    const holder = Number(fs.readFileSync(lock, 'utf8'));
    if (holder !== process.pid && isAlive(holder)) throw new Error(`${dirs.runDir}: being run by process ${holder}`);
    fs.rmSync(lock, { force: true });
    if (!take()) throw new Error(`${dirs.runDir}: being run by another process`);
  }
  try {
    return await runGrpoUnlocked(raw, dirs, opts);
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function runGrpoUnlocked(raw: Partial<GrpoConfig>, dirs: RunDirs, opts: RunOptions): Promise<RunSummary> {
  const cfg = validateGrpoConfig(raw);
  const run = await openRun(cfg, dirs, opts);
  if ('finished' in run) return run.finished;
  const { model, opt, rng, reference, files, log } = run;
  let step = run.step;
  const pool = await WorkerPool.create(model, opts.workers);
  const prof = opts.profile ?? new PhaseTimes();
  const evaluate = evaluator(cfg, pool, prof);
  const bar = opts.quiet ? null : new Progress({ label: runId(cfg), total: cfg.steps, start: step, stream: opts.progressStream });
  const sampleSteps = new Set([1, Math.ceil(cfg.steps / 2), cfg.steps]);
  try {
    if (step === 0 && !log.some((r) => r.step === 0)) {
      const row: StepLog = { ...EMPTY_ROW, step: 0, eval: await evaluate(0) };
      log.push(row);
      appendJsonl(files.log, row);
    }
    const stopAt = Math.min(cfg.steps, opts.stopAt ?? cfg.steps);
    while (step < stopAt) {
      const t0 = Date.now();
      const ro = await rollout(cfg, run, pool, prof); //                      1. G responses per prompt (π_old)
      const sampleS = (Date.now() - t0) / 1000;
      const { rewards, adv } = prof.timeSync('reward_advantage', () => rewardAndAdvantage(cfg, run, ro.rows)); // 2.
      const t1 = Date.now();
      const upd = await policyUpdate(cfg, pool, opt, rng, ro, adv, prof); //   3. mini-batch updates of the surrogate
      step++;
      const row: StepLog = { ...stepRow(ro, rewards, upd, cfg.groupSize), step, sample_s: sampleS, train_s: (Date.now() - t1) / 1000 }; // 4. log
      if (step % cfg.evalEvery === 0 || step === cfg.steps) row.eval = await evaluate(step);
      log.push(row);
      appendJsonl(files.log, row);
      if (sampleSteps.has(step)) {
        // Two responses from each of the first two groups, with their reward and advantage.
        const shown = [0, 1, cfg.groupSize, cfg.groupSize + 1].filter((j) => j < ro.rows.length);
        for (const [i, j] of shown.entries()) appendJsonl(files.samples, { step, problem: ro.rows[j].problemId, response: ro.rows[j].response, reward: rewards[j], advantage: +adv[j].toFixed(4), i });
      }
      if (step % cfg.checkpointEvery === 0 || step === cfg.steps) await saveCheckpoint(files.checkpoint, model, { step, optimizer: opt, rngState: rng.getState(), extra: { grpo: cfg } });
      bar?.update(step, `reward ${row.reward_mean?.toFixed(2)} code ${row.rollout_code?.toFixed(2)}${row.eval ? ` acc ${row.eval.acc.toFixed(3)}` : ''}`);
    }
  } finally {
    await pool.close();
    model.dispose();
    reference.dispose();
  }
  return closeRun(cfg, files, log, step, opts);
}

const EMPTY_ROW: StepLog = { step: 0, reward_mean: null, zero_std_groups: null, rollout_code: null, rollout_boxed: null, rollout_acc: null, response_length: null, entropy: null, clip_high: null, clip_low: null, abs_ratio_dev: null, kl_ref: null, loss: null, grad_norm: null, updates: 0, sample_s: 0, train_s: 0 };

/** A sampled response with the prompt group it answers (group g = the g-th prompt of the step). */
export interface RolloutRow extends Generation {
  group: number;
  problem: Problem;
  /** The label the reward compares against (null: none). */
  label: string | null;
}

interface Rollout {
  rows: RolloutRow[];
  /** The rows whose π_ref log-probs were computed (all with β > 0, else the first KL_REF_ROWS) and those log-probs. */
  refRows: RolloutRow[];
  refLp: number[][];
}

/** Step 1: draw the step's prompts and sample G responses to each from the current policy. */
async function rollout(cfg: GrpoConfig, run: OpenedRun, pool: WorkerPool, prof: PhaseTimes): Promise<Rollout> {
  const { rng, usable, problems, labels } = run;
  const chosen = rng.shuffle([...usable]).slice(0, derived(cfg).prompts);
  while (chosen.length < derived(cfg).prompts) chosen.push(usable[rng.int(usable.length)]); // tiny pools (one-shot)
  const genRng = rng.fork();
  const gens = await prof.time('generate', () => generate(pool, worldTokenizer(), chosen.map((i) => problems[i]), chosen.map((i) => labels[i] ?? ''), { temperature: cfg.temperature, k: cfg.groupSize, maxNewTokens: cfg.maxNewTokens, rng: genRng }));
  const rows = gens.map((g, j) => { const group = Math.floor(j / cfg.groupSize); return { ...g, group, problem: problems[chosen[group]], label: labels[chosen[group]] }; });
  // β > 0: the penalty needs every row's π_ref; β = 0: only the kl_ref diagnostic, on a subsample.
  const refRows = cfg.klCoef > 0 ? rows : rows.slice(0, KL_REF_ROWS);
  const refLp = await prof.time('ref_logprobs', () => referenceLogProbs(run.reference, refRows, pool, run.referenceWeights));
  return { rows, refRows, refLp };
}

/** Step 2: a reward per response and the advantages (group-relative, or leave-one-out for RLOO). */
function rewardAndAdvantage(cfg: GrpoConfig, run: OpenedRun, rows: readonly RolloutRow[]): { rewards: number[]; adv: Float32Array } {
  const rewardRng = run.rng.fork();
  const rewards = rows.map((g) => run.reward.fn({ prompt: g.problem.prompt, response: g.response, label: g.label, rng: rewardRng }));
  const adv = cfg.clipMode === 'rloo' ? leaveOneOutAdvantages(rewards, cfg.groupSize) : groupedAdvantages(rewards, cfg.groupSize);
  return { rewards, adv };
}

interface UpdateStats { updates: number; loss: number; gradNorm: number; clipHigh: number; clipLow: number; absDev: number; tokens: number }

/** Step 3: AdamW updates of the clipped surrogate over mini-batches of the shuffled rollouts. */
async function policyUpdate(cfg: GrpoConfig, pool: WorkerPool, opt: AdamW, rng: Rng, ro: Rollout, adv: Float32Array, prof: PhaseTimes): Promise<UpdateStats> {
  const d = derived(cfg);
  const order = rng.shuffle(ro.rows.map((_, i) => i));
  const acc: UpdateStats = { updates: 0, loss: 0, gradNorm: 0, clipHigh: 0, clipLow: 0, absDev: 0, tokens: 0 };
  for (let m = 0; m < order.length; m += d.miniBatch) {
    const idx = order.slice(m, m + d.miniBatch);
    const live = rowsToCompute(idx, adv, cfg.klCoef);
    if (live.length === 0) continue;
    const jobs = grpoShards(live.map((i) => ro.rows[i]), live.map((i) => adv[i]), cfg, d.surrogateMode, Math.max(1, pool.size), cfg.klCoef > 0 ? live.map((i) => ro.refLp[i]) : undefined);
    const r = await dataParallelStep(pool, opt, jobs, cfg.lr, 1.0, idx.length);
    prof.add('update_compute', r.timing.compute_s);
    prof.add('update_transfer', r.timing.grad_s - r.timing.compute_s);
    prof.add('update_merge', r.timing.merge_s);
    prof.add('update_adamw', r.timing.adamw_s);
    acc.updates++;
    acc.loss += r.loss; acc.gradNorm += r.gradNorm;
    acc.clipHigh += r.stats.clippedHigh ?? 0; acc.clipLow += r.stats.clippedLow ?? 0; acc.absDev += r.stats.absRatioDev ?? 0; acc.tokens += r.stats.tokens ?? 0;
  }
  return acc;
}

/** Step 4: the step's log row (timings and evaluation are added by the loop). */
function stepRow(ro: Rollout, rewards: readonly number[], u: UpdateStats, groupSize: number): Omit<StepLog, 'step' | 'sample_s' | 'train_s'> {
  const rows = ro.rows;
  return {
    reward_mean: mean(rewards),
    zero_std_groups: zeroStdGroupFraction(rewards, groupSize),
    rollout_code: mean(rows.map((g) => (g.code ? 1 : 0))),
    rollout_boxed: mean(rows.map((g) => (g.boxed ? 1 : 0))),
    rollout_acc: mean(rows.map((g) => (sameWorldAnswer(g.answer, g.problem.answer) ? 1 : 0))),
    response_length: mean(rows.map((g) => g.tokens.length)),
    entropy: mean(rows.flatMap((g) => g.entropies)),
    clip_high: u.tokens ? u.clipHigh / u.tokens : null,
    clip_low: u.tokens ? u.clipLow / u.tokens : null,
    abs_ratio_dev: u.tokens ? u.absDev / u.tokens : null,
    kl_ref: mean(ro.refRows.flatMap((g, i) => g.logProbs.map((lp, t) => lp - ro.refLp[i][t]))),
    loss: u.updates ? u.loss / u.updates : null,
    grad_norm: u.updates ? u.gradNorm / u.updates : null,
    updates: u.updates,
  };
}

/** Greedy accuracy (+ avg@k, + the probe set when configured) at a step; its own seed per step. */
export function evaluator(cfg: GrpoConfig, pool: WorkerPool, prof: PhaseTimes = new PhaseTimes()): (step: number) => Promise<EvalResult> {
  const test = wrapProblems(loadWorldSplit('test'), cfg.promptTemplate);
  const evalSet = test.slice(0, cfg.evalProblems);
  const avgSet = test.slice(0, cfg.evalAvgProblems);
  const probe = cfg.probeProblems && cfg.probeK ? { problems: test.slice(0, cfg.probeProblems), k: cfg.probeK } : undefined;
  const fresh = cfg.freshProblems ? wrapProblems(auditProblems('fresh', loadWorldSplit('test'), loadWorldSplit('train'), cfg.freshProblems), cfg.promptTemplate) : undefined;
  return (s) => prof.time('eval', () => evaluatePolicy(pool, evalSet, avgSet, { maxNewTokens: cfg.maxNewTokens, avgK: cfg.evalAvgK, seed: cfg.seed * 100003 + s, perProblem: s === 0 || s === cfg.steps, probe, fresh }));
}
