/**
 * Fresh vs test within difficulty (notebook 07): hand-built runs whose per-problem bits give known
 * per-difficulty changes, so every expected value below is worked out by hand, not by the code.
 */
import { contaminationRun } from '../src/rl/contaminationTable';
import { CONTAMINATION_STATS, formatExcluded, freshComparisonRows, strataCoverage, stratumAccuracy, twinContrasts, twinOf, withinDifficulty } from '../src/rl/contaminationStrata';
import { contaminationKeyLines, difficultyTable, freshComparisonTable, intervalTally } from '../src/rl/contaminationReport';
import { freshWithinDifficultySpec, seedsPerArm } from '../src/plot/contamination';

// Six evaluated test problems: difficulties 1,1,2,3,2,3; problems 0, 2, 3 leaked → leaked ops [1,2,3], unleaked [1,2,3].
const mask = [true, false, true, true, false, false];
// Fresh problems: no one-operation problem (as in the stand-in world), one with two, three with three.
const ops = { test: [1, 1, 2, 3, 2, 3], fresh: [2, 3, 3, 3] };
const evalAt = (step: number, bits: string, fresh: string) => ({
  step,
  eval: { acc: 0, n: 6, correct_bits: bits, answer_probs: [], fresh: { acc: [...fresh].filter((b) => b === '1').length / fresh.length, n: fresh.length, correct_bits: fresh, answer_probs: [] } },
});
const cfg = (family: string, seed: number) => ({ family, reward: 'random' as const, gamma: 0.5, surrogate: 'clip' as const, estimator: 'group-normalised' as const, batching: 'minibatches' as const, seed, evalProblems: 6 });
const run = (family: string, seed: number, test: [string, string], fresh: [string, string], leak = { fraction: 0.5, contaminated: true }) =>
  contaminationRun(`${family}-${seed}`, cfg(family, seed), [evalAt(0, test[0], fresh[0]), evalAt(48, test[1], fresh[1])] as never, mask, ops, leak);

// Seed 1: leaked start '100' (the 1-op right) → end '011' (2- and 3-op right); unleaked '100' → '000';
// fresh '0000' → '0100' (one 3-op gained). Seed 2: nothing changes.
const fam1 = run('fam', 1, ['110000', '001100'], ['0000', '0100']);
const fam2 = run('fam', 2, ['000000', '000000'], ['0000', '0000']);
const clean = { fraction: 0.5, contaminated: false };
const twin1 = run('twin', 1, ['000000', '000000'], ['0000', '0000'], clean);
const twin2 = run('twin', 2, ['000000', '000000'], ['0000', '0000'], clean);
const other = run('twin@0.2', 1, ['000000', '000000'], ['0000', '0000'], { fraction: 0.2, contaminated: false });
const runs = [fam1, fam2, twin1, twin2, other];

