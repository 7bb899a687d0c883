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
import { writeFileAtomic } from '../engine/atomic';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint, weightsDigest } from '../engine/checkpoint';
import { GradJob, GrpoGradJob } from '../engine/jobs';
import { appendJsonl, jsonlText, readJsonl } from '../engine/jsonl';
import { WorkerPool, dataParallelStep } from '../engine/pool';
import { PhaseTimes } from '../engine/phases';
import { Progress } from '../engine/progress';
import { Rng } from '../engine/rng';
import * as tf from '@tensorflow/tfjs';
import { lmBatch } from '../model/batch';
import { Transformer, tokenLogProbs } from '../model/transformer';
import { loadWorldSplit } from '../world/dataset';
import { Generation, generate } from '../world/generate';
import { sameWorldAnswer } from '../world/grade';
import { Problem } from '../world/problems';
import { CHECKPOINTS_DIR } from '../world/priors';
import { worldTokenizer } from '../world/vocab';
import { groupedAdvantages, leaveOneOutAdvantages, zeroStdGroupFraction } from './advantage';
import { GrpoConfig, derived, runId, validateGrpoConfig } from './config';
import { evaluatePolicy, EvalResult } from './evaluate';
import { cachedMajorityLabels } from './labels';
import { labelsFor, makeReward } from './rewards';

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
  // Rows sorted by length into 2n buckets; shard s takes buckets s and 2n−1−s, so every shard
  // gets one short and one long bucket and the workers finish together.
  const len = (i: number) => rows[i].promptTokens.length + rows[i].tokens.length;
  const sorted = [...all].sort((a, b) => len(a) - len(b) || a - b);
  const nb = 2 * n;
  const per = Math.ceil(sorted.length / nb);
  const buckets = Array.from({ length: nb }, (_, b) => sorted.slice(b * per, (b + 1) * per));
  const jobs: GradJob[] = [];
  for (let s = 0; s < n; s++) {
    const mine = [buckets[s], buckets[nb - 1 - s]].filter((b) => b.length > 0);
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

/** log π_ref of every sampled response token, one array per rollout (a forward pass, no gradient). */
export function referenceLogProbs(ref: Transformer, rows: readonly Generation[], chunk = 128): number[][] {
  const out: number[][] = [];
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const lm = lmBatch(part.map((g) => [...g.promptTokens, ...g.tokens]));
    const T = lm.batch.T;
    const lp = tf.tidy(() => tokenLogProbs(ref.params, ref.config, lm.batch, lm.targets));
    const flat = lp.dataSync();
    lp.dispose();
    part.forEach((g, b) => {
      const first = b * T + g.promptTokens.length - 1;
      out.push(Array.from(flat.subarray(first, first + g.tokens.length)));
    });
  }
  return out;
}

