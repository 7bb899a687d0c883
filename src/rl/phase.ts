/**
 * The phase map (notebook 06): when does a random reward help? A pre-registered grid over the
 * stand-in's regime — prior shape (H1, H4), samples per step and steps (H2), clip width and
 * learning rate × updates (H3) — built as a centre point, one-factor sweeps and one 2-D slice
 * (prior code share × ε), not a full factorial. Every cell runs random(0.5) with the clip, without
 * it and with the RLOO null on the same seeds (paired: identical rollouts at step 1), plus ground
 * truth as the positive control. The grid is data written before any run; nothing is tuned per cell.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readJsonl } from '../engine/jsonl';
import { CHECKPOINTS_DIR } from '../world/priors';
import { GrpoConfig, runId, validateGrpoConfig } from './config';
import type { StepLog } from './log';
import { isFinishedRun } from './protocol';
import { RunSummary, standinIdentity, summarizeLog } from './run';
import { Arm, fromClipMode } from './settings';
import { PhaseRunFacts, PhaseSummary, phaseCellRows, stepFingerprint } from './phaseTable';

export type { PhaseSummary } from './phaseTable';
import { RESULTS_DIR, RunRecord } from './results';

/** The centre point: good-code-global at 64 rollouts per step (8 prompts × G = 8), ε = 0.2 (the paper's). */
export const PHASE_CENTRE: Readonly<Partial<GrpoConfig>> = Object.freeze({
  family: 'good-code-global',
  prompts: 8,
  groupSize: 8,
  miniBatch: 8,
  steps: 48,
  lr: 1e-4,
  epsilon: 0.2,
  maxNewTokens: 64,
  trainPool: 512,
  majorityK: 16,
  evalEvery: 12,
  evalProblems: 200,
  evalAvgK: 0,
  evalAvgProblems: 0,
  probeProblems: 100,
  probeK: 8,
  checkpointEvery: 6,
});

export interface PhaseCell {
  /** Short id, part of every run id of the cell. */
  id: string;
  /** Which hypothesis' axis the cell moves along ('centre' for the centre point). */
  axis: 'centre' | 'prior' | 'budget' | 'epsilon' | 'lr-updates' | 'slice' | 'contamination' | 'format';
  /** What differs from the centre, in words. */
  note: string;
  overrides: Partial<GrpoConfig>;
}

/** The screen, in the order it runs (most informative first). */
export const PHASE_CELLS: readonly PhaseCell[] = [
  { id: 'centre', axis: 'centre', note: 'good-code-global, 64 rollouts/step, 48 steps, ε 0.2, lr 1e-4, 8 updates/step', overrides: {} },
  { id: 'prior-surface', axis: 'prior', note: 'the shipped good-code (code by surface form)', overrides: { family: 'good-code' } },
  { id: 'prior-nocode', axis: 'prior', note: 'no-code (the family that must not gain)', overrides: { family: 'no-code' } },
  { id: 'eps-0.05', axis: 'epsilon', note: 'ε 0.05 (the full preset\'s)', overrides: { epsilon: 0.05 } },
  { id: 'prior-share80', axis: 'prior', note: 'good-code-share-80', overrides: { family: 'good-code-share-80' } },
  { id: 'prior-share35', axis: 'prior', note: 'good-code-share-35', overrides: { family: 'good-code-share-35' } },
  { id: 'prior-share50', axis: 'prior', note: 'good-code-share-50', overrides: { family: 'good-code-share-50' } },
  { id: 'prior-confident', axis: 'prior', note: 'good-code-confident (longer stage, more drills)', overrides: { family: 'good-code-confident' } },
  { id: 'lr-3e-4', axis: 'lr-updates', note: 'lr 3e-4', overrides: { lr: 3e-4 } },
  { id: 'updates-2', axis: 'lr-updates', note: 'mini-batch 32: 2 updates per step', overrides: { miniBatch: 32 } },
  { id: 'slice-share80-eps0.05', axis: 'slice', note: 'good-code-share-80, ε 0.05', overrides: { family: 'good-code-share-80', epsilon: 0.05 } },
  { id: 'slice-share35-eps0.05', axis: 'slice', note: 'good-code-share-35, ε 0.05', overrides: { family: 'good-code-share-35', epsilon: 0.05 } },
  { id: 'slice-share50-eps0.05', axis: 'slice', note: 'good-code-share-50, ε 0.05', overrides: { family: 'good-code-share-50', epsilon: 0.05 } },
  { id: 'steps-96', axis: 'budget', note: '96 steps (2× the updates)', overrides: { steps: 96, evalEvery: 24, checkpointEvery: 12 } },
  { id: 'rollouts-256', axis: 'budget', note: '256 rollouts/step (16 prompts × G = 16, mini-batch 32: 8 updates)', overrides: { prompts: 16, groupSize: 16, miniBatch: 32 } },
];

