/**
 * Pretraining a family: next-token training on the family's corpus stream, data-parallel over
 * the worker pool, warmup + cosine LR, resumable from a checkpoint at any chunk boundary (the data
 * stream's RNG state is saved with the weights, so a resumed run sees the same batches), and a
 * final weights-only checkpoint small enough to ship in the repository.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AdamW } from '../engine/adamw';
import { hasCheckpoint, saveCheckpoint, loadCheckpoint } from '../runtime/checkpoint';
import { writeFileAtomic } from '../engine/atomic';
import { appendJsonl, jsonlText, readJsonl } from '../engine/jsonl';
import { WorkerPool, dataParallelLMStep } from '../runtime/pool';
import { Progress } from '../engine/progress';
import { Rng } from '../engine/rng';
import { learningRate } from '../engine/schedule';
import { ModelConfig } from '../model/config';
import { Transformer } from '../model/transformer';
import { bucketedBatches, drawDocuments, leakedTestProblems } from './corpus';
import { FamilySpec } from './families';
import { problemKey, Problem } from './problems';
import { worldTokenizer } from './vocab';
import { projectPath } from '../engine/paths';

export interface PretrainConfig {
  family: string;
  seed: number;
  model: ModelConfig;
  /** Optimizer steps. */
  steps: number;
  /** Documents per step. */
  rows: number;
  /** Peak learning rate, linear warmup then cosine to minLr. */
  lr: number;
  warmupSteps: number;
  minLr: number;
  weightDecay: number;
  clipNorm: number;
  /** Batches drawn (and length-bucketed) together; checkpoints fall on these boundaries. */
  chunk: number;
  /** Save a resume checkpoint every this many chunks. */
  checkpointEveryChunks: number;
  /** Train only on solution tokens (the prompt is context, not target). */
  solutionOnlyLoss: boolean;
  /** Checkpoint directory whose weights start the run (a fresh optimizer); null = seeded random init. */
  init: string | null;
}

export const WORLD_MODEL: Readonly<ModelConfig> = Object.freeze({
  vocabSize: worldTokenizer().vocabSize,
  contextLength: 128,
  dModel: 128,
  nLayers: 4,
  nHeads: 4,
  mlpRatio: 3,
  dropout: 0,
});

export const PRETRAIN_DEFAULTS: Readonly<Omit<PretrainConfig, 'family'>> = Object.freeze({
  seed: 1,
  model: WORLD_MODEL,
  steps: 256,
  // 32 rows: on 2 cores a step costs ~0.48 s (vs ~0.92 s for 64), and more, smaller steps learn
  // the arithmetic from fewer documents (1200×32 base rows reach what 1000×64 did).
  rows: 32,
  lr: 3e-3,
  warmupSteps: 20,
  minLr: 3e-4,
  weightDecay: 0.1,
  clipNorm: 1.0,
  chunk: 8,
  checkpointEveryChunks: 4,
  solutionOnlyLoss: true,
  init: null,
});

export interface PretrainLogRow {
  step: number;
  loss: number;
  gradNorm: number;
  lr: number;
  tokens: number;
  seconds: number;
}

/**
 * Runs (or resumes) pretraining. `resumeDir` holds the resumable checkpoint (weights + AdamW +
 * data RNG); `outDir` receives the final weights-only checkpoint and the per-step log.
 */
