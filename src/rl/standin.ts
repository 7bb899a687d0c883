/**
 * GRPO on the stand-in world: the transformer as a Policy (sampling and gradients sharded over a
 * worker pool, one tfjs instance per core), the world's training problems as the task, and
 * `runGrpo`, which opens a run folder and hands both to the one loop (./grpo.ts).
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { AdamW } from '../engine/adamw';
import { PhaseTimes } from '../engine/phases';
import { lmBatch } from '../model/batch';
import { flatten } from '../model/flat';
import { Transformer, tokenLogProbs } from '../model/transformer';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint, weightsDigest } from '../runtime/checkpoint';
import { GradJob, GrpoGradJob } from '../runtime/jobs';
import { WorkerPool, dataParallelStep } from '../runtime/pool';
import { auditProblems } from '../world/audit';
import { loadWorldSplit } from '../world/dataset';
import { generate } from '../world/generate';
import { gradeWorldResponse } from '../world/grade';
import { Problem } from '../world/problems';
import { wrapProblems } from '../world/promptFormat';
import { CHECKPOINTS_DIR } from '../world/priors';
import { worldTokenizer } from '../world/vocab';
import { GrpoConfig, GrpoConfigInput, runId, validateGrpoConfig } from './config';
import { EvalResult, evaluatePolicy } from './evaluate';
import { grpoLoop } from './grpo';
import { cachedMajorityLabels } from './labels';
import type { StepLog } from './log';
import type { GrpoTask, Policy, ResumeMeta, SampleOptions, SampledResponse, UpdateBatch, UpdateResult, UpdateRow, UpdateStep } from './policy';
import { openRunFolder, runFiles, withRunLock } from './protocol';
import { STANDIN_CODE_ENTRIES } from './provenance';
import { labelsFor, makeReward } from './rewards';
import { RunDirs, RunOptions, RunSummary, standinIdentity, summarizeLog } from './run';

export type { StepLog } from './log';
export type { RunDirs, RunOptions, RunSummary } from './run';
export { runConfigText, summarizeLog } from './run';

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
export function grpoShards(rows: readonly UpdateRow[], advantages: readonly number[], step: Pick<UpdateStep, 'epsilon' | 'klCoef' | 'surrogate' | 'lossAggregation'>, shards: number, bucketMinRows = BUCKET_MIN_ROWS): GradJob[] {
  if (step.klCoef > 0 && rows.some((r) => !r.refLogProbs)) throw new Error('grpoShards: klCoef > 0 needs the reference log-probs of every row');
  const jobOf = (idx: readonly number[]): GrpoGradJob => {
    const part = idx.map((i) => rows[i]);
    const lm = lmBatch(part.map((g) => [...g.promptTokens, ...g.tokens]));
    const { B, T } = lm.batch;
    const old = new Float32Array(B * T);
    const ref = step.klCoef > 0 ? new Float32Array(B * T) : undefined;
    lm.lossMask.fill(0);
    part.forEach((g, b) => {
      const first = g.promptTokens.length - 1; // target index of the first response token
      for (let i = 0; i < g.tokens.length; i++) {
        lm.lossMask[b * T + first + i] = 1;
        old[b * T + first + i] = g.oldLogProbs[i];
        if (ref) ref[b * T + first + i] = g.refLogProbs![i];
      }
    });
    return { kind: 'grpo', lm, oldLogProbs: old, advantages: Float32Array.from(idx.map((i) => advantages[i])), epsLow: step.epsilon, epsHigh: step.epsilon, clipMode: step.surrogate, aggregation: step.lossAggregation, ...(ref ? { klCoef: step.klCoef, refLogProbs: ref } : {}) };
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
 * log π_ref of every sampled response token, one array per rollout (a forward pass, no gradient):
 * sharded over the workers when the pool has them (`refWeights`: π_ref's flat weights), else
 * in-process in chunks.
 */
