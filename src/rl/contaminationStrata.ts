/**
 * Comparisons of the contamination runs within a difficulty (notebook 07). The fresh problems are
 * not drawn like the test set: fresh problems avoid every shipped key, and the shipped test and
 * training splits together already use every one-operation problem the generator can make (204), so
 * fresh has no one-operation problems and almost only three-operation ones, while the test set is
 * about a quarter one-operation. Fresh
 * accuracy (≈ 7%) against test accuracy (≈ 30%) therefore mixes difficulty with leakage. Here a
 * split's accuracy change is compared with fresh's only on the difficulties both have (difficulty =
 * number of operations, src/rl/contaminationTable.ts `opsOf`), each split's per-difficulty changes
 * weighted by fresh's problem counts (direct standardisation to fresh's mix), seed by seed.
 */
import { ContaminationRun, ContaminationSplit, SplitProblems, splitChange } from './contaminationTable';
import { MeanSd, PairedStat, meanSd, pairedDifference, pairedStat } from './stats';

/** Problems per difficulty (number of operations), ascending. */
export function strataCounts(p: SplitProblems): Map<number, number> {
  const m = new Map<number, number>();
  for (const k of p.ops) m.set(k, (m.get(k) ?? 0) + 1);
  return new Map([...m.entries()].sort((x, y) => x[0] - y[0]));
}

/** Greedy accuracy (%) of a split's problems of one difficulty at the first or last evaluation; null when the split has none. */
export function stratumAccuracy(p: SplitProblems, ops: number, when: 'start' | 'end'): number | null {
  const bits = when === 'start' ? p.start : p.end;
  if (bits.length !== p.ops.length) throw new Error(`stratumAccuracy: ${bits.length} correctness bits for ${p.ops.length} problems`);
  let n = 0;
  let hit = 0;
  p.ops.forEach((k, i) => {
    if (k !== ops) return;
    n++;
    if (bits[i] === '1') hit++;
  });
  return n ? (100 * hit) / n : null;
}

export interface StratumCount {
  ops: number;
  /** Problems of this difficulty in the compared split and in the reference split. */
  split: number;
  reference: number;
}

/** Which difficulties a comparison can use (both splits have problems there) and which one split lacks, with counts. */
export interface StrataCoverage {
  shared: StratumCount[];
  excluded: StratumCount[];
}

export function strataCoverage(split: SplitProblems, reference: SplitProblems): StrataCoverage {
  const a = strataCounts(split);
  const b = strataCounts(reference);
  const all = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y).map((ops) => ({ ops, split: a.get(ops) ?? 0, reference: b.get(ops) ?? 0 }));
  return { shared: all.filter((c) => c.split > 0 && c.reference > 0), excluded: all.filter((c) => c.split === 0 || c.reference === 0) };
}

/**
 * Accuracy (%) of a split at one evaluation, standardised to a difficulty mix: the mean of its
 * per-difficulty accuracies weighted by `weights` (problem counts per difficulty), over the
 * difficulties both have. Null when they share none.
 */
export function standardisedAccuracy(p: SplitProblems, weights: ReadonlyMap<number, number>, when: 'start' | 'end'): number | null {
  let w = 0;
  let sum = 0;
  for (const [ops, n] of weights) {
    const acc = stratumAccuracy(p, ops, when);
    if (acc === null || n <= 0) continue;
    w += n;
    sum += n * acc;
  }
  return w ? sum / w : null;
}

/** One run's split and reference (fresh) accuracies at fresh's difficulty mix, over their shared difficulties. */
export interface WithinDifficulty {
  coverage: StrataCoverage;
  start: { split: number; reference: number };
  change: { split: number; reference: number };
  /** Per shared difficulty: each split's change (points). */
  by_stratum: { ops: number; split: number; reference: number }[];
}

/** A split's change against a reference split's (fresh by default) at the reference's difficulty mix. */
export function withinDifficulty(r: ContaminationRun, split: ContaminationSplit, reference: ContaminationSplit = 'fresh'): WithinDifficulty | null {
  const a = r.problems[split];
  const b = r.problems[reference];
  const coverage = strataCoverage(a, b);
  if (!coverage.shared.length) return null;
  const weights = new Map(coverage.shared.map((c) => [c.ops, c.reference]));
  const acc = (p: SplitProblems, when: 'start' | 'end') => standardisedAccuracy(p, weights, when)!;
  const change = (p: SplitProblems, ops: number) => stratumAccuracy(p, ops, 'end')! - stratumAccuracy(p, ops, 'start')!;
  return {
    coverage,
    start: { split: acc(a, 'start'), reference: acc(b, 'start') },
    change: { split: acc(a, 'end') - acc(a, 'start'), reference: acc(b, 'end') - acc(b, 'start') },
    by_stratum: coverage.shared.map((c) => ({ ops: c.ops, split: change(a, c.ops), reference: change(b, c.ops) })),
  };
}