export async function pretrain(
  cfg: PretrainConfig,
  spec: FamilySpec,
  test: readonly Problem[],
  dirs: { outDir: string; resumeDir: string },
  opts: { workers?: number; quiet?: boolean; /** Stop (resumably) once this step is reached. */ stopAt?: number } = {},
): Promise<{ model: Transformer; log: PretrainLogRow[]; finished: boolean }> {
  if (cfg.steps % cfg.chunk !== 0) throw new Error(`pretrain: steps (${cfg.steps}) must be a multiple of chunk (${cfg.chunk})`);
  const tok = worldTokenizer();
  const exclude = new Set(test.map(problemKey));
  const leaked = spec.fullText?.source === 'test' ? leakedTestProblems(test, spec.fullText.testFraction) : [];
  const logPath = path.join(dirs.resumeDir, 'log.jsonl');
  let model: Transformer;
  let opt: AdamW;
  let step = 0;
  const rng = new Rng(cfg.seed);
  let log: PretrainLogRow[] = [];
  if (hasCheckpoint(path.join(dirs.resumeDir, 'checkpoint'))) {
    const ck = loadCheckpoint(path.join(dirs.resumeDir, 'checkpoint'));
    const saved = ck.meta.extra.pretrain as PretrainConfig | undefined;
    if (JSON.stringify(saved) !== JSON.stringify(cfg)) {
      throw new Error(`${dirs.resumeDir}/checkpoint: was made with a different pretrain config; delete it to start over`);
    }
    // An edited mixture (datasets/world/families.json) is a different run too, not a resume.
    if (JSON.stringify(ck.meta.extra.family) !== JSON.stringify(spec)) {
      throw new Error(`${dirs.resumeDir}/checkpoint: was made with a different family spec for '${spec.name}'; delete it (or pass --fresh) to start over`);
    }
    model = ck.model;
    opt = ck.optimizer;
    step = ck.meta.step;
    // Without its state the data stream would silently restart elsewhere: not a resume.
    if (ck.meta.rngState === null) throw new Error(`${dirs.resumeDir}/checkpoint: checkpoint.json has no 'rngState'; delete it (or pass --fresh) to start over`);
    rng.setState(ck.meta.rngState);
    log = readJsonl<PretrainLogRow>(logPath).filter((r) => r.step < step);
    if (!opts.quiet) console.error(`[pretrain] resuming ${cfg.family} at step ${step}/${cfg.steps}`);
  } else if (cfg.init) {
    // Relative paths are relative to the project root, so configs saved in checkpoints stay portable.
    const start = loadCheckpoint(path.isAbsolute(cfg.init) ? cfg.init : projectPath(cfg.init)).model;
    if (JSON.stringify(start.config) !== JSON.stringify(cfg.model)) throw new Error(`${cfg.init}: model config differs from the pretrain config's 'model'`);
    model = start;
    rng.fork(); // keep the data stream aligned with a random-init run of the same seed
    opt = new AdamW(model.params, { weightDecay: cfg.weightDecay });
    fs.mkdirSync(dirs.resumeDir, { recursive: true });
  } else {
    model = Transformer.init(cfg.model, rng.fork());
    opt = new AdamW(model.params, { weightDecay: cfg.weightDecay });
    fs.mkdirSync(dirs.resumeDir, { recursive: true });
  }
  // Cut back to the checkpoint's step (and drop a torn tail) in one atomic replace: a kill here keeps the old log.
  writeFileAtomic(logPath, jsonlText(log));
  const schedule = { kind: 'warmup-cosine' as const, lr: cfg.lr, warmupSteps: cfg.warmupSteps, totalSteps: cfg.steps, minLr: cfg.minLr };
  const pool = await WorkerPool.create(model, opts.workers);
  const bar = new Progress({ label: `pretrain ${cfg.family}`, total: cfg.steps, start: step });
  try {
    const stopAt = Math.min(cfg.steps, opts.stopAt ?? cfg.steps);
    while (step < stopAt) {
      const batches = bucketedBatches(drawDocuments(spec, cfg.rows * cfg.chunk, tok, rng, exclude, undefined, leaked), cfg.rows, rng, cfg.solutionOnlyLoss);
      for (const lm of batches) {
        const t0 = Date.now();
        const lr = learningRate(schedule, step);
        const r = await dataParallelLMStep(pool, opt, lm, lr, cfg.clipNorm);
        const row: PretrainLogRow = { step, loss: r.loss, gradNorm: r.gradNorm, lr, tokens: lm.lossMask.reduce((a, b) => a + b, 0), seconds: (Date.now() - t0) / 1000 };
        log.push(row);
        appendJsonl(logPath, row);
        step++;
        if (!opts.quiet) bar.update(step, `loss ${r.loss.toFixed(3)}`);
      }
      if ((step / cfg.chunk) % cfg.checkpointEveryChunks === 0 || step === cfg.steps) {
        await saveCheckpoint(path.join(dirs.resumeDir, 'checkpoint'), model, { step, optimizer: opt, rngState: rng.getState(), extra: { pretrain: cfg, family: spec } });
      }
    }
  } finally {
    await pool.close();
  }
  if (step < cfg.steps) return { model, log, finished: false };
  await saveCheckpoint(dirs.outDir, model, {
    step,
    extra: { family: spec, pretrain: cfg, tokenizer: tok.toJSON(), finalLoss: log[log.length - 1]?.loss ?? null },
  });
  writeCompactLog(path.join(dirs.outDir, 'pretrain-log.jsonl'), log);
  return { model, log, finished: true };
}

/** Per-step loss log, rounded so the shipped file stays small. */
function writeCompactLog(file: string, log: PretrainLogRow[]): void {
  writeFileAtomic(file, jsonlText(log.map((r) => ({ step: r.step, loss: +r.loss.toFixed(4), lr: +r.lr.toExponential(3), s: +r.seconds.toFixed(2) }))));
}