export interface PhaseArmSpec {
  reward: 'random' | 'ground-truth' | 'inverted' | 'format';
  gamma: number | null;
  /** The arm's one-word name (settings.ts ARMS): surrogate, estimator and batching in one. */
  arm: Arm;
}

/** The four arms of every cell: random(0.5) clip / noclip / RLOO null, and the ground-truth control. */
export const PHASE_ARMS: readonly PhaseArmSpec[] = [
  { reward: 'random', gamma: 0.5, arm: 'clip' },
  { reward: 'random', gamma: 0.5, arm: 'noclip' },
  { reward: 'random', gamma: 0.5, arm: 'rloo' },
  { reward: 'ground-truth', gamma: null, arm: 'clip' },
];

/**
 * Paper B's experiment in the stand-in (notebook 07, pre-registered there): the leaked family and
 * its clean twin at the phase map's centre, evaluated every 12 steps on the first 200 test problems
 * (about half of them leaked; per-problem correctness and answer-token probabilities logged) and on
 * 200 fresh problems. No probe set: the question here is memorised answers, not code share.
 */
const CONTAMINATION_EVAL: Partial<GrpoConfig> = { freshProblems: 200, probeProblems: undefined, probeK: undefined };
export const CONTAMINATION_CELLS: readonly PhaseCell[] = [
  { id: 'contam-leaked', axis: 'contamination', note: 'good-code-leaked: half the test set seen whole in pretraining', overrides: { family: 'good-code-leaked', ...CONTAMINATION_EVAL } },
  { id: 'contam-unleaked', axis: 'contamination', note: 'good-code-unleaked: its clean twin', overrides: { family: 'good-code-unleaked', ...CONTAMINATION_EVAL } },
  // Added after good-code-leaked's audit (weak memorisation), before any RL run: a fifth of the test
  // set at ~64 exposures; evaluated on all 500 test problems so that its 100 leaked ones all count.
  { id: 'contam-heavy', axis: 'contamination', note: 'good-code-leaked-heavy: a fifth of the test set, ~64 exposures each', overrides: { family: 'good-code-leaked-heavy', ...CONTAMINATION_EVAL, evalProblems: 500 } },
];

/** Correct, random(0.5) and inverted (1 − correct) rewards, each with and without the clip. */
export const CONTAMINATION_ARMS: readonly PhaseArmSpec[] = (['ground-truth', 'random', 'inverted'] as const).flatMap((reward) =>
  (['clip', 'noclip'] as const).map((arm) => ({ reward, gamma: reward === 'random' ? 0.5 : null, arm })),
);

/**
 * H5 (format), added after the screen was written and before any of its runs: the centre point with
 * every prompt wrapped in the template good-code-global handles worst among the candidates written
 * beforehand (src/world/promptFormat.ts), by the rule fixed with them — lowest greedy answer-parse
 * rate at step 0 among those still parsing ≥ 20%. Measured by `npm run prompt-format` on 200 test
 * problems (results/phase/format-candidates.json): unwrapped acc 32.0%, parsed 100%; think-suffix
 * acc 2.0%, parsed 48.0% (question-answer 5.5/92.0, comment-prefix 6.0/100, instruction 4.0/96.5).
 */
