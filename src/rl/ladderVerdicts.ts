/**
 * Notebook 08's pre-registered hypotheses applied to the finished ladder runs, one rule each, so the
 * verdicts are computed rather than written by hand: each says what it reads, on which seeds, and
 * waits (naming what is missing) until the runs it needs have landed.
 */
import { DECISIVE_EXTRA_SEEDS, DECISIVE_SEEDS, LADDER_CELLS, LADDER_SEEDS, LadderArm, LadderCell, LadderRow, decisiveCandidates, possibleSizeCells, twinCell } from './ladder';
import { budgetPoints, changeBySeed, decisiveCell, intervalSide, ladderSizeCells } from './ladderTable';
import { PairedStat, formatPaired, pairedDifference, pairedStat } from './stats';

export type VerdictStatus = 'supported' | 'not supported' | 'waiting';

export interface HypothesisVerdict {
  id: string;
  /** The rule as pre-registered (criteria made explicit in notebook 08's last addendum). */
  rule: string;
  /** The numbers the rule reads, in points unless stated. */
  reading: string;
  status: VerdictStatus;
}

const DECISIVE_SD_LIMIT = 5;

const cellById = (id: string): LadderCell => [...LADDER_CELLS, ...possibleSizeCells()].find((c) => c.id === id)!;

/** Δ greedy accuracy (points) of `arm` in `cell` at `at`, restricted to `seeds`. */
function change(rows: readonly LadderRow[], cell: string, arm: LadderArm, at: number, seeds: readonly number[], metric: 'acc' | 'code' = 'acc'): Map<number, number> {
  const m = changeBySeed(rows, cell, arm, at, metric);
  return new Map([...m].filter(([s]) => seeds.includes(s)));
}

/** Whether a seed → value map holds every one of `seeds`. */
export const complete = (m: ReadonlyMap<number, number>, seeds: readonly number[]) => seeds.every((s) => m.has(s));

function waiting(id: string, rule: string, missing: string): HypothesisVerdict {
  return { id, rule, reading: `waiting for ${missing}`, status: 'waiting' };
}

/** Paired difference a − b, or null unless both have every seed. */
function pairedOnAll(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>, seeds: readonly number[]): PairedStat | null {
  return complete(a, seeds) && complete(b, seeds) ? pairedDifference(a, b) : null;
}

function h1(rows: readonly LadderRow[]): HypothesisVerdict {
  const rule = 'random + clip Δ at N, lr 1.25e-5 minus lr 1e-4, paired by seed (101–103): supported when the 95% interval is above zero';
  const low = change(rows, 'lr1.25e-5', 'random-clip', 384, LADDER_SEEDS);
  const high = change(rows, 'lr1e-4', 'random-clip', 48, LADDER_SEEDS);
  const d = pairedOnAll(low, high, LADDER_SEEDS);
  if (!d) return waiting('H1', rule, `random + clip on seeds 101–103 in ${[complete(low, LADDER_SEEDS) ? '' : 'lr1.25e-5', complete(high, LADDER_SEEDS) ? '' : 'lr1e-4'].filter(Boolean).join(' and ')}`);
  return { id: 'H1', rule, reading: `${formatPaired(d)}, interval ${intervalSide(d)}`, status: intervalSide(d) === 'above zero' ? 'supported' : 'not supported' };
}

/** The decisive cell's confirmation seeds: 104–108, and 109–111 where the rule added them. */
export function decisiveSeeds(rows: readonly LadderRow[], cell: string): number[] {
  const c = cellById(cell);
  const d = pairedDifference(change(rows, cell, 'random-clip', c.budget, DECISIVE_SEEDS), change(rows, cell, 'matched-null', c.budget, DECISIVE_SEEDS));
  return d && d.n === DECISIVE_SEEDS.length && d.sd > DECISIVE_SD_LIMIT ? [...DECISIVE_SEEDS, ...DECISIVE_EXTRA_SEEDS] : [...DECISIVE_SEEDS];
}

function h2h3(rows: readonly LadderRow[]): HypothesisVerdict[] {
  const rule2 = 'clip − matched null at N in the decisive cell, on its new seeds alone (104–108; 109–111 added if the sd exceeds 5): supported when the 95% interval is above zero';
  const rule3 = "random + clip's own Δ at N or 2N in the decisive cell, on its new seeds alone: supported when either 95% interval is above zero";
  const pick = decisiveCell(rows);
  if (!pick.cell) {
    const why = `the decisive cell (candidates short of seeds 101–103: ${pick.missing.join(', ')})`;
    return [waiting('H2', rule2, why), waiting('H3', rule3, why)];
  }
  const cell = cellById(pick.cell);
  const seeds = decisiveSeeds(rows, cell.id);
  const clip = change(rows, cell.id, 'random-clip', cell.budget, seeds);
  const d = pairedOnAll(clip, change(rows, cell.id, 'matched-null', cell.budget, seeds), seeds);
  const on = `${cell.id}, seeds ${seeds[0]}–${seeds[seeds.length - 1]}`;
  const v2 = d
    ? { id: 'H2', rule: rule2, reading: `${on}: ${formatPaired(d)}, interval ${intervalSide(d)}`, status: (intervalSide(d) === 'above zero' ? 'supported' : 'not supported') as VerdictStatus }
    : waiting('H2', rule2, `random + clip and the matched null of ${on}`);
  const own = budgetPoints(cell).map((at) => ({ at, m: change(rows, cell.id, 'random-clip', at, seeds) }));
  if (!own.every((o) => complete(o.m, seeds))) return [v2, waiting('H3', rule3, `random + clip of ${on} at ${own.map((o) => o.at).join(' and ')}`)];
  const stats = own.map((o) => ({ at: o.at, s: pairedStat([...o.m.values()]) }));
  const up = stats.some((x) => intervalSide(x.s) === 'above zero');
  return [v2, { id: 'H3', rule: rule3, reading: `${on}: ${stats.map((x) => `at ${x.at} ${formatPaired(x.s)}`).join('; ')}`, status: up ? 'supported' : 'not supported' }];
}

