/**
 * `npm run real -- plan`: what a run on a checkpoint needs, before anything is downloaded or
 * loaded. Only config.json (and generation_config.json) is read, so a folder holding nothing else —
 * datasets/model-configs/<model>/ — plans like a downloaded checkpoint.
 *
 * The numbers are estimateMemory's (float32, src/real/config.ts) at the shapes the code runs:
 * evaluation decodes one problem at a time (evaluateReal); a GRPO step decodes each prompt's G
 * responses together (RealPolicy.sample) while AdamW's two moments stay resident, then updates
 * micro-batch by micro-batch (RealPolicy.update). Throughput is not estimated: nothing here was
 * measured on a GPU.
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectPath } from '../engine/paths';
import type { StepLog } from '../rl/log';
import { MemoryEstimate, RealModelConfig, estimateMemory, formatBytes, formatCount, readRealConfig } from './config';
import { REAL_GRPO_DEFAULTS } from './runConfig';

/** Tokens assumed for one prompt, as scripts/real.ts sizes its memory estimate (512 + new tokens). */
export const PLAN_PROMPT_TOKENS = 512;

/** The public config.json of the paper's checkpoints, one folder each, no weights (sources in its README). */
export const MODEL_CONFIGS_DIR = projectPath('datasets', 'model-configs');

export interface PlanSettings {
  /** Tokens assumed for one prompt. */
  promptTokens: number;
  /** Greedy evaluation's answer length. */
  evalMaxNewTokens: number;
  /** GRPO's response length. */
  maxNewTokens: number;
  /** Responses per prompt (G), decoded together. */
  groupSize: number;
  /** Prompts per GRPO step. */
  prompts: number;
  /** Rollouts per forward/backward pass. */
  microBatch: number;
  /** Rollouts per gradient update (gradients accumulate over its micro-batches). */
  miniBatch: number;
  steps: number;
}

/** One phase's shape and memory. */
export interface PlanPhase {
  batch: number;
  seqLen: number;
  memory: MemoryEstimate;
  /** memory.totalBytes plus whatever else is resident in this phase (AdamW's moments while sampling). */
  totalBytes: number;
}

export interface RealPlan {
  /** The folder's name (the model's, for the paper's checkpoints). */
  name: string;
  dir: string;
  cfg: RealModelConfig;
  /** *.safetensors in the folder; empty for a config-only folder. */
  weightFiles: string[];
  weightFileBytes: number;
  settings: PlanSettings;
  eval: PlanPhase;
  rollouts: PlanPhase;
  update: PlanPhase;
  /** GRPO's larger phase. */
  peakBytes: number;
  /** Micro-batches whose gradients are summed into one update. */
  microBatchesPerUpdate: number;
  /**
   * Not in peakBytes: while gradients accumulate over more than one micro-batch, the running sum,
   * the new micro-batch's gradients and their sum are alive together (2 more gradient copies).
   */
  accumulationExtraBytes: number;
  /** Upper bound on tokens generated per GRPO step: prompts × G × maxNewTokens. */
  generatedTokensPerStep: number;
}

/** The paper's settings (REAL_GRPO_DEFAULTS: Appendix A) as plan settings. */
export function paperPlanSettings(): PlanSettings {
  const d = REAL_GRPO_DEFAULTS;
  return { promptTokens: PLAN_PROMPT_TOKENS, evalMaxNewTokens: d.evalMaxNewTokens, maxNewTokens: d.maxNewTokens, groupSize: d.groupSize, prompts: d.prompts, microBatch: d.microBatch, miniBatch: d.miniBatch, steps: d.steps };
}

const POSITIVE = ['promptTokens', 'evalMaxNewTokens', 'maxNewTokens', 'prompts', 'microBatch', 'miniBatch', 'steps'] as const;

/** Throws a one-line error naming the field when a setting is not a usable size. */
export function checkPlanSettings(s: PlanSettings, label = 'plan'): PlanSettings {
  for (const f of POSITIVE) if (!Number.isInteger(s[f]) || s[f] < 1) throw new Error(`${label}: field '${f}' must be a positive integer, got ${JSON.stringify(s[f])}`);
  if (!Number.isInteger(s.groupSize) || s.groupSize < 2) throw new Error(`${label}: field 'groupSize' must be an integer ≥ 2 (GRPO compares responses within a group), got ${JSON.stringify(s.groupSize)}`);
  return s;
}

function phase(cfg: RealModelConfig, batch: number, seqLen: number, training: boolean, residentBytes = 0): PlanPhase {
  const memory = estimateMemory(cfg, { batch, seqLen, training });
  return { batch, seqLen, memory, totalBytes: memory.totalBytes + residentBytes };
}