export const FORMAT_CELLS: readonly PhaseCell[] = [
  { id: 'format-think', axis: 'format', note: "centre, prompts wrapped as \"{prompt}\\nLet's think step by step.\"", overrides: { promptTemplate: "{prompt}\nLet's think step by step." } },
];

/** The map's four arms plus the format reward (a \boxed{} answer), the paper's other format-only signal. */
export const FORMAT_ARMS: readonly PhaseArmSpec[] = [...PHASE_ARMS, { reward: 'format', gamma: null, arm: 'clip' }];

/** A format cell's finished runs (same config and starting checkpoint) as run records, for per-step curves. */
export function loadFormatRuns(cellId: string = FORMAT_CELLS[0].id, root = PHASE_DIR): RunRecord[] {
  return loadCellRuns('format', cellId, root);
}

/**
 * One cell's finished runs of a phase preset (same config and starting checkpoint) as run records,
 * for per-step curves; `screen` is the screen summary the confirm cells are derived from.
 */
export function loadCellRuns(preset: string, cellId: string, root = PHASE_DIR, screen: () => readonly PhaseSummary[] = () => loadPhaseSummary()): RunRecord[] {
  const runs = phaseRuns(preset, screen);
  const cells = [...new Set(runs.map((r) => r.cell.id))];
  if (!cells.includes(cellId)) throw new Error(`unknown ${preset} cell '${cellId}' (use one of ${cells.join(', ')})`);
  return runs.filter((r) => r.cell.id === cellId && isPhaseRunFinished(r, root)).map((r) => {
    const log = readJsonl<StepLog>(path.join(phaseRunDir(r, root), 'log.jsonl'));
    return { cfg: r.cfg, log, summary: summarizeLog(r.cfg, log) };
  });
}

export interface PhasePreset {
  seeds: number;
  cells: (screen: () => readonly PhaseSummary[]) => readonly PhaseCell[];
  /** Default PHASE_ARMS. */
  arms?: readonly PhaseArmSpec[];
  /** Run order seed by seed across cells (so a partial run has every cell at seed 1), instead of cell by cell. */
  seedMajor?: boolean;
}

export const PHASE_PRESETS: Record<string, PhasePreset> = {
  /** Every cell, 3 paired seeds. */
  screen: { seeds: 3, cells: () => PHASE_CELLS },
  /** Paper B's RL experiment on the leaked family and its twin, 3 paired seeds. */
  contamination: { seeds: 3, cells: () => CONTAMINATION_CELLS, arms: CONTAMINATION_ARMS, seedMajor: true },
  /** H5: the centre under a prompt format the prior handles poorly, 3 paired seeds. */
  format: { seeds: 3, cells: () => FORMAT_CELLS, arms: FORMAT_ARMS },
  /** The pre-registered confirmation: the screen's best and worst cells, 5 seeds, twice the steps. */
  confirm: { seeds: 5, cells: (screen) => confirmCells(screen()) },
};

/**
 * The confirm rule, written with the grid: of the finished screen, the cells with the largest and
 * the smallest mean *clip − noclip* change of greedy accuracy (random(0.5), paired by seed),
 * re-run with twice the steps (and evaluations as often per run). Refuses an unfinished screen.
 */