function h4(rows: readonly LadderRow[]): HypothesisVerdict[] {
  const rule = 'greedy code-share change at N (not 2N), random + clip minus the matched null, paired by seed (101–103): supported in a cell when the 95% interval is above zero';
  return decisiveCandidates().map((c) => {
    const id = `H4 (${c.id})`;
    const d = pairedOnAll(change(rows, c.id, 'random-clip', c.budget, LADDER_SEEDS, 'code'), change(rows, c.id, 'matched-null', c.budget, LADDER_SEEDS, 'code'), LADDER_SEEDS);
    if (!d) return waiting(id, rule, `random + clip and the matched null of ${c.id} on seeds 101–103`);
    return { id, rule, reading: `${formatPaired(d)}, interval ${intervalSide(d)}`, status: intervalSide(d) === 'above zero' ? 'supported' : 'not supported' };
  });
}

function h5(rows: readonly LadderRow[]): HypothesisVerdict {
  const rule = 'lr 1.25e-5 with ε 0.2: the clip binds on < 0.01% of computed tokens (mean over the run\'s steps, every seed 101–103), and its Δ at the end of the run (768 steps) minus lr 1.25e-5 noclip\'s, paired by seed, has a 95% interval covering zero';
  const end = cellById('lr1.25e-5-eps0.2').steps;
  const control = rows.filter((r) => r.cell === 'lr1.25e-5-eps0.2' && r.arm === 'random-clip' && LADDER_SEEDS.includes(r.seed));
  const d = pairedOnAll(change(rows, 'lr1.25e-5-eps0.2', 'random-clip', end, LADDER_SEEDS), change(rows, 'lr1.25e-5', 'random-noclip', end, LADDER_SEEDS), LADDER_SEEDS);
  if (!d || control.length < LADDER_SEEDS.length) return waiting('H5', rule, 'the control and lr1.25e-5 noclip on seeds 101–103');
  // A run without clip fractions cannot be judged on them (never read as "clips often").
  if (control.some((r) => r.clip_high === null || r.clip_low === null)) return waiting('H5', rule, 'clip fractions in every control run');
  const fractions = control.map((r) => r.clip_high! + r.clip_low!);
  const binds = Math.max(...fractions);
  const rare = fractions.every((f) => f < 1e-4);
  return {
    id: 'H5', rule,
    reading: `clipped tokens at most ${(100 * binds).toFixed(4)}% per seed; control − noclip ${formatPaired(d)}, interval ${intervalSide(d)}`,
    status: rare && intervalSide(d) === 'covers zero' ? 'supported' : 'not supported',
  };
}

function h6(rows: readonly LadderRow[]): HypothesisVerdict {
  const rule = 'paper rung, N 512: no random arm moves greedy accuracy by more than 2 points (|mean Δ| over seeds 101–103 ≤ 2 for clip, noclip and the matched null)';
  const arms: LadderArm[] = ['random-clip', 'random-noclip', 'matched-null'];
  const ms = arms.map((arm) => ({ arm, m: change(rows, 'paper-rung', arm, 512, LADDER_SEEDS) }));
  if (!ms.every((x) => complete(x.m, LADDER_SEEDS))) return waiting('H6', rule, 'the paper rung\'s random arms on seeds 101–103');
  const stats = ms.map((x) => ({ arm: x.arm, s: pairedStat([...x.m.values()])! }));
  return { id: 'H6', rule, reading: stats.map((x) => `${x.arm} ${formatPaired(x.s)}`).join('; '), status: stats.every((x) => Math.abs(x.s.mean) <= 2) ? 'supported' : 'not supported' };
}

function h7(rows: readonly LadderRow[]): HypothesisVerdict[] {
  const rule = 'x4 − 1× Δ greedy accuracy at N, paired by seed (101–103), for the matched null and for random + noclip: supported in a size cell when both 95% intervals are above zero';
  // The decisive cell's x4 twin is pre-registered too; ladderSizeCells adds it once the 1x rule has picked the cell.
  const pending = decisiveCell(rows).cell ? [] : [waiting('H7 (x4 at the decisive cell)', rule, 'the decisive cell to be picked')];
  return [...ladderSizeCells(rows).map((cell) => {
    const twin = twinCell(cell)!;
    const ds = (['matched-null', 'random-noclip'] as const).map((arm) => ({ arm, d: pairedOnAll(change(rows, cell.id, arm, cell.budget, LADDER_SEEDS), change(rows, twin.id, arm, cell.budget, LADDER_SEEDS), LADDER_SEEDS) }));
    const id = `H7 (${cell.id})`;
    if (ds.some((x) => !x.d)) return waiting(id, rule, `the null and noclip of ${cell.id} and ${twin.id} on seeds 101–103`);
    return { id, rule, reading: ds.map((x) => `${x.arm} ${formatPaired(x.d)}, interval ${intervalSide(x.d)}`).join('; '), status: (ds.every((x) => intervalSide(x.d) === 'above zero') ? 'supported' : 'not supported') as VerdictStatus };
  }), ...pending];
}

/** H1–H7, each applied to the runs that have landed. */
export function ladderVerdicts(rows: readonly LadderRow[]): HypothesisVerdict[] {
  return [h1(rows), ...h2h3(rows), ...h4(rows), h5(rows), h6(rows), ...h7(rows)];
}
