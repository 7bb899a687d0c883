/** Notebook 08's hypotheses applied by rule, on hand-built rows: each can come out either way, or wait. */
import { LadderArm, LadderRow } from '../src/rl/ladder';
import { decisiveSeeds, ladderVerdicts } from '../src/rl/ladderVerdicts';
import { row, screen, seeds } from './ladderFixtures';

const byId = (rows: LadderRow[]) => new Map(ladderVerdicts(rows).map((v) => [v.id, v]));

test('everything waits on no runs, naming what it waits for', () => {
  const v = ladderVerdicts([]);
  expect(v.every((x) => x.status === 'waiting')).toBe(true);
  expect(v.find((x) => x.id === 'H1')!.reading).toMatch(/lr1\.25e-5 and lr1e-4/);
  expect(v.map((x) => x.id)).toEqual(expect.arrayContaining(['H1', 'H2', 'H3', 'H4 (lr1e-4)', 'H5', 'H6', 'H7 (x4-lr1e-4)']));
});

test('H1: lr 1.25e-5 clip minus lr 1e-4 clip, paired by seed, either way', () => {
  const rows = (gap: number) => seeds([101, 102, 103], (s, i) => [row('lr1e-4', 'random-clip', s, -12 + i, 48), row('lr1.25e-5', 'random-clip', s, -12 + i + gap + (i === 1 ? 0.5 : 0), 384)]);
  expect(byId(rows(8)).get('H1')!.status).toBe('supported');
  expect(byId(rows(0)).get('H1')!.status).toBe('not supported');
  expect(byId(rows(8).filter((r) => r.seed !== 103)).get('H1')!.status).toBe('waiting');
});