export function confirmCells(screen: readonly PhaseSummary[]): PhaseCell[] {
  const { best, worst, missing } = screenExtremes(screen);
  if (missing.length) throw new Error(`phase confirm: the screen is not finished (fewer than 3 paired seeds in ${missing.join(', ')}); run npm run phase -- --preset screen first`);
  return [best!, worst!].map((id) => {
    const c = PHASE_CELLS.find((x) => x.id === id)!;
    const base = { ...PHASE_CENTRE, ...c.overrides };
    const overrides = { ...c.overrides, steps: 2 * base.steps!, evalEvery: 2 * base.evalEvery!, checkpointEvery: 2 * base.checkpointEvery! };
    return { id: `confirm-${c.id}`, axis: c.axis, note: `${c.note}; confirm: ${overrides.steps} steps`, overrides };
  });
}

/**
 * The confirm rule's two cells among the screen cells with ≥ 3 paired seeds: the largest and the
 * smallest mean clip − noclip change of greedy accuracy; `missing` lists the screen cells without 3
 * paired seeds yet (the notebook shows the extremes of a partial screen, the confirm refuses it).
 */
export function screenExtremes(screen: readonly PhaseSummary[]): { best: string | null; worst: string | null; missing: string[] } {
  const rows = phaseCellRows(screen.filter((r) => PHASE_CELLS.some((c) => c.id === r.cell)), 'acc').filter((c) => c.clip_minus_noclip && c.paired_seeds >= 3);
  const missing = PHASE_CELLS.filter((c) => !rows.some((r) => r.cell === c.id)).map((c) => c.id);
  const sorted = [...rows].sort((a, b) => b.clip_minus_noclip!.mean - a.clip_minus_noclip!.mean);
  return { best: sorted[0]?.cell ?? null, worst: sorted[sorted.length - 1]?.cell ?? null, missing };
}

export interface PhaseRun {
  cell: PhaseCell;
  cfg: GrpoConfig;
  /** results/phase/<cell>__<run-id> */
  id: string;
}

/** Every run of a phase preset, as full configs. */
export function phaseRuns(preset: string, screen: () => readonly PhaseSummary[] = () => loadPhaseSummary()): PhaseRun[] {
  const p = PHASE_PRESETS[preset];
  if (!p) throw new Error(`unknown phase preset '${preset}' (use one of ${Object.keys(PHASE_PRESETS).join(', ')})`);
  const out: PhaseRun[] = [];
  const cells = p.cells(screen);
  const pairs = p.seedMajor
    ? Array.from({ length: p.seeds }, (_, i) => cells.map((cell) => ({ cell, seed: i + 1 }))).flat()
    : cells.flatMap((cell) => Array.from({ length: p.seeds }, (_, i) => ({ cell, seed: i + 1 })));
  for (const { cell, seed } of pairs) {
    for (const arm of p.arms ?? PHASE_ARMS) {
      const cfg = validateGrpoConfig({ ...PHASE_CENTRE, ...cell.overrides, reward: arm.reward, gamma: arm.gamma, ...fromClipMode(arm.arm), seed }, `phase cell ${cell.id}`);
      out.push({ cell, cfg, id: `${cell.id}__${runId(cfg)}` });
    }
  }
  return out;
}

export const PHASE_DIR = path.join(RESULTS_DIR, 'phase');

export function phaseRunDir(run: Pick<PhaseRun, 'id'>, root = PHASE_DIR): string {
  return path.join(root, run.id);
}

/** Finished as the same run (the same config, canonically, from the same starting checkpoint). */
export function isPhaseRunFinished(run: PhaseRun, root = PHASE_DIR, checkpointsDir = CHECKPOINTS_DIR): boolean {
  return isFinishedRun(phaseRunDir(run, root), standinIdentity(run.cfg, checkpointsDir));
}

