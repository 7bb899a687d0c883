/**
 * Reading a preset's finished runs back for analysis: configs + step logs grouped into cells
 * (family × reward × γ × clip mode, seeds pooled), curves as mean ± sd over seeds, and strategy
 * switching from the per-problem bits of each run's first and last evaluation.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StrategySwitch, STRATEGY_SWITCHES, strategySwitchingFlags } from '../analysis/codeReasoning';
import { readJsonl } from '../engine/jsonl';
import { GrpoConfig, GrpoConfigInput, armName, validateGrpoConfig } from './config';
import type { StepLog } from './log';
import { RunSummary, summarizeLog } from './run';
import { runGrpo } from './standin';
import { projectPath } from '../engine/paths';

export const RESULTS_DIR = projectPath('results');

export interface RunRecord {
  cfg: GrpoConfig;
  log: StepLog[];
  summary: RunSummary;
}

/** Cell label as tables print it, e.g. "random(0.5)". */
export function rewardLabelOf(c: Pick<GrpoConfig, 'reward' | 'gamma'>): string {
  return c.gamma !== null ? `${c.reward}(${c.gamma})` : c.reward;
}

export function cellKeyOf(c: GrpoConfig): string {
  return `${c.family}|${rewardLabelOf(c)}|${armName(c)}`;
}

/** Every finished run of a preset (runs still in progress are left out). */
export function loadRuns(preset: string, root = RESULTS_DIR): RunRecord[] {
  const dir = path.join(root, preset);
  if (!fs.existsSync(dir)) throw new Error(`${dir}: no results for preset '${preset}' (run \`npm run reproduce -- --preset ${preset}\`)`);
  const runs: RunRecord[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const cfgFile = path.join(dir, name, 'config.json');
    const logFile = path.join(dir, name, 'log.jsonl');
    if (!fs.existsSync(cfgFile) || !fs.existsSync(logFile)) continue;
    const cfg = validateGrpoConfig(JSON.parse(fs.readFileSync(cfgFile, 'utf8')), cfgFile);
    const log = readJsonl<StepLog>(logFile);
    const summary = summarizeLog(cfg, log);
    if (summary.steps >= cfg.steps) runs.push({ cfg, log, summary });
  }
  return runs;
}

/** The runs of one cell (all seeds). */
export function cellRuns(runs: readonly RunRecord[], cell: { family?: string; reward?: string; gamma?: number | null; arm?: string }): RunRecord[] {
  return runs.filter((r) =>
    (cell.family === undefined || r.cfg.family === cell.family) &&
    (cell.reward === undefined || r.cfg.reward === cell.reward) &&
    (cell.gamma === undefined || r.cfg.gamma === cell.gamma) &&
    (cell.arm === undefined || armName(r.cfg) === cell.arm));
}

/**
 * The runs of one family × reward cell of the reward ladder (the paper's Fig. 1 setting): rewards
 * named 'random…' at γ = 0.5, clip mode 'clip' unless another arm is given.
 */
export function ladderCell(runs: readonly RunRecord[], family: string, reward: string, arm = 'clip'): RunRecord[] {
  return cellRuns(runs, { family, reward, arm, ...(reward.startsWith('random') ? { gamma: 0.5 } : {}) });
}

/** The runs of several ladder cells of one family (e.g. every bar of a figure), for provenance notes. */
export function rewardLadderRuns(runs: readonly RunRecord[], family: string, rewards: readonly string[], arm = 'clip'): RunRecord[] {
  return rewards.flatMap((reward) => ladderCell(runs, family, reward, arm));
}

import { MeanSd, PairedStat, meanSd, pairedDifference, pairedStat } from './stats';
export { meanSd, type MeanSd };

export type EvalMetric = 'acc' | 'code' | 'boxed' | 'length' | 'avg_at_k' | 'parsed';

export interface CurvePoint extends MeanSd {
  step: number;
}

/** An evaluation metric over training steps, mean ± sd over the runs (seeds). */
export function evalCurve(runs: readonly RunRecord[], metric: EvalMetric): CurvePoint[] {
  const bySteps = new Map<number, number[]>();
  for (const r of runs) {
    for (const row of r.log) {
      const v = row.eval?.[metric];
      if (typeof v === 'number') bySteps.set(row.step, [...(bySteps.get(row.step) ?? []), v]);
    }
  }
  return [...bySteps.entries()].sort((a, b) => a[0] - b[0]).map(([step, xs]) => ({ step, ...meanSd(xs) }));
}

type NumericStepField = Exclude<{ [K in keyof StepLog]-?: StepLog[K] extends number | null ? K : never }[keyof StepLog], undefined>;

/** A per-step training diagnostic (reward, clip fractions, KL, ...), mean ± sd over the runs. */
export function stepCurve(runs: readonly RunRecord[], field: NumericStepField): CurvePoint[] {
  const bySteps = new Map<number, number[]>();
  for (const r of runs) {
    for (const row of r.log) {
      const v = row[field];
      if (typeof v === 'number' && row.step > 0) bySteps.set(row.step, [...(bySteps.get(row.step) ?? []), v]);
    }
  }
  return [...bySteps.entries()].sort((a, b) => a[0] - b[0]).map(([step, xs]) => ({ step, ...meanSd(xs) }));
}