test('H2/H3 wait for the decisive cell, then read only its new seeds', () => {
  const base = screen((c) => (c === 'lr5e-5' ? 9 : 0));
  expect(byId(base).get('H2')!.status).toBe('waiting');
  // New seeds where clip − null is ~+4 but clip itself loses: H2 supported, H3 not.
  const confirm = seeds([104, 105, 106, 107, 108], (s, i) => [row('lr5e-5', 'random-clip', s, -3 + (i % 2), 96), row('lr5e-5', 'matched-null', s, -7 + (i % 2) - 0.2 * i, 96)]);
  const v = byId([...base, ...confirm]);
  expect(v.get('H2')!.status).toBe('supported');
  expect(v.get('H2')!.reading).toMatch(/^lr5e-5, seeds 104–108: \+4\.4/);
  expect(v.get('H3')!.status).toBe('not supported');
  // The screen seeds' large endpoint (+9) does not count: on new seeds with no gap H2 fails.
  const flat = seeds([104, 105, 106, 107, 108], (s, i) => [row('lr5e-5', 'random-clip', s, -3 + i, 96), row('lr5e-5', 'matched-null', s, -3 + i + (i % 2 ? 1 : -1), 96)]);
  expect(byId([...base, ...flat]).get('H2')!.status).toBe('not supported');
  expect(byId([...base, ...flat]).get('H2')!.reading).toMatch(/\(n 5; /);
});

test('H3 counts at 2N where the decisive cell runs that long', () => {
  const base = screen((c) => (c === 'lr2.5e-5' ? 9 : 0));
  // Random + clip loses at N (192) but gains at 2N (384) on the new seeds.
  const confirm = (gain: number) => seeds([104, 105, 106, 107, 108], (s, i) => [
    row('lr2.5e-5', 'random-clip', s, -4 + 0.3 * i, 192), row('lr2.5e-5', 'matched-null', s, -8 + 0.2 * i, 192),
    { ...row('lr2.5e-5', 'random-clip', s, gain + 0.5 * (i % 2), 384), id: `2n-${s}` },
  ]);
  // The 2N row's evaluation is merged into the run's points, as a run to 2N logs both.
  const merge = (rows: LadderRow[]) => {
    const out = rows.filter((r) => !r.id.startsWith('2n-'));
    for (const r of rows.filter((x) => x.id.startsWith('2n-'))) out.find((x) => x.cell === r.cell && x.arm === r.arm && x.seed === r.seed)!.points.push(r.points[1]);
    return out;
  };
  expect(byId(merge([...base, ...confirm(3)])).get('H3')!.status).toBe('supported');
  expect(byId(merge([...base, ...confirm(-3)])).get('H3')!.status).toBe('not supported');
});

test('the decisive cell adds seeds 109–111 once when the paired sd exceeds 5', () => {
  const wide = seeds([104, 105, 106, 107, 108], (s, i) => [row('lr5e-5', 'random-clip', s, i % 2 ? 10 : -10, 96), row('lr5e-5', 'matched-null', s, 0, 96)]);
  expect(decisiveSeeds(wide, 'lr5e-5')).toEqual([104, 105, 106, 107, 108, 109, 110, 111]);
  const narrow = seeds([104, 105, 106, 107, 108], (s, i) => [row('lr5e-5', 'random-clip', s, i, 96), row('lr5e-5', 'matched-null', s, 0, 96)]);
  expect(decisiveSeeds(narrow, 'lr5e-5')).toEqual([104, 105, 106, 107, 108]);
  // With the extra seeds required, H2 waits for them.
  expect(byId([...screen((c) => (c === 'lr5e-5' ? 9 : 0)), ...wide]).get('H2')!.status).toBe('waiting');
});

test('H4: code share clip − null per cell', () => {
  const rows = seeds([101, 102, 103], (s, i) => [row('lr1e-4', 'random-clip', s, 0, 48, { code: 20 + i }), row('lr1e-4', 'matched-null', s, 0, 48, { code: i * 1.5 })]);
  expect(byId(rows).get('H4 (lr1e-4)')!.status).toBe('supported');
  expect(byId(rows).get('H4 (lr5e-5)')!.status).toBe('waiting');
  const flat = seeds([101, 102, 103], (s, i) => [row('lr1e-4', 'random-clip', s, 0, 48, { code: 20 + i }), row('lr1e-4', 'matched-null', s, 0, 48, { code: 20 + (i === 1 ? 3 : -1) })]);
  expect(byId(flat).get('H4 (lr1e-4)')!.status).toBe('not supported');
});

test('H5: the ε-0.2 control needs both rare clipping (< 0.01%) and an ending (768 steps) within noise of noclip', () => {
  const rows = (clip: number, gap = 0, at = 768) => seeds([101, 102, 103], (s, i) => [row('lr1.25e-5-eps0.2', 'random-clip', s, -5 + i + gap, at, { clip }), row('lr1.25e-5', 'random-noclip', s, -5 + (i === 1 ? 2 : -1), at)]);
  expect(byId(rows(0)).get('H5')!.status).toBe('supported');
  expect(byId(rows(5e-5)).get('H5')!.status).toBe('supported');
  expect(byId(rows(2e-4)).get('H5')!.status).toBe('not supported');
  // Rare clipping, but the control ends far above noclip.
  expect(byId(rows(0, 12)).get('H5')!.status).toBe('not supported');
  // Read at the end of the run, not at N.
  expect(byId(rows(0, 0, 384)).get('H5')!.status).toBe('waiting');
  // A run without clip fractions waits rather than failing the rule.
  const missing = rows(0).map((r) => (r.cell === 'lr1.25e-5-eps0.2' && r.seed === 102 ? { ...r, clip_high: null } : r));
  expect(byId(missing).get('H5')!.status).toBe('waiting');
});

test('H6: every random arm of the paper rung within 2 points', () => {
  const rows = (d: number) => seeds([101, 102, 103], (s, i) => (['random-clip', 'random-noclip', 'matched-null'] as LadderArm[]).map((a) => row('paper-rung', a, s, (a === 'random-noclip' ? d : 0) + i - 1, 512)));
  expect(byId(rows(1.5)).get('H6')!.status).toBe('supported');
  // |mean Δ| is the rule: seeds at +4, −4 and 0 (mean |Δ| 2.7) do not move the arm.
  const spread = seeds([101, 102, 103], (s, i) => (['random-clip', 'random-noclip', 'matched-null'] as LadderArm[]).map((a) => row('paper-rung', a, s, [4, -4, 0][i], 512)));
  expect(byId(spread).get('H6')!.status).toBe('supported');
  expect(byId(rows(-3)).get('H6')!.status).toBe('not supported');
});

test('H7: x4 − 1x for the null and noclip, both above zero to be supported', () => {
  const rows = (noclipGap: number) => seeds([101, 102, 103], (s, i) => [
    row('lr1e-4', 'matched-null', s, -20 + i, 48), row('x4-lr1e-4', 'matched-null', s, -10 + i * 1.2, 48),
    row('lr1e-4', 'random-noclip', s, -15 + i, 48), row('x4-lr1e-4', 'random-noclip', s, -15 + noclipGap + i * 0.8, 48),
  ]);
  expect(byId(rows(8)).get('H7 (x4-lr1e-4)')!.status).toBe('supported');
  expect(byId(rows(-8)).get('H7 (x4-lr1e-4)')!.status).toBe('not supported');
  // The decisive cell's x4 runs are pre-registered too: they wait until the cell is picked.
  expect(byId(rows(8)).get('H7 (x4 at the decisive cell)')!.reading).toMatch(/decisive cell to be picked/);
});

test('H7 at the decisive cell: its x4 twin joins once the rule picks it, and reads like any size cell', () => {
  const picked = screen((c) => (c === 'lr5e-5' ? 9 : 0));
  const v = byId(picked);
  expect(v.has('H7 (x4 at the decisive cell)')).toBe(false);
  expect(v.get('H7 (x4-lr5e-5)')!.status).toBe('waiting');
  expect(v.get('H7 (x4-lr5e-5)')!.reading).toMatch(/x4-lr5e-5 and lr5e-5/);
  const size = (gap: number) => seeds([101, 102, 103], (s, i) => [
    row('lr5e-5', 'random-noclip', s, -9 + i, 96), row('x4-lr5e-5', 'random-noclip', s, -9 + gap + 0.7 * i, 96),
    row('x4-lr5e-5', 'matched-null', s, -10 + gap + 0.6 * i, 96),
  ]);
  expect(byId([...picked, ...size(6)]).get('H7 (x4-lr5e-5)')!.status).toBe('supported');
  expect(byId([...picked, ...size(-6)]).get('H7 (x4-lr5e-5)')!.status).toBe('not supported');
  // lr1e-4 already has its x4 twin among the fixed size cells: no second row for it.
  const ids = [...byId(screen((c) => (c === 'lr1e-4' ? 9 : 0))).keys()].filter((id) => id.startsWith('H7'));
  expect(ids).toEqual(['H7 (x4-lr1e-4)', 'H7 (x4-lr6.25e-5)']);
});
