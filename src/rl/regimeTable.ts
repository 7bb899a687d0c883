/**
 * Notebook 02's reading of the regime grid (results/regime, src/rl/regime.ts): per family × reward
 * the change with its interval and the paired difference to the family's matched null, and the
 * pre-registered R1–R3 and positive control applied to the finished runs. Each rule waits, naming
 * what is missing, until its runs have landed, so a partial grid is never read as a verdict.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FAMILY_NAMES } from '../world/families';
import { armName, runId } from './config';
import { PAPER_REWARD_LADDER } from './grid';
import { intervalSide } from './ladderTable';
import { complete, type VerdictStatus } from './ladderVerdicts';
import { stepCodeHashes } from './provenance';
import { REGIME_PRESET, REGIME_SEEDS } from './regime';
import { CellChange, RESULTS_DIR, RunRecord, armDifference, cellChange, ladderCell, loadRuns, seedChanges } from './results';
import { PairedStat, formatMeanSd, formatPaired, pairedDifference, pairedStat } from './stats';
import { inPoints, seedList } from './stepVersions';

/** The matched on-policy null's clip mode: rollout = mini-batch, 8× the steps, ρ = 1. */
export const REGIME_NULL_ARM = 'rollout=minibatch';
/** The spurious rewards R3 reads (Fig. 1's rewards that carry no information about correctness). */
export const REGIME_SPURIOUS: readonly string[] = ['format', 'incorrect', 'random'];

export interface RegimeRow {
  family: string;
  /** Reward name; the matched null's row has reward 'random' and arm REGIME_NULL_ARM. */
  reward: string;
  arm: 'clip' | typeof REGIME_NULL_ARM;
  /** Greedy-accuracy change end − start (fractions): mean ± sd, n, 95% interval over seeds. */
  gain: CellChange;
  code: CellChange;
  /** This row's accuracy change − the family's matched null, paired by seed (null for the null itself). */
  vsNull: PairedStat | null;
  seeds: number[];
}

/** The regime grid's finished runs; none (not an error) before its first run has landed. */
export function loadRegimeRuns(root = RESULTS_DIR): RunRecord[] {
  return fs.existsSync(path.join(root, REGIME_PRESET)) ? loadRuns(REGIME_PRESET, root) : [];
}

/** "lr 5e-5, ε 0.1, 96 steps": the settings the runs share (an error if they do not share them). */
export function regimeSettings(runs: readonly RunRecord[]): string {
  const texts = new Set(runs.filter((r) => armName(r.cfg) !== REGIME_NULL_ARM).map((r) => `lr ${r.cfg.lr.toExponential()}, ε ${r.cfg.epsilon}, ${r.cfg.steps} steps of ${r.cfg.prompts * r.cfg.groupSize} rollouts`));
  if (texts.size > 1) throw new Error(`results/${REGIME_PRESET}: runs with different settings (${[...texts].join(' | ')})`);
  return [...texts][0] ?? 'no finished runs';
}

const nullRuns = (runs: readonly RunRecord[], family: string) => ladderCell(runs, family, 'random', REGIME_NULL_ARM);

/** One row per family × Fig. 1 reward with the clip, then the family's matched null; empty cells left out. */
export function regimeRows(runs: readonly RunRecord[], families: readonly string[] = FAMILY_NAMES): RegimeRow[] {
  return families.flatMap((family) => {
    const nul = nullRuns(runs, family);
    const row = (reward: string, arm: RegimeRow['arm'], cell: readonly RunRecord[]): RegimeRow[] => (cell.length === 0 ? [] : [{
      family, reward, arm, gain: cellChange(cell), code: cellChange(cell, 'code'),
      vsNull: arm === REGIME_NULL_ARM || nul.length === 0 ? null : armDifference(cell, nul),
      seeds: cell.map((r) => r.cfg.seed).sort((a, b) => a - b),
    }]);
    return [...PAPER_REWARD_LADDER.flatMap((reward) => row(reward, 'clip', ladderCell(runs, family, reward))), ...row('random', REGIME_NULL_ARM, nul)];
  });
}

export interface RegimeVerdict {
  id: string;
  rule: string;
  reading: string;
  /** 'untested': the positive control failed, so the regime is too short to show learning (pre-registered). */
  status: VerdictStatus | 'untested';
}

const pts = (p: PairedStat | null) => formatPaired(inPoints(p));
const judged = (p: PairedStat | null): VerdictStatus => (intervalSide(p) === 'above zero' ? 'supported' : 'not supported');

/** Per family: random + clip − the matched null, seed → difference (fractions), over the seeds both ran. */
function clipMinusNull(runs: readonly RunRecord[], family: string): Map<number, number> {
  const clip = seedChanges(ladderCell(runs, family, 'random'));
  const nul = seedChanges(nullRuns(runs, family));
  return new Map([...clip].filter(([s]) => nul.has(s)).map(([s, v]) => [s, v - nul.get(s)!]));
}

function positiveControl(runs: readonly RunRecord[], seeds: readonly number[]): RegimeVerdict {
  const rule = "ground truth's Δ greedy accuracy has a 95% interval above zero on good-code and on no-code (else R1–R3 are read as untested)";
  const cells = ['good-code', 'no-code'].map((family) => ({ family, m: seedChanges(ladderCell(runs, family, 'ground-truth')) }));
  const short = cells.filter((c) => !complete(c.m, seeds)).map((c) => c.family);
  if (short.length) return { id: 'positive control', rule, reading: `waiting for ground truth on ${short.join(' and ')}, seeds ${seedList(seeds)}`, status: 'waiting' };
  const stats = cells.map((c) => ({ family: c.family, s: pairedStat(seeds.map((s) => c.m.get(s)!)) }));
  const pass = stats.every((x) => intervalSide(x.s) === 'above zero');
  return { id: 'positive control', rule, reading: stats.map((x) => `${x.family} ${pts(x.s)}`).join('; '), status: pass ? 'supported' : 'not supported' };
}