const startEnd = (r: RunRecord, metric: 'acc' | 'code', which: 'start' | 'end'): number => (metric === 'acc' ? r.summary[`acc_${which}`] : r.summary[`code_${which}`]) ?? NaN;

/**
 * End − start of a greedy evaluation metric, per seed of one cell. Start and end are the same run's
 * first and last evaluation, so the change is a paired quantity; keyed by seed so two arms can be
 * paired seed by seed (arms of one seed start from the same checkpoint with the same seed).
 */
export function seedChanges(runs: readonly RunRecord[], metric: 'acc' | 'code' = 'acc'): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of runs) {
    // Two runs of one seed mean the caller pooled cells: a per-seed pairing would be wrong.
    if (out.has(r.cfg.seed)) throw new Error(`seedChanges: seed ${r.cfg.seed} appears twice (${r.summary.run_id}); pass the runs of one cell`);
    out.set(r.cfg.seed, startEnd(r, metric, 'end') - startEnd(r, metric, 'start'));
  }
  return out;
}

export interface CellChange extends PairedStat {
  /** Mean over the runs of the first and of the last evaluation. */
  start: number;
  end: number;
}

/**
 * End − start of a greedy evaluation metric per run (the summary's gain): mean ± sd over seeds, n,
 * and the 95% t interval of the mean change (null below 2 seeds). No runs: n 0 and NaN.
 */
export function cellChange(runs: readonly RunRecord[], metric: 'acc' | 'code' = 'acc'): CellChange {
  const d: PairedStat = pairedStat(runs.map((r) => startEnd(r, metric, 'end') - startEnd(r, metric, 'start'))) ?? { ...meanSd([]), lo: null, hi: null };
  return { ...d, start: meanSd(runs.map((r) => startEnd(r, metric, 'start'))).mean, end: meanSd(runs.map((r) => startEnd(r, metric, 'end'))).mean };
}

/**
 * Arm a − arm b of the end − start change, paired by seed over the seeds both arms ran: mean ± sd of
 * the per-seed differences, n and the paired 95% t interval (null when no seed is shared).
 */
export function armDifference(a: readonly RunRecord[], b: readonly RunRecord[], metric: 'acc' | 'code' = 'acc'): PairedStat | null {
  return pairedDifference(seedChanges(a, metric), seedChanges(b, metric));
}

export interface SwitchingRow {
  subset: StrategySwitch;
  /** Share of test problems in the subset, mean ± sd over seeds. */
  fraction: MeanSd;
  accBefore: MeanSd;
  accAfter: MeanSd;
  /** Partial Contribution Score C_d (seeds whose total net gain is 0 are left out). */
  contribution: MeanSd;
}

/**
 * Strategy switching (Fig. 7) and Partial Contribution Scores (Table 2) from the first and last
 * greedy evaluation of each run, averaged over runs. Runs without per-problem bits are skipped.
 */
export function switchingOfRuns(runs: readonly RunRecord[]): { rows: SwitchingRow[]; seeds: number; totalGain: MeanSd } {
  const reports = runs.flatMap((r) => {
    const evals = r.log.filter((x) => x.eval?.code_bits && x.eval.correct_bits);
    if (evals.length < 2) return [];
    const flags = (e: NonNullable<StepLog['eval']>) => Array.from(e.code_bits!, (c, i) => ({ code: c === '1', correct: e.correct_bits![i] === '1' }));
    return [strategySwitchingFlags(flags(evals[0].eval!), flags(evals[evals.length - 1].eval!))];
  });
  const rows = STRATEGY_SWITCHES.map((subset) => {
    const s = reports.map((rep) => rep.subsets[subset]);
    const vals = (f: (x: (typeof s)[number]) => number | null) => s.map(f).filter((v): v is number => v !== null);
    return {
      subset,
      fraction: meanSd(vals((x) => x.fraction)),
      accBefore: meanSd(vals((x) => x.accuracyBefore)),
      accAfter: meanSd(vals((x) => x.accuracyAfter)),
      contribution: meanSd(vals((x) => x.partialContribution)),
    };
  });
  return { rows, seeds: reports.length, totalGain: meanSd(reports.map((r) => r.totalNetGain / r.total)) };
}

/**
 * A small live re-run (the notebooks' "run it yourself" cells): runs each config into a scratch
 * results folder (never the committed results/), with a progress bar, and returns the records.
 */
export async function runLive(configs: readonly GrpoConfigInput[], opts: { dir?: string; quiet?: boolean } = {}): Promise<RunRecord[]> {
  const dir = opts.dir ?? path.join(os.tmpdir(), 'sr-live');
  const out: RunRecord[] = [];
  for (const raw of configs) {
    const cfg = validateGrpoConfig(raw, 'live run');
    const runDir = path.join(dir, `${cellKeyOf(cfg).replace(/[|()]/g, '_')}__s${cfg.seed}`);
    fs.rmSync(runDir, { recursive: true, force: true });
    // stdout: in a notebook, stderr output reads as an error.
    const summary = await runGrpo(cfg, { runDir, labelsDir: path.join(dir, 'labels') }, { quiet: opts.quiet, progressStream: process.stdout });
    const log = readJsonl<StepLog>(path.join(runDir, 'log.jsonl'));
    out.push({ cfg, log, summary });
  }
  return out;
}
