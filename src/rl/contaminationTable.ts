/**
 * Reading Paper B's RL experiment in the stand-in (preset 'contamination', notebook 07): each run's
 * greedy accuracy on the leaked and the unleaked test problems of its evaluation set and on fresh
 * problems, start → end, and the answer-token probabilities of Paper B's Fig. 9, aggregated per
 * family × reward × clip over seeds. The leaked/unleaked split is the audit's (src/world/audit.ts),
 * the same for both families, so the clean twin's two halves are the control.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readJsonl } from '../engine/jsonl';
import { AUDIT_LEAK_FRACTION, WorldAuditRow, auditProblems, leakFractionOf } from '../world/audit';
import { RESULTS_DIR } from './results';
import { getFamily } from '../world/families';
import { loadWorldSplit } from '../world/dataset';
import { Problem } from '../world/problems';
import type { GrpoConfig } from './config';
import type { StepLog } from './log';
import { armName } from './settings';
import { PHASE_DIR, phaseRunDir, phaseRuns } from './phase';
import { Spread, spread } from './phaseTable';

/** Where `npm run audit -- --all` writes the audit of every family (what notebook 07 reads). */
export const AUDIT_FILE = path.join(RESULTS_DIR, 'contamination', 'audit.json');

/** The committed audit rows, or [] before the audit ran. */
export function loadAuditRows(file = AUDIT_FILE): WorldAuditRow[] {
  if (!fs.existsSync(file)) return [];
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { rows: WorldAuditRow[] }).rows;
  } catch (e) {
    throw new Error(`${file}: cannot read the audit (${(e as Error).message}); rebuild it with npm run audit -- --all`);
  }
}

export const CONTAMINATION_SPLITS = ['leaked', 'unleaked', 'fresh'] as const;
export type ContaminationSplit = (typeof CONTAMINATION_SPLITS)[number];

export interface ContaminationRun {
  run_id: string;
  family: string;
  reward: string;
  clip_mode: string;
  seed: number;
  /** Evaluation steps and the greedy accuracy (0–1) on each split at each. */
  steps: number[];
  acc: Record<ContaminationSplit, number[]>;
  /** Answer-token probabilities of greedy answers at the first and last evaluation, per split (answered problems only). */
  answer_probs_start: Record<ContaminationSplit, number[]>;
  answer_probs_end: Record<ContaminationSplit, number[]>;
  /** The same, of correct greedy answers only: there the answer's tokens are the gold answer's. */
  gold_probs_start: Record<ContaminationSplit, number[]>;
  gold_probs_end: Record<ContaminationSplit, number[]>;
}

/** Which of the evaluated test problems (in evaluation order) are in the audit's leaked split at `leakFraction`. */
export function leakedMask(evalSet: readonly Problem[], leakFraction: number, test: readonly Problem[] = loadWorldSplit('test'), train: readonly Problem[] = loadWorldSplit('train')): boolean[] {
  const leaked = new Set(auditProblems('leaked', test, train, test.length, leakFraction).map((p) => p.id));
  return evalSet.map((p) => leaked.has(p.id));
}

function bitsAcc(bits: string, keep: readonly boolean[]): number {
  let n = 0;
  let hit = 0;
  for (let i = 0; i < bits.length; i++) if (keep[i]) { n++; if (bits[i] === '1') hit++; }
  return n ? hit / n : NaN;
}

function probsOf(probs: readonly (number | null)[] | undefined, keep: (i: number) => boolean): number[] {
  return (probs ?? []).filter((p, i): p is number => p !== null && keep(i));
}

