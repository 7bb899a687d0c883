/** Reading the ladder: paired contrasts, the decisive-cell rule and the size comparison, on hand-built rows. */
import { LADDER_CELLS, LadderArm, LadderRow } from '../src/rl/ladder';
import { cellReadings, decisiveCell, intervalSide, ladderContrasts, sizeContrasts } from '../src/rl/ladderTable';

/** A finished run whose greedy accuracy goes from 0.30 to 0.30 + delta at step `at` (clip steps). */
function row(cell: string, arm: LadderArm, seed: number, delta: number, at: number): LadderRow {
  const factor = arm === 'matched-null' ? 8 : 1;
  return {
    id: `${cell}-${arm}-${seed}`, cell, arm, seed, lr: 1e-4, epsilon: 0.2, updates: 384, samples: 3072, clip_high: null, clip_low: null, kl_ref_end: null, step_code: ['h'],
    points: [
      { step: 0, clip_steps: 0, acc: 0.3, code: 0, sampled_acc: null, sampled_code: null, majority_code: null, update_rel_cum: 0 },
      { step: at * factor, clip_steps: at, acc: 0.3 + delta, code: 0, sampled_acc: null, sampled_code: null, majority_code: null, update_rel_cum: 0.1 },
    ],
  };
}

const candidates = LADDER_CELLS.filter((c) => !c.arms);

/** Every candidate cell on seeds 101–103 with clip − null = `endpoint(cell)` points in every seed (+ a seed offset). */
function screen(endpoint: (cell: string) => number): LadderRow[] {
  return candidates.flatMap((c) => [101, 102, 103].flatMap((s, i) => [
    row(c.id, 'random-clip', s, (endpoint(c.id) + i - 10) / 100, c.budget),
    row(c.id, 'matched-null', s, (i - 10) / 100, c.budget),
  ]));
}

test('the primary endpoint is clip − null paired by seed', () => {
  const rows = screen(() => 4);
  const c = ladderContrasts(rows).find((x) => x.cell === 'lr1e-4' && x.at === 48)!;
  expect(c.clip_minus_null!.mean).toBeCloseTo(4, 9);
  expect(c.clip_minus_null!.sd).toBeCloseTo(0, 9); // the seed offsets cancel in the pairing
  expect(c.clip_minus_null!.n).toBe(3);
  expect(c.clip_minus_noclip).toBeNull();
});

test('decisive cell: the largest mean endpoint; a tie within 1 point goes to the lower lr', () => {
  expect(decisiveCell(screen((c) => (c === 'lr5e-5' ? 6 : 0))).cell).toBe('lr5e-5');
  // lr2.5e-5 at 6.0 and lr1.25e-5 at 5.5: within 1 point, so the lower lr wins.
  expect(decisiveCell(screen((c) => (c === 'lr2.5e-5' ? 6 : c === 'lr1.25e-5' ? 5.5 : 0))).cell).toBe('lr1.25e-5');
  // The paper rung has the lowest lr of all: a tie with it goes to it.
  expect(decisiveCell(screen((c) => (c === 'lr1e-4' || c === 'paper-rung' ? 3 : 0))).cell).toBe('paper-rung');
});

test('decisive cell: not picked while a candidate lacks a seed, and says which', () => {
  const rows = screen(() => 1).filter((r) => !(r.cell === 'paper-rung' && r.seed === 103));
  const d = decisiveCell(rows);
  expect(d.cell).toBeNull();
  expect(d.missing).toEqual(['paper-rung']);
});

test('size contrast: the sized cell minus its 1x twin, paired by seed', () => {
  const rows = [101, 102].flatMap((s) => [row('lr1e-4', 'matched-null', s, -0.2, 48), row('x4-lr1e-4', 'matched-null', s, s === 101 ? -0.1 : -0.05, 48)]);
  const [c] = sizeContrasts(rows);
  expect(c).toMatchObject({ cell: 'x4-lr1e-4', twin: 'lr1e-4', at: 48, arm: 'matched-null' });
  expect(c.larger_minus_1x!.mean).toBeCloseTo(12.5, 9);
  expect(c.larger_minus_1x!.n).toBe(2);
});

test('cell readings: only cells whose every arm has every screen seed, with the side of each interval', () => {
  const arms: LadderArm[] = ['random-clip', 'random-noclip', 'matched-null', 'ground-truth'];
  const deltas: Record<LadderArm, number> = { 'random-clip': -0.1, 'random-noclip': -0.2, 'matched-null': -0.2, 'ground-truth': 0.3 };
  const rows = [101, 102, 103].flatMap((s, i) => arms.map((a) => row('lr1e-4', a, s, deltas[a] + i / 100, 48)));
  const [r, ...rest] = cellReadings(rows);
  expect(rest).toEqual([]);
  expect(r).toMatchObject({ cell: 'lr1e-4', at: 48, seeds: [101, 102, 103] });
  expect(r.lines.find((l) => l.startsWith('clip − matched null'))).toMatch(/^clip − matched null \(primary endpoint\): \+10\.0 ± 0\.0 \(n 3; .*interval above zero$/);
  expect(r.lines.find((l) => l.startsWith('random + clip:'))).toMatch(/interval below zero$/);
  // One arm short of seed 103: the cell is not read.
  expect(cellReadings(rows.filter((x) => !(x.arm === 'ground-truth' && x.seed === 103)))).toEqual([]);
});

test('interval side: a resolved sign needs the whole interval on one side', () => {
  expect(intervalSide({ mean: 1, sd: 1, n: 3, lo: 0.5, hi: 2 })).toBe('above zero');
  expect(intervalSide({ mean: -1, sd: 1, n: 3, lo: -2, hi: -0.1 })).toBe('below zero');
  expect(intervalSide({ mean: 1, sd: 1, n: 3, lo: -0.5, hi: 2 })).toBe('covers zero');
  expect(intervalSide({ mean: 1, sd: 0, n: 1, lo: null, hi: null })).toBe('no interval');
});