function mean(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

export interface RunSummary {
  run_id: string;
  family: string;
  reward: string;
  gamma: number | null;
  clip_mode: string;
  seed: number;
  steps: number;
  acc_start: number | null;
  acc_end: number | null;
  code_start: number | null;
  code_end: number | null;
}

export function summarizeLog(cfg: GrpoConfig, log: readonly StepLog[]): RunSummary {
  const evals = log.filter((r) => r.eval);
  const first = evals[0]?.eval;
  const last = evals[evals.length - 1]?.eval;
  return {
    run_id: runId(cfg), family: cfg.family, reward: cfg.reward, gamma: cfg.gamma, clip_mode: cfg.clipMode, seed: cfg.seed,
    steps: log.length ? Math.max(...log.map((r) => r.step)) : 0,
    acc_start: first?.acc ?? null, acc_end: last?.acc ?? null, code_start: first?.code ?? null, code_end: last?.code ?? null,
  };
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

/**
 * The text of a run's config.json: the config, its derived sizes and the starting checkpoint's
 * weights digest. A run is the same run only if this text is identical (a retrained family is a new run).
 */
export function runConfigText(cfg: GrpoConfig, checkpointsDir = CHECKPOINTS_DIR): string {
  const startDigest = weightsDigest(path.join(checkpointsDir, cfg.family));
  return JSON.stringify({ ...cfg, run_id: runId(cfg), derived: derived(cfg), start_weights_sha1: startDigest }, null, 1) + '\n';
}

async function runGrpoUnlocked(raw: Partial<GrpoConfig>, dirs: RunDirs, opts: RunOptions): Promise<RunSummary> {
  const cfg = validateGrpoConfig(raw);
  if (cfg.temperature !== 1) throw new Error(`GRPO config: field 'temperature' must be 1 here (π_old and π_θ are both scored at τ = 1), got ${cfg.temperature}`);
  const d = derived(cfg);
  const reward = makeReward(cfg.reward, { gamma: cfg.gamma });
  const tok = worldTokenizer();
  const ckDir = path.join(dirs.runDir, 'checkpoint');
  const logFile = path.join(dirs.runDir, 'log.jsonl');
  const familyDir = path.join(opts.checkpointsDir ?? CHECKPOINTS_DIR, cfg.family);
  const cfgText = runConfigText(cfg, opts.checkpointsDir);
  const cfgFile = path.join(dirs.runDir, 'config.json');
  const summaryFile = path.join(dirs.runDir, 'summary.json');
  const sameConfig = fs.existsSync(cfgFile) && fs.readFileSync(cfgFile, 'utf8') === cfgText;
  if (fs.existsSync(summaryFile) && fs.existsSync(cfgFile)) {
    // Already finished with this exact config: the log is the result, nothing to redo.
    if (sameConfig) return JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as RunSummary;
    throw new Error(`${dirs.runDir}: holds a finished run with a different config or starting checkpoint; move it away to re-run`);
  }
  if (hasCheckpoint(ckDir) && !sameConfig) {
    throw new Error(`${ckDir}: a resume checkpoint of a different config or starting checkpoint; delete ${dirs.runDir} to start over`);
  }
  const samplesFile = path.join(dirs.runDir, 'samples.jsonl');
  if (!sameConfig) {
    // Lines written under another identity (e.g. a step-0 evaluation of a family since retrained,
    // by a run killed before its first checkpoint) are not this run's: never reuse them.
    fs.rmSync(logFile, { force: true });
    fs.rmSync(samplesFile, { force: true });
  }
  writeFileAtomic(cfgFile, cfgText);

  // ---- data and labels ------------------------------------------------------------------------
  const pool0 = loadWorldSplit('train').slice(0, cfg.trainPool);
  const problems: Problem[] = reward.singleExample ? [pool0[0]] : pool0;
  const test = loadWorldSplit('test');
  const base = loadCheckpoint(familyDir);
  let model: Transformer = base.model;
  // π_ref for the KL diagnostic/penalty: a frozen copy of the starting weights.
  const reference = loadCheckpoint(familyDir).model;
  let majority: (string | null)[] | null = null;
  if (reward.labelKind === 'majority' || reward.labelKind === 'incorrect-majority') {
    majority = await cachedMajorityLabels(model, cfg.family, problems, cfg.majorityK, cfg.maxNewTokens, dirs.labelsDir, { workers: opts.workers, quiet: opts.quiet, modelDigest: weightsDigest(familyDir) });
  }
  const labels = labelsFor(reward.labelKind, problems.map((p) => p.answer), majority);
  const usable = problems.map((_, i) => i).filter((i) => labels[i] !== null);
  if (usable.length === 0) throw new Error(`reward '${cfg.reward}': no training prompt has a usable label (family ${cfg.family})`);

  // ---- state (fresh or resumed) ---------------------------------------------------------------
  const rng = new Rng(cfg.seed);
  let step = 0;
  let opt: AdamW;
  if (hasCheckpoint(ckDir)) {
    base.model.dispose();
    const ck = loadCheckpoint(ckDir);
    model = ck.model;
    opt = ck.optimizer;
    step = ck.meta.step;
    if (ck.meta.rngState === undefined || ck.meta.rngState === null) throw new Error(`${ckDir}: checkpoint.json has no 'rngState', so the run cannot resume on its own random stream; delete ${dirs.runDir} to start over`);
    rng.setState(ck.meta.rngState);
  } else {
    opt = new AdamW(model.params, { weightDecay: 0 });
  }
  // Cut the log back to the checkpoint (a torn last line is dropped with a warning): the resumed
  // steps write the rest again, so a resumed run's log equals an uninterrupted one's.
  const log = readJsonl<StepLog>(logFile).filter((r) => r.step <= step);
  writeFileAtomic(logFile, jsonlText(log));
  if (fs.existsSync(samplesFile)) writeFileAtomic(samplesFile, jsonlText(readJsonl<{ step: number }>(samplesFile).filter((r) => r.step <= step)));
  const pool = await WorkerPool.create(model, opts.workers);
  const evalSet = test.slice(0, cfg.evalProblems);
  const avgSet = test.slice(0, cfg.evalAvgProblems);
  const probe = cfg.probeProblems && cfg.probeK ? { problems: test.slice(0, cfg.probeProblems), k: cfg.probeK } : undefined;
  const prof = opts.profile ?? new PhaseTimes();
  const evaluate = (s: number) => prof.time('eval', () => evaluatePolicy(pool, evalSet, avgSet, { maxNewTokens: cfg.maxNewTokens, avgK: cfg.evalAvgK, seed: cfg.seed * 100003 + s, perProblem: s === 0 || s === cfg.steps, probe }));
  const bar = opts.quiet ? null : new Progress({ label: runId(cfg), total: cfg.steps, start: step, stream: opts.progressStream });
  const sampleSteps = new Set([1, Math.ceil(cfg.steps / 2), cfg.steps]);
  try {
    if (step === 0 && !log.some((r) => r.step === 0)) {
      const row: StepLog = { step: 0, reward_mean: null, zero_std_groups: null, rollout_code: null, rollout_boxed: null, rollout_acc: null, response_length: null, entropy: null, clip_high: null, clip_low: null, abs_ratio_dev: null, kl_ref: null, loss: null, grad_norm: null, updates: 0, sample_s: 0, train_s: 0, eval: await evaluate(0) };
      log.push(row);
      appendJsonl(logFile, row);
    }
    const stopAt = Math.min(cfg.steps, opts.stopAt ?? cfg.steps);
    while (step < stopAt) {
      // ---- 1. rollout: G responses per prompt from the current policy (π_old) ---------------
      const t0 = Date.now();
      const chosen = rng.shuffle([...usable]).slice(0, d.prompts);
      while (chosen.length < d.prompts) chosen.push(usable[rng.int(usable.length)]); // tiny pools (one-shot)
      const batchProblems = chosen.map((i) => problems[i]);
      const genRng = rng.fork();
      const gens = await prof.time('generate', () => generate(pool, tok, batchProblems, chosen.map((i) => labels[i] ?? ''), { temperature: cfg.temperature, k: cfg.groupSize, maxNewTokens: cfg.maxNewTokens, rng: genRng }));
      // β > 0: the penalty needs every row's π_ref; β = 0: only the kl_ref diagnostic, on a subsample.
      const refRows = cfg.klCoef > 0 ? gens : gens.slice(0, KL_REF_ROWS);
      const refLp = await prof.time('ref_logprobs', () => referenceLogProbs(reference, refRows));
      const sampleS = (Date.now() - t0) / 1000;

      // ---- 2. rewards and group-relative advantages ------------------------------------------
      const t05 = performance.now();
      const rewardRng = rng.fork();
      const rewards = gens.map((g, i) => reward.fn({ prompt: batchProblems[Math.floor(i / cfg.groupSize)].prompt, response: g.response, label: labels[chosen[Math.floor(i / cfg.groupSize)]], rng: rewardRng }));
      const adv = cfg.clipMode === 'rloo' ? leaveOneOutAdvantages(rewards, cfg.groupSize) : groupedAdvantages(rewards, cfg.groupSize);
      prof.add('reward_advantage', (performance.now() - t05) / 1000);

      // ---- 3. policy update: mini-batches of the shuffled rollouts ---------------------------
      const t1 = Date.now();
      const order = rng.shuffle(gens.map((_, i) => i));
      let updates = 0;
      const acc = { loss: 0, gradNorm: 0, clipHigh: 0, clipLow: 0, absDev: 0, tokens: 0 };
      for (let m = 0; m < order.length; m += d.miniBatch) {
        const idx = order.slice(m, m + d.miniBatch);
        const live = rowsToCompute(idx, adv, cfg.klCoef);
        if (live.length === 0) continue;
        const jobs = grpoShards(live.map((i) => gens[i]), live.map((i) => adv[i]), cfg, d.surrogateMode, Math.max(1, pool.size), cfg.klCoef > 0 ? live.map((i) => refLp[i]) : undefined);
        const r = await dataParallelStep(pool, opt, jobs, cfg.lr, 1.0, idx.length);
        prof.add('update_compute', r.timing.compute_s);
        prof.add('update_transfer', r.timing.grad_s - r.timing.compute_s);
        prof.add('update_merge', r.timing.merge_s);
        prof.add('update_adamw', r.timing.adamw_s);
        updates++;
        acc.loss += r.loss; acc.gradNorm += r.gradNorm;
        acc.clipHigh += r.stats.clippedHigh ?? 0; acc.clipLow += r.stats.clippedLow ?? 0; acc.absDev += r.stats.absRatioDev ?? 0; acc.tokens += r.stats.tokens ?? 0;
      }
      step++;
      const trainS = (Date.now() - t1) / 1000;

      // ---- 4. log ---------------------------------------------------------------------------
      const tokensAll = gens.flatMap((g) => g.entropies);
      const row: StepLog = {
        step,
        reward_mean: mean(rewards),
        zero_std_groups: zeroStdGroupFraction(rewards, cfg.groupSize),
        rollout_code: mean(gens.map((g) => (g.code ? 1 : 0))),
        rollout_boxed: mean(gens.map((g) => (g.boxed ? 1 : 0))),
        rollout_acc: mean(gens.map((g, i) => (sameWorldAnswer(g.answer, batchProblems[Math.floor(i / cfg.groupSize)].answer) ? 1 : 0))),
        response_length: mean(gens.map((g) => g.tokens.length)),
        entropy: mean(tokensAll),
        clip_high: acc.tokens ? acc.clipHigh / acc.tokens : null,
        clip_low: acc.tokens ? acc.clipLow / acc.tokens : null,
        abs_ratio_dev: acc.tokens ? acc.absDev / acc.tokens : null,
        kl_ref: mean(refRows.flatMap((g, i) => g.logProbs.map((lp, t) => lp - refLp[i][t]))),
        loss: updates ? acc.loss / updates : null,
        grad_norm: updates ? acc.gradNorm / updates : null,
        updates,
        sample_s: sampleS,
        train_s: trainS,
      };
      if (step % cfg.evalEvery === 0 || step === cfg.steps) row.eval = await evaluate(step);
      log.push(row);
      appendJsonl(logFile, row);
      if (sampleSteps.has(step)) {
        // Two responses from each of the first two groups, with their reward and advantage.
        const shown = [0, 1, cfg.groupSize, cfg.groupSize + 1].filter((j) => j < gens.length);
        for (const [i, j] of shown.entries()) appendJsonl(samplesFile, { step, problem: gens[j].problemId, response: gens[j].response, reward: rewards[j], advantage: +adv[j].toFixed(4), i });
      }
      if (step % cfg.checkpointEvery === 0 || step === cfg.steps) {
        await saveCheckpoint(ckDir, model, { step, optimizer: opt, rngState: rng.getState(), extra: { grpo: cfg } });
      }
      bar?.update(step, `reward ${row.reward_mean?.toFixed(2)} code ${row.rollout_code?.toFixed(2)}${row.eval ? ` acc ${row.eval.acc.toFixed(3)}` : ''}`);
    }
  } finally {
    await pool.close();
    model.dispose();
    reference.dispose();
  }
  const summary = summarizeLog(cfg, log);
  if (step >= cfg.steps) {
    writeFileAtomic(summaryFile, JSON.stringify(summary, null, 1) + '\n');
    // A finished run needs no resume state; its log and summary are the result.
    if (!opts.keepCheckpoint) fs.rmSync(ckDir, { recursive: true, force: true });
  }
  return summary;
}