function r1(runs: readonly RunRecord[], families: readonly string[], seeds: readonly number[]): RegimeVerdict {
  const rule = 'random + clip − the matched null, Δ greedy accuracy at the last step, paired by family × seed: supported when the 95% interval is above zero';
  const diffs = families.flatMap((f) => [...clipMinusNull(runs, f)].filter(([s]) => seeds.includes(s)).map(([, d]) => d));
  const want = families.length * seeds.length;
  if (diffs.length < want) {
    const sofar = diffs.length >= 2 ? `; so far ${pts(pairedStat(diffs))}` : '';
    return { id: 'R1', rule, reading: `waiting for ${want - diffs.length} of ${want} family × seed pairs${sofar}`, status: 'waiting' };
  }
  const d = pairedStat(diffs);
  return { id: 'R1', rule, reading: `${pts(d)}, interval ${intervalSide(d)}`, status: judged(d) };
}

function r2(runs: readonly RunRecord[], seeds: readonly number[]): RegimeVerdict {
  const rule = "good-code's (random + clip − null) minus no-code's, paired by seed: supported when the 95% interval is above zero";
  const [good, none] = ['good-code', 'no-code'].map((f) => clipMinusNull(runs, f));
  if (!complete(good, seeds) || !complete(none, seeds)) return { id: 'R2', rule, reading: `waiting for random + clip and the null of good-code and no-code on seeds ${seedList(seeds)}`, status: 'waiting' };
  const d = pairedDifference(good, none);
  return { id: 'R2', rule, reading: `good-code ${pts(pairedStat(seeds.map((s) => good.get(s)!)))}; no-code ${pts(pairedStat(seeds.map((s) => none.get(s)!)))}; difference ${pts(d)}, interval ${intervalSide(d)}`, status: judged(d) };
}

function r3(runs: readonly RunRecord[], families: readonly string[], seeds: readonly number[]): RegimeVerdict {
  const rule = "a spurious reward (format, incorrect, random) with the clip whose own Δ has a 95% interval above zero, in any family (all cells reported)";
  const cells = families.flatMap((family) => REGIME_SPURIOUS.map((reward) => ({ family, reward, m: seedChanges(ladderCell(runs, family, reward)) })));
  const done = cells.filter((c) => complete(c.m, seeds)).map((c) => ({ ...c, s: pairedStat(seeds.map((s) => c.m.get(s)!)) }));
  const up = done.filter((c) => intervalSide(c.s) === 'above zero');
  const listed = up.map((c) => `${c.family} ${c.reward} ${pts(c.s)}`).join('; ');
  if (up.length) return { id: 'R3', rule, reading: `${up.length} of ${done.length} finished cells above zero: ${listed}`, status: 'supported' };
  if (done.length < cells.length) return { id: 'R3', rule, reading: `none of ${done.length} finished cells above zero; waiting for ${cells.length - done.length} of ${cells.length}`, status: 'waiting' };
  return { id: 'R3', rule, reading: `0 of ${cells.length} cells above zero (largest mean ${formatMeanSd(inPoints(done.reduce((a, b) => (b.s!.mean > a.s!.mean ? b : a)).s))})`, status: 'not supported' };
}

/** The positive control, then R1–R3; a failed control turns every decided R into 'untested'. */
export function regimeVerdicts(runs: readonly RunRecord[], families: readonly string[] = FAMILY_NAMES, seeds: readonly number[] = REGIME_SEEDS): RegimeVerdict[] {
  const control = positiveControl(runs, seeds);
  const rs = [r1(runs, families, seeds), r2(runs, seeds), r3(runs, families, seeds)];
  if (control.status !== 'not supported') return [control, ...rs];
  return [control, ...rs.map((r) => (r.status === 'waiting' ? r : { ...r, status: 'untested' as const, reading: `${r.reading} (positive control failed)` }))];
}

/**
 * "GRPO step 5ab965288e08 (24 runs)": the step-code hashes the runs ran on, from their provenance
 * files, so a figure says when it pools code versions.
 */
export function regimeStepCodeNote(runs: readonly RunRecord[], root = RESULTS_DIR): string {
  const counts = new Map<string, number>();
  for (const r of runs) {
    const hashes = stepCodeHashes(path.join(root, REGIME_PRESET, runId(r.cfg)));
    const key = hashes.length ? hashes.map((h) => h ?? 'unrecorded').join('+') : 'no provenance file';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size === 0) return 'GRPO step: no runs';
  return `GRPO step ${[...counts].map(([k, n]) => `${k} (${n} run${n === 1 ? '' : 's'})`).join(', ')}`;
}

/** A regime figure's provenance line for one family: settings, seeds, the matched null's change and the step code. */
export function regimeFigureNote(runs: readonly RunRecord[], family: string, root = RESULTS_DIR): string {
  const mine = runs.filter((r) => r.cfg.family === family);
  const nul = nullRuns(mine, family);
  return [
    `regime ${regimeSettings(mine)}, seeds ${seedList(mine.map((r) => r.cfg.seed))}`,
    `matched null (random(0.5), ρ = 1, same updates and samples): ${nul.length ? `${formatPaired(inPoints(cellChange(nul)))} points` : 'not yet run'}`,
    regimeStepCodeNote(mine, root),
  ].join('; ');
}
