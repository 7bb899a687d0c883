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
import { MeanSd, PairedStat, meanSd, pairedStat } from './stats';

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

/**
 * A problem's difficulty: its number of operations (1–3 with the world's default ranges), the
 * analogue of RandomCalculation's step count. The fresh split cannot hold one-operation problems
 * (the shipped test and training splits together already use every one-operation key, and fresh
 * problems avoid every shipped key), so its accuracy is only comparable to the test set's within a
 * difficulty.
 */
export function opsOf(p: Pick<Problem, 'steps'>): number {
  return p.steps.length;
}

/** Per evaluated problem of a split, in evaluation order: its difficulty and its greedy correctness ('1'/'0') at the first and last evaluation. */
export interface SplitProblems {
  ops: number[];
  start: string;
  end: string;
}

export interface ContaminationRun {
  run_id: string;
  family: string;
  reward: string;
  clip_mode: string;
  seed: number;
  /** The leak cut its leaked/unleaked halves are read with, and whether the family saw those problems (false: a clean control). */
  leak_fraction: number;
  contaminated: boolean;
  /** Evaluation steps and the greedy accuracy (0–1) on each split at each. */
  steps: number[];
  acc: Record<ContaminationSplit, number[]>;
  /** Answer-token probabilities of greedy answers at the first and last evaluation, per split (answered problems only). */
  answer_probs_start: Record<ContaminationSplit, number[]>;
  answer_probs_end: Record<ContaminationSplit, number[]>;
  /** The same, of correct greedy answers only: there the answer's tokens are the gold answer's. */
  gold_probs_start: Record<ContaminationSplit, number[]>;
  gold_probs_end: Record<ContaminationSplit, number[]>;
  /** Per-problem difficulty and correctness per split, for comparisons within a difficulty (src/rl/contaminationStrata.ts). */
  problems: Record<ContaminationSplit, SplitProblems>;
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

/** Difficulty of each evaluated problem: the test problems in evaluation order, and the fresh ones in the order the run evaluated them. */
export interface EvalOps {
  test: readonly number[];
  fresh: readonly number[];
}

/**
 * One run's per-split curves from its log (evaluations without per-problem bits are an error, not a
 * silent zero; so are bits that do not match the problems they are read against).
 */
export function contaminationRun(runId: string, cfg: Pick<GrpoConfig, 'family' | 'reward' | 'gamma' | 'surrogate' | 'estimator' | 'batching' | 'seed' | 'evalProblems'>, log: readonly StepLog[], mask: readonly boolean[], ops: EvalOps, leak: { fraction: number; contaminated: boolean }): ContaminationRun {
  if (ops.test.length !== mask.length) throw new Error(`${runId}: ${ops.test.length} test difficulties for ${mask.length} evaluated test problems`);
  const evals = log.filter((r) => r.eval);
  const acc: Record<ContaminationSplit, number[]> = { leaked: [], unleaked: [], fresh: [] };
  for (const r of evals) {
    const e = r.eval!;
    if (!e.correct_bits || !e.fresh) throw new Error(`${runId}: step ${r.step}'s evaluation has no per-problem correctness or fresh accuracy (not a contamination run?)`);
    if (e.correct_bits.length !== mask.length) throw new Error(`${runId}: step ${r.step} has ${e.correct_bits.length} test bits for ${mask.length} evaluated problems`);
    if (e.fresh.correct_bits.length !== ops.fresh.length) throw new Error(`${runId}: step ${r.step} has ${e.fresh.correct_bits.length} fresh bits for ${ops.fresh.length} fresh problems`);
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
  const first = evals[0]?.eval;
  const last = evals[evals.length - 1]?.eval;
  const part = (keep: boolean): SplitProblems => {
    const bits = (b: string | undefined) => [...(b ?? '')].filter((_, i) => mask[i] === keep).join('');
    return { ops: ops.test.filter((_, i) => mask[i] === keep), start: bits(first?.correct_bits), end: bits(last?.correct_bits) };
  };
  return {
    run_id: runId,
    family: cfg.family,
    reward: cfg.gamma !== null ? `${cfg.reward}-${cfg.gamma}` : cfg.reward,
    clip_mode: armName(cfg),
    seed: cfg.seed,
    leak_fraction: leak.fraction,
    contaminated: leak.contaminated,
    steps: evals.map((r) => r.step),
    acc,
    answer_probs_start: probs(first),
    answer_probs_end: probs(last),
    gold_probs_start: probs(first, true),
    gold_probs_end: probs(last, true),
    problems: { leaked: part(true), unleaked: part(false), fresh: { ops: [...ops.fresh], start: first?.fresh?.correct_bits ?? '', end: last?.fresh?.correct_bits ?? '' } },
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
  const train = loadWorldSplit('train');
  const fractions = [...new Set(runs.map((r) => leakFractionOf(getFamily(r.cfg.family))))];
  // The fresh problems a run evaluated are the audit's, regenerated from their seed (src/rl/standin.ts's evaluator).
  const freshOps = new Map<number, number[]>();
  const freshOf = (n: number) => freshOps.get(n) ?? freshOps.set(n, auditProblems('fresh', test, train, n).map(opsOf)).get(n)!;
  const out: ContaminationRun[] = [];
  for (const run of runs) {
    const dir = phaseRunDir(run, root);
    if (!fs.existsSync(path.join(dir, 'summary.json'))) continue;
    const spec = getFamily(run.cfg.family);
    const log = readJsonl<StepLog>(path.join(dir, 'log.jsonl'));
    const contaminated = spec.fullText?.source === 'test';
    const own = contaminated ? [leakFractionOf(spec)] : fractions;
    const evalSet = test.slice(0, run.cfg.evalProblems);
    const ops: EvalOps = { test: evalSet.map(opsOf), fresh: run.cfg.freshProblems ? freshOf(run.cfg.freshProblems) : [] };
    for (const f of own) {
      const r = contaminationRun(run.id, run.cfg, log, leakedMask(evalSet, f, test, train), ops, { fraction: f, contaminated });
      out.push(f === AUDIT_LEAK_FRACTION || contaminated ? r : { ...r, family: `${r.family}@${f}` });
    }
  }
  return out;
}

export interface ContaminationCellRow {
  family: string;
  reward: string;
  clip_mode: string;
  seeds: number;
  /** Problems per split in the evaluation (the same for every seed). */
  problems: Record<ContaminationSplit, number>;
  /** Start accuracy (%, mean ± sd over seeds: one checkpoint, so the seeds agree) per split. */
  start: Record<ContaminationSplit, MeanSd | null>;
  /** Change (points) per split: mean ± sd over seeds, with the 95% interval of the per-seed change (each run is its own pair, end − start). */
  change: Record<ContaminationSplit, PairedStat | null>;
  /** R1's statistic: (leaked change − unleaked change), seed by seed, with its paired 95% interval. */
  leaked_minus_unleaked: PairedStat | null;
}

/** One run's change of greedy accuracy on a split, first to last evaluation, in points. */
export function splitChange(r: ContaminationRun, s: ContaminationSplit): number {
  return 100 * (r.acc[s][r.acc[s].length - 1] - r.acc[s][0]);
}

const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x));

/** One row per family × reward × clip, in the grid's order. */
export function contaminationCellRows(runs: readonly ContaminationRun[]): ContaminationCellRow[] {
  const keys = [...new Set(runs.map((r) => `${r.family}|${r.reward}|${r.clip_mode}`))];
  return keys.map((k) => {
    const [family, reward, clip_mode] = k.split('|');
    const mine = runs.filter((r) => r.family === family && r.reward === reward && r.clip_mode === clip_mode);
    const per = <T>(stat: (xs: number[]) => T, f: (r: ContaminationRun, s: ContaminationSplit) => number) =>
      Object.fromEntries(CONTAMINATION_SPLITS.map((s) => [s, stat(finite(mine.map((r) => f(r, s))))])) as Record<ContaminationSplit, T>;
    return {
      family,
      reward,
      clip_mode,
      seeds: mine.length,
      problems: Object.fromEntries(CONTAMINATION_SPLITS.map((s) => [s, mine[0].problems[s].ops.length])) as Record<ContaminationSplit, number>,
      start: per((xs) => (xs.length ? meanSd(xs) : null), (r, s) => 100 * r.acc[s][0]),
      change: per(pairedStat, splitChange),
      leaked_minus_unleaked: pairedStat(finite(mine.map((r) => splitChange(r, 'leaked') - splitChange(r, 'unleaked')))),
    };
  });
}

/** Share (%) of answer-token probabilities above a threshold, e.g. 1/(1+ε): the tokens the upper clip cannot stop. */
export function shareAbove(probs: readonly number[], threshold: number): number | null {
  return probs.length ? (100 * probs.filter((p) => p > threshold).length) / probs.length : null;
}