/** The plan for one checkpoint folder (config.json is all it reads). */
export function planReal(dir: string, settings: PlanSettings): RealPlan {
  const s = checkPlanSettings(settings);
  const cfg = readRealConfig(dir);
  const weightFiles = fs.readdirSync(dir).filter((f) => f.endsWith('.safetensors')).sort();
  const weightFileBytes = weightFiles.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  const evalLen = s.promptTokens + s.evalMaxNewTokens;
  const trainLen = s.promptTokens + s.maxNewTokens;
  const ev = phase(cfg, 1, evalLen, false);
  const update = phase(cfg, s.microBatch, trainLen, true);
  // Sampling happens between updates: AdamW's moments (2 × the weights) are already allocated.
  const rollouts = phase(cfg, s.groupSize, trainLen, false, update.memory.optimizerBytes);
  const microBatchesPerUpdate = Math.ceil(s.miniBatch / s.microBatch);
  return {
    name: path.basename(path.resolve(dir)),
    dir,
    cfg,
    weightFiles,
    weightFileBytes,
    settings: s,
    eval: ev,
    rollouts,
    update,
    peakBytes: Math.max(rollouts.totalBytes, update.totalBytes),
    microBatchesPerUpdate,
    accumulationExtraBytes: microBatchesPerUpdate > 1 ? 2 * update.memory.gradientBytes : 0,
    generatedTokensPerStep: s.prompts * s.groupSize * s.maxNewTokens,
  };
}

/** Checkpoint folders under `dir` (those with a config.json), sorted: what a table plans. */
export function checkpointFolders(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir}: not a folder`);
  return fs.readdirSync(dir).sort().map((d) => path.join(dir, d)).filter((d) => fs.statSync(d).isDirectory() && fs.existsSync(path.join(d, 'config.json')));
}

function tokens(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)}B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : `${n}`;
}

/** What sits in each phase, spelled out: "weights 30.5 GB + AdamW 60.9 GB + …". */
function parts(p: PlanPhase, training: boolean, residentOptimizer: boolean): string {
  const m = p.memory;
  const out = [`weights ${formatBytes(m.weightBytes)}`];
  if (training) out.push(`AdamW ${formatBytes(m.optimizerBytes)}`, `grads ${formatBytes(m.gradientBytes)}`, `activations ${formatBytes(m.activationBytes)}`);
  else {
    if (residentOptimizer) out.push(`AdamW ${formatBytes(p.totalBytes - m.totalBytes)}`);
    out.push(`KV cache + activations ${formatBytes(m.activationBytes)}`);
  }
  return `${out.join(' + ')} = ${formatBytes(p.totalBytes)}`;
}

/** The one-line caveat every plan ends with. */
export const THROUGHPUT_CAVEAT = 'expected throughput: unmeasured on a GPU here (this machine has none); time a few steps on yours (notebook 09 shows how)';

/** The plan as printed lines. */
export function formatPlan(p: RealPlan): string[] {
  const s = p.settings;
  const weights = p.weightFiles.length
    ? `${p.weightFiles.length} weight file(s), ${formatBytes(p.weightFileBytes)} on disk${p.cfg.torchDtype ? ` (${p.cfg.torchDtype})` : ''}`
    : 'config only (no *.safetensors): a plan, nothing to load';
  const lines = [
    `# ${p.name}: ${p.cfg.arch}, ${formatCount(p.eval.memory.parameters)} parameters, ${p.cfg.numLayers} layers, vocabulary ${p.cfg.vocabSize}; ${weights}`,
    `evaluation, greedy, one problem at a time (1 × ${p.eval.seqLen} tokens): ${parts(p.eval, false, false)}`,
    `GRPO rollouts, G = ${s.groupSize} responses decoded together (${p.rollouts.batch} × ${p.rollouts.seqLen}; AdamW state resident): ${parts(p.rollouts, false, true)}`,
    `GRPO update, one micro-batch (${p.update.batch} × ${p.update.seqLen}): ${parts(p.update, true, false)}`,
    `GRPO peak: ${formatBytes(p.peakBytes)} (float32)${p.accumulationExtraBytes > 0 ? `; not counted: accumulating ${p.microBatchesPerUpdate} micro-batches per update holds up to 2 more gradient copies (+${formatBytes(p.accumulationExtraBytes)})` : ''}`,
    `work: ${s.prompts} prompts × G ${s.groupSize} × ≤ ${s.maxNewTokens} new tokens = ≤ ${tokens(p.generatedTokensPerStep)} generated tokens per step, ≤ ${tokens(p.generatedTokensPerStep * s.steps)} in ${s.steps} steps`,
  ];
  const longest = Math.max(p.eval.seqLen, p.update.seqLen);
  if (longest > p.cfg.maxPositionEmbeddings) lines.push(`warning: ${longest} tokens exceed this model's max_position_embeddings (${p.cfg.maxPositionEmbeddings})`);
  lines.push(THROUGHPUT_CAVEAT);
  return lines;
}