export interface FreshComparisonRow {
  family: string;
  reward: string;
  clip_mode: string;
  split: ContaminationSplit;
  seeds: number;
  /** The difficulties compared and those left out, with problem counts (the same evaluation set for every seed). */
  coverage: StrataCoverage;
  /** Accuracy at step 0 (%), both at fresh's difficulty mix. */
  start_split: MeanSd;
  start_fresh: MeanSd;
  /** Change (points), both at fresh's difficulty mix, with the 95% interval of the per-seed change. */
  change_split: PairedStat | null;
  change_fresh: PairedStat | null;
  /** Split change − fresh change within difficulty, per seed (each seed's run gives both). */
  split_minus_fresh: PairedStat | null;
  /** The same per shared difficulty. */
  by_stratum: { ops: number; split: number; fresh: number; split_minus_fresh: PairedStat | null }[];
  /** The unstratified difference (all of the split vs all of fresh), for what stratifying changes. */
  raw_split_minus_fresh: PairedStat | null;
}

const armKey = (r: Pick<ContaminationRun, 'family' | 'reward' | 'clip_mode'>) => `${r.family}|${r.reward}|${r.clip_mode}`;

/** Per family × reward × clip: a split's change against fresh's within difficulty, seed by seed. */
export function freshComparisonRows(runs: readonly ContaminationRun[], split: ContaminationSplit): FreshComparisonRow[] {
  const keys = [...new Set(runs.map(armKey))];
  return keys.flatMap((k) => {
    const mine = runs.filter((r) => armKey(r) === k).sort((a, b) => a.seed - b.seed);
    const within = mine.map((r) => withinDifficulty(r, split));
    if (within.some((w) => w === null)) return [];
    const w = within as WithinDifficulty[];
    const coverage = w[0].coverage;
    if (w.some((x) => JSON.stringify(x.coverage) !== JSON.stringify(coverage))) throw new Error(`${k}: seeds were evaluated on different problems`);
    return [{
      family: mine[0].family,
      reward: mine[0].reward,
      clip_mode: mine[0].clip_mode,
      split,
      seeds: mine.length,
      coverage,
      start_split: meanSd(w.map((x) => x.start.split)),
      start_fresh: meanSd(w.map((x) => x.start.reference)),
      change_split: pairedStat(w.map((x) => x.change.split)),
      change_fresh: pairedStat(w.map((x) => x.change.reference)),
      split_minus_fresh: pairedStat(w.map((x) => x.change.split - x.change.reference)),
      by_stratum: coverage.shared.map((c, i) => ({
        ops: c.ops,
        split: c.split,
        fresh: c.reference,
        split_minus_fresh: pairedStat(w.map((x) => x.by_stratum[i].split - x.by_stratum[i].reference)),
      })),
      raw_split_minus_fresh: pairedStat(mine.map((r) => splitChange(r, split) - splitChange(r, 'fresh'))),
    }];
  });
}

/** "1 op: test 64, fresh 0": the difficulties a comparison leaves out and why. */
export function formatExcluded(c: StrataCoverage, split: string, reference = 'fresh'): string {
  return c.excluded.length ? c.excluded.map((x) => `${x.ops} op${x.ops === 1 ? '' : 's'}: ${split} ${x.split}, ${reference} ${x.reference}`).join('; ') : 'none';
}

/** "2 ops: 37 vs 14; 3 ops: 35 vs 186": problems per compared difficulty. */
export function formatShared(c: StrataCoverage): string {
  return c.shared.map((x) => `${x.ops} op${x.ops === 1 ? '' : 's'}: ${x.split} vs ${x.reference}`).join('; ');
}

