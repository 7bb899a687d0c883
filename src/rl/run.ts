/**
 * Opening and closing a GRPO run's folder (results/<preset>/<run-id>/): its identity (config text
 * plus the starting checkpoint's digest), the resume state, the log cut back to the checkpoint,
 * the training prompts and their labels; and, at the end, the summary. The loop itself is in
 * ./grpo.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AdamW } from '../engine/adamw';
import { writeFileAtomic } from '../engine/atomic';
import { hasCheckpoint, loadCheckpoint, weightsDigest } from '../runtime/checkpoint';
import { jsonlText, readJsonl } from '../engine/jsonl';
import { Rng } from '../engine/rng';
import { flatten } from '../model/flat';
import { Transformer } from '../model/transformer';
import { loadWorldSplit } from '../world/dataset';
import { Problem } from '../world/problems';
import { wrapProblems } from '../world/promptFormat';
import { CHECKPOINTS_DIR } from '../world/priors';
import { GrpoConfig, derived, runId } from './config';
import type { RunDirs, RunOptions, StepLog } from './grpo';
import { cachedMajorityLabels } from './labels';
import { RewardSpec, labelsFor, makeReward } from './rewards';

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

/**
 * The text of a run's config.json: the config, its derived sizes and the starting checkpoint's
 * weights digest. A run is the same run only if this text is identical (a retrained family is a new run).
 */
export function runConfigText(cfg: GrpoConfig, checkpointsDir = CHECKPOINTS_DIR): string {
  const startDigest = weightsDigest(path.join(checkpointsDir, cfg.family));
  return JSON.stringify({ ...cfg, run_id: runId(cfg), derived: derived(cfg), start_weights_sha1: startDigest }, null, 1) + '\n';
}

export interface RunFiles {
  config: string;
  log: string;
  samples: string;
  summary: string;
  /** The resume checkpoint (weights, AdamW state, RNG state). */
  checkpoint: string;
}

export function runFiles(runDir: string): RunFiles {
  const at = (f: string) => path.join(runDir, f);
  return { config: at('config.json'), log: at('log.jsonl'), samples: at('samples.jsonl'), summary: at('summary.json'), checkpoint: at('checkpoint') };
}

/** Everything a run's loop starts from, fresh or resumed. */
export interface OpenedRun {
  files: RunFiles;
  reward: RewardSpec;
  model: Transformer;
  /** π_ref: a frozen copy of the starting weights (KL diagnostic, and the penalty when β > 0). */
  reference: Transformer;
  /** π_ref's weights, flat, for workers that compute its log-probs. */
  referenceWeights: Float32Array;
  opt: AdamW;
  rng: Rng;
  /** Steps already done (0 when fresh). */
  step: number;
  /** The log so far, cut back to `step`. */
  log: StepLog[];
  problems: Problem[];
  labels: (string | null)[];
  /** Indices of the training prompts that have a label. */
  usable: number[];
}

/**
 * Opens a run: returns `{ finished }` when the folder already holds this exact run finished,
 * refuses a folder of another identity that has a resume checkpoint or a summary, drops log lines
 * of another identity, and otherwise restores the state from the resume checkpoint (if any) and
 * cuts the log and samples back to it, so a resumed run writes the same log as an uninterrupted one.
 */
export async function openRun(cfg: GrpoConfig, dirs: RunDirs, opts: RunOptions): Promise<OpenedRun | { finished: RunSummary }> {
  if (cfg.temperature !== 1) throw new Error(`GRPO config: field 'temperature' must be 1 here (π_old and π_θ are both scored at τ = 1), got ${cfg.temperature}`);
  const reward = makeReward(cfg.reward, { gamma: cfg.gamma });
  const files = runFiles(dirs.runDir);
  const familyDir = path.join(opts.checkpointsDir ?? CHECKPOINTS_DIR, cfg.family);
  const cfgText = runConfigText(cfg, opts.checkpointsDir);
  const sameConfig = fs.existsSync(files.config) && fs.readFileSync(files.config, 'utf8') === cfgText;
  if (fs.existsSync(files.summary) && fs.existsSync(files.config)) {
    // Already finished with this exact config: the log is the result, nothing to redo.
    if (sameConfig) return { finished: JSON.parse(fs.readFileSync(files.summary, 'utf8')) as RunSummary };
    throw new Error(`${dirs.runDir}: holds a finished run with a different config or starting checkpoint; move it away to re-run`);
  }
  if (hasCheckpoint(files.checkpoint) && !sameConfig) {
    throw new Error(`${files.checkpoint}: a resume checkpoint of a different config or starting checkpoint; delete ${dirs.runDir} to start over`);
  }
  if (!sameConfig) {
    // Lines written under another identity (e.g. a step-0 evaluation of a family since retrained,
    // by a run killed before its first checkpoint) are not this run's: never reuse them.
    fs.rmSync(files.log, { force: true });
    fs.rmSync(files.samples, { force: true });
  }
  writeFileAtomic(files.config, cfgText);

  // ---- data and labels ------------------------------------------------------------------------
  const pool0 = wrapProblems(loadWorldSplit('train').slice(0, cfg.trainPool), cfg.promptTemplate);
  const problems: Problem[] = reward.singleExample ? [pool0[0]] : pool0;
  let model = loadCheckpoint(familyDir).model;
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
  if (hasCheckpoint(files.checkpoint)) {
    model.dispose();
    const ck = loadCheckpoint(files.checkpoint);
    model = ck.model;
    opt = ck.optimizer;
    step = ck.meta.step;
    if (ck.meta.rngState === undefined || ck.meta.rngState === null) throw new Error(`${files.checkpoint}: checkpoint.json has no 'rngState', so the run cannot resume on its own random stream; delete ${dirs.runDir} to start over`);
    rng.setState(ck.meta.rngState);
  } else {
    opt = new AdamW(model.params, { weightDecay: 0 });
  }
  // Cut the log back to the checkpoint (a torn last line is dropped with a warning): the resumed
  // steps write the rest again.
  const log = readJsonl<StepLog>(files.log).filter((r) => r.step <= step);
  writeFileAtomic(files.log, jsonlText(log));
  if (fs.existsSync(files.samples)) writeFileAtomic(files.samples, jsonlText(readJsonl<{ step: number }>(files.samples).filter((r) => r.step <= step)));
  const referenceWeights = flatten(reference.config, await reference.read());
  return { files, reward, model, reference, referenceWeights, opt, rng, step, log, problems, labels, usable };
}

/** Writes the summary of a finished run (and drops its resume checkpoint); returns the summary. */
export function closeRun(cfg: GrpoConfig, files: RunFiles, log: readonly StepLog[], step: number, opts: RunOptions): RunSummary {
  const summary = summarizeLog(cfg, log);
  if (step >= cfg.steps) {
    writeFileAtomic(files.summary, JSON.stringify(summary, null, 1) + '\n');
    // A finished run needs no resume state; its log and summary are the result.
    if (!opts.keepCheckpoint) fs.rmSync(files.checkpoint, { recursive: true, force: true });
  }
  return summary;
}