/** Several plans as one markdown table (same settings), then the caveat. */
export function formatPlanTable(plans: readonly RealPlan[]): string[] {
  if (plans.length === 0) throw new Error('formatPlanTable: no plans');
  const s = plans[0].settings;
  const [e, r, u] = [plans[0].eval, plans[0].rollouts, plans[0].update];
  const head = ['model', 'arch', 'parameters', `evaluation (1 × ${e.seqLen})`, `GRPO rollouts (${r.batch} × ${r.seqLen}, + AdamW)`, `GRPO update (${u.batch} × ${u.seqLen})`, 'GRPO peak', `+ accumulation (${plans[0].microBatchesPerUpdate} micro-batches)`];
  const rows = plans.map((p) => [p.name, p.cfg.arch, formatCount(p.eval.memory.parameters), formatBytes(p.eval.totalBytes), formatBytes(p.rollouts.totalBytes), formatBytes(p.update.totalBytes), formatBytes(p.peakBytes), p.accumulationExtraBytes > 0 ? `+${formatBytes(p.accumulationExtraBytes)}` : '0']);
  return [
    `float32 memory by phase; prompt ${s.promptTokens} tokens, evaluation ${s.evalMaxNewTokens} new tokens, GRPO ${s.prompts} prompts × G ${s.groupSize} × ${s.maxNewTokens} new tokens, micro-batch ${s.microBatch}, mini-batch ${s.miniBatch}`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    THROUGHPUT_CAVEAT,
  ];
}

/** Greedy evaluations a run of `steps` makes: at step 0, every `evalEvery` steps and at the last (the loop's schedule, src/rl/grpo.ts). */
export function evaluationsPerRun(steps: number, evalEvery: number): number {
  if (evalEvery <= 0) return 0;
  return Math.floor(steps / evalEvery) + 1 + (steps % evalEvery === 0 ? 0 : 1);
}

export interface WallTimeEstimate {
  /** Mean measured seconds of a step's sampling and update (log rows' sample_s + train_s). */
  secondsPerStep: number;
  /** Steps the mean is over. */
  measuredSteps: number;
  evaluations: number;
  /** steps × secondsPerStep + evaluations × evalSeconds. */
  seconds: number;
}

/**
 * A run's wall time extrapolated from measured steps on the same machine, model and settings:
 * only as good as the steps it is measured on (response lengths change as training goes).
 */
export function extrapolateWallTime(rows: readonly Pick<StepLog<unknown>, 'step' | 'sample_s' | 'train_s'>[], o: { steps: number; evalEvery: number; evalSeconds: number }): WallTimeEstimate {
  const trained = rows.filter((r) => r.step > 0);
  if (trained.length === 0) throw new Error('extrapolateWallTime: no trained step in the log (rows with step > 0)');
  const secondsPerStep = trained.reduce((a, r) => a + r.sample_s + r.train_s, 0) / trained.length;
  const evaluations = evaluationsPerRun(o.steps, o.evalEvery);
  return { secondsPerStep, measuredSteps: trained.length, evaluations, seconds: o.steps * secondsPerStep + evaluations * o.evalSeconds };
}

/**
 * Seconds per evaluation inside a measured run: the run's wall time minus its steps' sampling and
 * update time, over its evaluations (so folder setup and file writes count as evaluation time).
 */
export function measuredEvalSeconds(rows: readonly Pick<StepLog<unknown>, 'step' | 'sample_s' | 'train_s'>[], runSeconds: number, evalEvery: number): number {
  const steps = rows.reduce((m, r) => Math.max(m, r.step), 0);
  const evaluations = evaluationsPerRun(steps, evalEvery);
  if (evaluations === 0) return 0;
  const stepSeconds = rows.filter((r) => r.step > 0).reduce((a, r) => a + r.sample_s + r.train_s, 0);
  return Math.max(0, runSeconds - stepSeconds) / evaluations;
}

/** "42 s" / "3.5 min" / "2.4 h" / "3.1 days". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}