describe('fresh vs test within difficulty', () => {
  test('strata: shared difficulties, the one fresh lacks, and per-difficulty accuracy', () => {
    const c = strataCoverage(fam1.problems.leaked, fam1.problems.fresh);
    expect(c.shared).toEqual([{ ops: 2, split: 1, reference: 1 }, { ops: 3, split: 1, reference: 3 }]);
    expect(c.excluded).toEqual([{ ops: 1, split: 1, reference: 0 }]);
    expect(formatExcluded(c, 'leaked')).toBe('1 op: leaked 1, fresh 0');
    expect(stratumAccuracy(fam1.problems.leaked, 1, 'start')).toBe(100);
    expect(stratumAccuracy(fam1.problems.fresh, 3, 'end')).toBeCloseTo(100 / 3);
    expect(stratumAccuracy(fam1.problems.fresh, 1, 'end')).toBeNull();
  });

  test('a split change at fresh’s mix vs fresh’s, seed by seed, and what the unstratified difference says instead', () => {
    const w = withinDifficulty(fam1, 'leaked')!;
    // Leaked: 2-op 0 → 100, 3-op 0 → 100, so +100 at any mix. Fresh: 2-op 0, 3-op +33.3; weights 1 and 3 → +25.
    expect(w.change.split).toBeCloseTo(100);
    expect(w.change.reference).toBeCloseTo(25);
    expect(w.by_stratum).toEqual([{ ops: 2, split: 100, reference: 0 }, expect.objectContaining({ ops: 3, split: 100 })]);
    expect(CONTAMINATION_STATS.leaked_minus_fresh(fam1)).toBeCloseTo(75);
    const [row] = freshComparisonRows(runs, 'leaked').filter((r) => r.family === 'fam');
    expect(row.seeds).toBe(2);
    // Per seed: 75 and 0 → mean 37.5, sd 75/√2; 95% half-width t(0.975, 1) · sd / √2 = 12.706 · 37.5.
    expect(row.split_minus_fresh!.mean).toBeCloseTo(37.5);
    expect(row.split_minus_fresh!.sd).toBeCloseTo(75 / Math.SQRT2);
    expect(row.split_minus_fresh!.hi).toBeCloseTo(37.5 + 12.706 * 37.5, 1);
    // Unstratified: leaked 1/3 → 2/3 (+33.3) against fresh +25 → +8.3 on seed 1, 0 on seed 2.
    expect(row.raw_split_minus_fresh!.mean).toBeCloseTo(25 / 6);
    expect(row.by_stratum.map((b) => [b.ops, b.split, b.fresh])).toEqual([[2, 1, 1], [3, 1, 3]]);
    // R1 within difficulty: leaked (−100, +100, +100) vs unleaked (−100, 0, 0) at equal weights → 33.3 − (−33.3).
    expect(CONTAMINATION_STATS.leaked_minus_unleaked_within(fam1)).toBeCloseTo(200 / 3);
  });

  test('the contaminated family against the clean run on its own leak cut, paired by seed', () => {
    expect(twinOf(runs, 'fam')).toBe('twin');
    expect(twinOf(runs, 'twin')).toBeNull();
    const [c] = twinContrasts(runs, 'fam', 'leaked_minus_fresh');
    expect(c.twin_stat!.mean).toBe(0);
    expect(c.difference!.mean).toBeCloseTo(37.5);
    expect(c.difference!.n).toBe(2);
    expect(() => twinContrasts(runs, 'twin', 'leaked_minus_fresh')).toThrow(/not a contaminated family/);
  });

  test('tables, key lines and the figure say n, the difficulties compared and those left out', () => {
    const diff = difficultyTable(runs).find((r) => r.family === 'fam' && r.split === 'fresh')!;
    expect(diff).toMatchObject({ problems: 4, '1 op: n · acc %': '0 · —', '2 ops: n · acc %': '1 · 0.0', '3 ops: n · acc %': '3 · 0.0' });
    const t = freshComparisonTable(runs, 'leaked').find((r) => r.family === 'fam')!;
    expect(t['leaked − fresh']).toMatch(/^\+37\.5 ± 53\.0 \(n 2; 95% /);
    expect(t['unstratified leaked − fresh']).toMatch(/^\+4\.2 ± 5\.9 \(n 2; 95% /);
    const lines = contaminationKeyLines(runs);
    expect(lines.find((l) => l.startsWith('fam, random-0.5/clip, leaked − fresh within difficulty'))).toMatch(/family − twin \+37\.5 ± 53\.0 \(n 2; 95% /);
    const spec = freshWithinDifficultySpec(freshComparisonRows(runs, 'leaked'), freshComparisonRows(runs, 'unleaked'), ['fam']);
    expect(spec.data[0].y).toEqual([50]);
    expect(spec.provenance).toMatch(/^ours — stand-in/);
    expect(spec.provenance).toContain('n = 2 seeds per arm (1 arm)');
    expect(spec.provenance).toContain('fam (leaked/unleaked/fresh): 2 ops 1/1/1, 3 ops 1/1/3, left out 1 op 1/1/0');
  });

  test('interval tallies and seed counts per arm', () => {
    const s = (mean: number, lo: number, hi: number) => ({ mean, sd: 1, n: 3, lo, hi });
    expect(intervalTally([s(2, 1, 3), s(-2, -3, -1), s(0.5, -1, 2), null])).toBe('3 intervals: 1 above 0, 1 below 0, 1 cover 0; means −2.0 to +2.0');
    expect(seedsPerArm([{ label: 'a', seeds: 3 }, { label: 'b', seeds: 3 }])).toBe('n = 3 seeds per arm (2 arms)');
    expect(seedsPerArm([{ label: 'a', seeds: 3 }, { label: 'b', seeds: 2 }])).toBe('n seeds per arm: a 3, b 2');
  });
});