/** Per-seed values of a statistic for one family × reward × clip (seed → value). */
export function bySeed(runs: readonly ContaminationRun[], family: string, reward: string, clipMode: string, stat: (r: ContaminationRun) => number | null): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of runs) {
    if (r.family !== family || r.reward !== reward || r.clip_mode !== clipMode) continue;
    const v = stat(r);
    if (v !== null && Number.isFinite(v)) m.set(r.seed, v);
  }
  return m;
}

const withinDiff = (r: ContaminationRun, split: ContaminationSplit, reference: ContaminationSplit) => {
  const w = withinDifficulty(r, split, reference);
  return w ? w.change.split - w.change.reference : null;
};

/** The statistics the verdicts compare, per run (points). */
export const CONTAMINATION_STATS = {
  /** R1: leaked change − unleaked change. */
  leaked_minus_unleaked: (r: ContaminationRun) => splitChange(r, 'leaked') - splitChange(r, 'unleaked'),
  /** R1 within difficulty: the leaked half's change at the unleaked half's difficulty mix − the unleaked half's. */
  leaked_minus_unleaked_within: (r: ContaminationRun) => withinDiff(r, 'leaked', 'unleaked'),
  /** Paper B's memorisation reading: leaked change − fresh change, within difficulty. */
  leaked_minus_fresh: (r: ContaminationRun) => withinDiff(r, 'leaked', 'fresh'),
  /** The same for the unleaked test problems (no leak: test vs fresh only). */
  unleaked_minus_fresh: (r: ContaminationRun) => withinDiff(r, 'unleaked', 'fresh'),
  leaked_change: (r: ContaminationRun) => splitChange(r, 'leaked'),
  unleaked_change: (r: ContaminationRun) => splitChange(r, 'unleaked'),
  fresh_change: (r: ContaminationRun) => splitChange(r, 'fresh'),
} as const;
export type ContaminationStat = keyof typeof CONTAMINATION_STATS;

/** The clean control read on a contaminated family's leak cut: the clean family's runs labelled with that cut. */
export function twinOf(runs: readonly ContaminationRun[], family: string): string | null {
  const own = runs.find((r) => r.family === family);
  if (!own || !own.contaminated) return null;
  return runs.find((r) => !r.contaminated && r.leak_fraction === own.leak_fraction)?.family ?? null;
}

export interface TwinContrast {
  family: string;
  twin: string;
  reward: string;
  clip_mode: string;
  stat: ContaminationStat;
  family_stat: PairedStat | null;
  twin_stat: PairedStat | null;
  /** Family − twin, paired by seed (the preset's seeds are paired across families). */
  difference: PairedStat | null;
}

/** A statistic on a contaminated family against its clean twin on the same leak cut, per reward × clip. */
export function twinContrasts(runs: readonly ContaminationRun[], family: string, stat: ContaminationStat): TwinContrast[] {
  const twin = twinOf(runs, family);
  if (!twin) throw new Error(`twinContrasts: '${family}' is not a contaminated family with a clean twin in these runs`);
  const arms = [...new Set(runs.filter((r) => r.family === family).map((r) => `${r.reward}|${r.clip_mode}`))];
  return arms.map((a) => {
    const [reward, clip_mode] = a.split('|');
    const f = bySeed(runs, family, reward, clip_mode, CONTAMINATION_STATS[stat]);
    const t = bySeed(runs, twin, reward, clip_mode, CONTAMINATION_STATS[stat]);
    return { family, twin, reward, clip_mode, stat, family_stat: pairedStat([...f.values()]), twin_stat: pairedStat([...t.values()]), difference: pairedDifference(f, t) };
  });
}

/** One arm minus another on the same family, paired by seed (e.g. random with the clip minus without). */
export function armContrast(runs: readonly ContaminationRun[], family: string, a: { reward: string; clip_mode: string }, b: { reward: string; clip_mode: string }, stat: ContaminationStat): PairedStat | null {
  return pairedDifference(bySeed(runs, family, a.reward, a.clip_mode, CONTAMINATION_STATS[stat]), bySeed(runs, family, b.reward, b.clip_mode, CONTAMINATION_STATS[stat]));
}

/** A statistic over one arm's seeds with its 95% interval (a change is paired within each run: end − start). */
export function armStat(runs: readonly ContaminationRun[], family: string, reward: string, clipMode: string, stat: ContaminationStat): PairedStat | null {
  return pairedStat([...bySeed(runs, family, reward, clipMode, CONTAMINATION_STATS[stat]).values()]);
}