/** One run's per-split curves from its log (evaluations without per-problem bits are an error, not a silent zero). */
export function contaminationRun(runId: string, cfg: Pick<GrpoConfig, 'family' | 'reward' | 'gamma' | 'surrogate' | 'estimator' | 'batching' | 'seed' | 'evalProblems'>, log: readonly StepLog[], mask: readonly boolean[]): ContaminationRun {
  const evals = log.filter((r) => r.eval);
  const acc: Record<ContaminationSplit, number[]> = { leaked: [], unleaked: [], fresh: [] };
  for (const r of evals) {
    const e = r.eval!;
    if (!e.correct_bits || !e.fresh) throw new Error(`${runId}: step ${r.step}'s evaluation has no per-problem correctness or fresh accuracy (not a contamination run?)`);
    acc.leaked.push(bitsAcc(e.correct_bits, mask));
    acc.unleaked.push(bitsAcc(e.correct_bits, mask.map((m) => !m)));
    acc.fresh.push(e.fresh.acc);
  }
  const probs = (e: StepLog['eval'], correctOnly = false) => {
    const ok = (bits: string | undefined, i: number) => !correctOnly || bits?.[i] === '1';
    return {
      leaked: probsOf(e?.answer_probs, (i) => mask[i] && ok(e?.correct_bits, i)),
      unleaked: probsOf(e?.answer_probs, (i) => !mask[i] && ok(e?.correct_bits, i)),
      fresh: probsOf(e?.fresh?.answer_probs, (i) => ok(e?.fresh?.correct_bits, i)),
    };
  };
  return {
    run_id: runId,
    family: cfg.family,
    reward: cfg.gamma !== null ? `${cfg.reward}-${cfg.gamma}` : cfg.reward,
    clip_mode: armName(cfg),
    seed: cfg.seed,
    steps: evals.map((r) => r.step),
    acc,
    answer_probs_start: probs(evals[0]?.eval),
    answer_probs_end: probs(evals[evals.length - 1]?.eval),
    gold_probs_start: probs(evals[0]?.eval, true),
    gold_probs_end: probs(evals[evals.length - 1]?.eval, true),
  };
}

/**
 * Every finished run of the contamination preset. A leaked family's halves are its own leak; the
 * clean twin's runs are read once per leak fraction in the grid (family shown as
 * 'good-code-unleaked@0.2' for the heavy dose's), so each contaminated family has a control on the same problems.
 */
export function loadContaminationRuns(root = PHASE_DIR): ContaminationRun[] {
  const runs = phaseRuns('contamination', () => []);
  const test = loadWorldSplit('test');
  const fractions = [...new Set(runs.map((r) => leakFractionOf(getFamily(r.cfg.family))))];
  const out: ContaminationRun[] = [];
  for (const run of runs) {
    const dir = phaseRunDir(run, root);
    if (!fs.existsSync(path.join(dir, 'summary.json'))) continue;
    const spec = getFamily(run.cfg.family);
    const log = readJsonl<StepLog>(path.join(dir, 'log.jsonl'));
    const own = spec.fullText?.source === 'test' ? [leakFractionOf(spec)] : fractions;
    for (const f of own) {
      const r = contaminationRun(run.id, run.cfg, log, leakedMask(test.slice(0, run.cfg.evalProblems), f, test));
      out.push(f === AUDIT_LEAK_FRACTION || spec.fullText?.source === 'test' ? r : { ...r, family: `${r.family}@${f}` });
    }
  }
  return out;
}

export interface ContaminationCellRow {
  family: string;
  reward: string;
  clip_mode: string;
  seeds: number;
  /** Start accuracy (%) and change (points, mean ± sd over seeds) per split. */
  start: Record<ContaminationSplit, Spread | null>;
  change: Record<ContaminationSplit, Spread | null>;
  /** R1's statistic: (leaked change − unleaked change), seed by seed. */
  leaked_minus_unleaked: Spread | null;
}

/** One row per family × reward × clip, in the grid's order. */
export function contaminationCellRows(runs: readonly ContaminationRun[]): ContaminationCellRow[] {
  const keys = [...new Set(runs.map((r) => `${r.family}|${r.reward}|${r.clip_mode}`))];
  return keys.map((k) => {
    const [family, reward, clip_mode] = k.split('|');
    const mine = runs.filter((r) => r.family === family && r.reward === reward && r.clip_mode === clip_mode);
    const per = (f: (r: ContaminationRun, s: ContaminationSplit) => number) =>
      Object.fromEntries(CONTAMINATION_SPLITS.map((s) => [s, spread(mine.map((r) => f(r, s)).filter((x) => Number.isFinite(x)))])) as Record<ContaminationSplit, Spread | null>;
    const change = (r: ContaminationRun, s: ContaminationSplit) => 100 * (r.acc[s][r.acc[s].length - 1] - r.acc[s][0]);
    return {
      family,
      reward,
      clip_mode,
      seeds: mine.length,
      start: per((r, s) => 100 * r.acc[s][0]),
      change: per(change),
      leaked_minus_unleaked: spread(mine.map((r) => change(r, 'leaked') - change(r, 'unleaked')).filter((x) => Number.isFinite(x))),
    };
  });
}

/** Share (%) of answer-token probabilities above a threshold, e.g. 1/(1+ε): the tokens the upper clip cannot stop. */
export function shareAbove(probs: readonly number[], threshold: number): number | null {
  return probs.length ? (100 * probs.filter((p) => p > threshold).length) / probs.length : null;
}