export async function referenceLogProbs(ref: Transformer, rows: readonly Pick<SampledResponse, 'promptTokens' | 'tokens'>[], pool?: WorkerPool, refWeights?: Float32Array, chunk = 128): Promise<number[][]> {
  const out: number[][] = [];
  const collect = (part: readonly Pick<SampledResponse, 'promptTokens' | 'tokens'>[], flat: Float32Array, T: number) => part.forEach((g, b) => {
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

/** The world's training problems under a config's reward (labels: gold, majority-vote, …). */
export async function worldTask(cfg: GrpoConfig, start: Transformer, startDir: string, labelsDir: string, opts: Pick<RunOptions, 'workers' | 'quiet'> = {}): Promise<GrpoTask<Problem>> {
  const reward = makeReward(cfg.reward, { gamma: cfg.gamma });
  const pool0 = wrapProblems(loadWorldSplit('train').slice(0, cfg.trainPool), cfg.promptTemplate);
  const problems: Problem[] = reward.singleExample ? [pool0[0]] : pool0;
  let majority: (string | null)[] | null = null;
  if (reward.labelKind === 'majority' || reward.labelKind === 'incorrect-majority') {
    majority = await cachedMajorityLabels(start, cfg.family, problems, cfg.majorityK, cfg.maxNewTokens, labelsDir, { workers: opts.workers, quiet: opts.quiet, modelDigest: weightsDigest(startDir) });
  }
  const labels = labelsFor(reward.labelKind, problems.map((p) => p.answer), majority);
  if (!labels.some((l) => l !== null)) throw new Error(`reward '${cfg.reward}': no training prompt has a usable label (family ${cfg.family})`);
  return {
    problems, labels, reward,
    promptText: (p) => p.prompt,
    idOf: (p) => p.id,
    grade: (response, p) => {
      const g = gradeWorldResponse(p.id, response, p.answer);
      return { correct: g.correct, code: g.code, boxed: g.boxed };
    },
  };
}

/**
 * The stand-in transformer as a GRPO policy. Its weights live on the main thread (AdamW applies
 * there); the pool's workers sample and compute gradient shards, and π_ref's log-probs come from
 * a frozen copy of the starting weights.
 */
export class StandinPolicy implements Policy<Problem, EvalResult> {
  private constructor(
    readonly model: Transformer,
    private readonly opt: AdamW,
    private readonly pool: WorkerPool,
    private readonly reference: Transformer,
    private readonly referenceWeights: Float32Array,
    private readonly evaluateAt: (step: number) => Promise<EvalResult>,
    private readonly prof: PhaseTimes,
    private readonly cfg: GrpoConfig,
  ) {}

  /** From the family's checkpoint, or from a resume checkpoint (`resumeDir`) when one is given. */
  static async create(cfg: GrpoConfig, start: Transformer, startDir: string, resumeDir: string | null, opts: { workers?: number; profile?: PhaseTimes }): Promise<{ policy: StandinPolicy; resumed: ResumeMeta | null }> {
    let model = start;
    let opt: AdamW;
    let resumed: ResumeMeta | null = null;
    if (resumeDir) {
      const ck = loadCheckpoint(resumeDir);
      model.dispose();
      model = ck.model;
      opt = ck.optimizer;
      if (ck.meta.rngState === undefined || ck.meta.rngState === null) throw new Error(`${resumeDir}: checkpoint.json has no 'rngState', so the run cannot resume on its own random stream; delete ${path.dirname(resumeDir)} to start over`);
      resumed = { step: ck.meta.step, rngState: ck.meta.rngState };
    } else {
      opt = new AdamW(model.params, { weightDecay: cfg.weightDecay });
    }
    const reference = loadCheckpoint(startDir).model;
    const referenceWeights = flatten(reference.config, await reference.read());
    const prof = opts.profile ?? new PhaseTimes();
    const pool = await WorkerPool.create(model, opts.workers);
    return { policy: new StandinPolicy(model, opt, pool, reference, referenceWeights, evaluator(cfg, pool), prof, cfg), resumed };
  }

  async sample(problems: readonly Problem[], labels: readonly (string | null)[], groupSize: number, o: SampleOptions): Promise<SampledResponse[]> {
    return generate(this.pool, worldTokenizer(), problems, labels.map((l) => l ?? ''), { temperature: o.temperature, k: groupSize, maxNewTokens: o.maxNewTokens, rng: o.rng });
  }

  score(rows: readonly SampledResponse[]): Promise<number[][]> {
    return referenceLogProbs(this.model, rows);
  }

  scoreReference(rows: readonly SampledResponse[]): Promise<number[][]> {
    return referenceLogProbs(this.reference, rows, this.pool, this.referenceWeights);
  }

  async update(batch: UpdateBatch, step: UpdateStep): Promise<UpdateResult> {
    const jobs = grpoShards(batch.rows, batch.advantages, step, Math.max(1, this.pool.size));
    const r = await dataParallelStep(this.pool, this.opt, jobs, step.lr, step.gradClipNorm, batch.normaliser);
    this.prof.add('update_compute', r.timing.compute_s);
    this.prof.add('update_transfer', r.timing.grad_s - r.timing.compute_s);
    this.prof.add('update_merge', r.timing.merge_s);
    this.prof.add('update_adamw', r.timing.adamw_s);
    return { loss: r.loss, gradNorm: r.gradNorm, clippedHigh: r.stats.clippedHigh ?? 0, clippedLow: r.stats.clippedLow ?? 0, absRatioDev: r.stats.absRatioDev ?? 0, tokens: r.stats.tokens ?? 0 };
  }

  get workers(): number {
    return this.pool.size;
  }

  async weights(): Promise<Float32Array> {
    return flatten(this.model.config, await this.model.read());
  }

  evaluate(step: number): Promise<EvalResult> {
    return this.evaluateAt(step);
  }

  async save(dir: string, meta: ResumeMeta): Promise<void> {
    await saveCheckpoint(dir, this.model, { step: meta.step, optimizer: this.opt, rngState: meta.rngState, extra: { grpo: this.cfg } });
  }

  async dispose(): Promise<void> {
    await this.pool.close();
    this.model.dispose();
    this.reference.dispose();
  }
}

/**
 * Runs (or resumes) one stand-in GRPO run under a lock file in its directory, so two grid
 * processes never write the same run.
 */
export async function runGrpo(raw: GrpoConfigInput, dirs: RunDirs, opts: RunOptions = {}): Promise<RunSummary> {
  const cfg = validateGrpoConfig(raw);
  if (cfg.temperature !== 1) throw new Error(`GRPO config: field 'temperature' must be 1 here (π_old and π_θ are both scored at τ = 1), got ${cfg.temperature}`);
  return withRunLock(dirs.runDir, async () => {
    const files = runFiles(dirs.runDir);
    const checkpointsDir = opts.checkpointsDir ?? CHECKPOINTS_DIR;
    const opened = openRunFolder<RunSummary>(files, standinIdentity(cfg, checkpointsDir), hasCheckpoint);
    if ('finished' in opened) return opened.finished;
    const startDir = path.join(checkpointsDir, cfg.family);
    const start = loadCheckpoint(startDir).model;
    const task = await worldTask(cfg, start, startDir, dirs.labelsDir, opts);
    const { policy, resumed } = await StandinPolicy.create(cfg, start, startDir, opened.resumable ? files.checkpoint : null, { workers: opts.workers, profile: opts.profile });
    try {
      return await grpoLoop<Problem, EvalResult, RunSummary>({
        settings: cfg, task, policy, files, resumed, evalEvery: cfg.evalEvery, label: runId(cfg), codeEntries: STANDIN_CODE_ENTRIES,
        summarize: (log: readonly StepLog[]) => summarizeLog(cfg, log),
        stopAt: opts.stopAt, keepCheckpoint: opts.keepCheckpoint, quiet: opts.quiet, progressStream: opts.progressStream, profile: opts.profile,
      });
    } finally {
      await policy.dispose();
    }
  });
}

/** Greedy accuracy (+ avg@k, + the probe set when configured) at a step; its own seed per step. */
export function evaluator(cfg: GrpoConfig, pool: WorkerPool): (step: number) => Promise<EvalResult> {
  const test = wrapProblems(loadWorldSplit('test'), cfg.promptTemplate);
  const evalSet = test.slice(0, cfg.evalProblems);
  const avgSet = test.slice(0, cfg.evalAvgProblems);
  const probe = cfg.probeProblems && cfg.probeK ? { problems: test.slice(0, cfg.probeProblems), k: cfg.probeK } : undefined;
  const fresh = cfg.freshProblems ? wrapProblems(auditProblems('fresh', loadWorldSplit('test'), loadWorldSplit('train'), cfg.freshProblems), cfg.promptTemplate) : undefined;
  return (s) => evaluatePolicy(pool, evalSet, avgSet, { maxNewTokens: cfg.maxNewTokens, avgK: cfg.evalAvgK, seed: cfg.seed * 100003 + s, perProblem: s === 0 || s === cfg.steps, probe, fresh });
}