export function phaseSummary(cell: PhaseCell, cfg: GrpoConfig, log: readonly StepLog[]): PhaseSummary {
  const s = summarizeLog(cfg, log);
  const evals = log.filter((r) => r.eval);
  const first = evals[0]?.eval?.probe;
  const last = evals[evals.length - 1]?.eval?.probe;
  const steps = log.filter((r) => r.step > 0);
  return {
    ...s,
    run_id: `${cell.id}__${s.run_id}`,
    cell: cell.id,
    axis: cell.axis,
    rollouts_per_step: cfg.prompts * cfg.groupSize,
    lr: cfg.lr,
    epsilon: cfg.epsilon,
    sampled_acc_start: first?.acc ?? null,
    sampled_acc_end: last?.acc ?? null,
    sampled_code_start: first?.code ?? null,
    sampled_code_end: last?.code ?? null,
    majority_code_prompts_start: first?.majority_code ?? null,
    majority_code_prompts_end: last?.majority_code ?? null,
    pass_at_k_start: first?.pass_at_k ?? null,
    pass_at_k_end: last?.pass_at_k ?? null,
    probe_k: first?.k ?? null,
    code_counts_start: first?.code_counts ?? null,
    code_counts_end: last?.code_counts ?? null,
    parsed_start: evals[0]?.eval?.parsed ?? null,
    parsed_end: evals[evals.length - 1]?.eval?.parsed ?? null,
    step_s: steps.length ? +(steps.reduce((a, r) => a + r.sample_s + r.train_s, 0) / steps.length).toFixed(3) : null,
    entropy_start: meanOf(steps.slice(0, 3).map((r) => r.entropy)),
    entropy_end: meanOf(steps.slice(-3).map((r) => r.entropy)),
    clip_frac: meanOf(steps.map((r) => (r.clip_high === null || r.clip_low === null ? null : r.clip_high + r.clip_low))),
  };
}

function meanOf(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

/** Rebuilds results/phase/summary.json from every finished phase run (screen and confirm). */
export function summarizePhase(root = PHASE_DIR): PhaseSummary[] {
  if (!fs.existsSync(root)) return [];
  let confirm: PhaseRun[] = [];
  try {
    confirm = phaseRuns('confirm');
  } catch {
    // The confirm cells exist only once the screen is finished.
  }
  const runs = [...phaseRuns('screen'), ...confirm, ...phaseRuns('contamination'), ...phaseRuns('format')];
  const out: PhaseSummary[] = [];
  const seen = new Set<string>();
  for (const run of runs) {
    if (seen.has(run.id)) continue;
    seen.add(run.id);
    const dir = phaseRunDir(run, root);
    if (!fs.existsSync(path.join(dir, 'summary.json'))) continue;
    out.push(phaseSummary(run.cell, run.cfg, readJsonl<StepLog>(path.join(dir, 'log.jsonl'))));
  }
  const file = path.join(root, 'summary.json');
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(out) + '\n');
  fs.renameSync(tmp, file);
  return out;
}

/** The committed phase-map summary (results/phase/summary.json), or [] before any run finished. */
export function loadPhaseSummary(root = PHASE_DIR): PhaseSummary[] {
  const file = path.join(root, 'summary.json');
  if (!fs.existsSync(file)) return [];
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PhaseSummary[];
  } catch (e) {
    throw new Error(`${file}: cannot read the phase-map summary (${(e as Error).message}); rebuild it with npm run phase -- --summarize`);
  }
}

/**
 * Per finished run of the summary, what its log adds: the optimiser updates it made and one
 * fingerprint per step of what it sampled and was rewarded (for the shared-trajectory check of
 * phaseTable.ts). Runs whose folder has no log are left out.
 */
export function loadPhaseRunFacts(rows: readonly PhaseSummary[], root = PHASE_DIR): Map<string, PhaseRunFacts> {
  const out = new Map<string, PhaseRunFacts>();
  for (const r of rows) {
    const file = path.join(root, r.run_id, 'log.jsonl');
    if (!fs.existsSync(file)) continue;
    const log = readJsonl<StepLog>(file).filter((x) => x.step > 0);
    out.set(r.run_id, { updates: log.reduce((a, x) => a + (x.updates ?? 0), 0), trajectory: log.map(stepFingerprint) });
  }
  return out;
}
