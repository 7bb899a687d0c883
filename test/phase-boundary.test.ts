/** The phase boundary figure: one legend entry per cell × budget point with its n, 2N open, sizes by shape, the paper's run in range. */
import type { LadderContrast } from '../src/rl/ladderTable';
import { phaseBoundarySpec } from '../src/plot/ladder';

const point = (cell: string, family: string, lr: number, budget: number, at: number, x: number, n: number): LadderContrast => ({
  cell, family, lr, budget, at, update_rel_cum: x,
  clip_minus_null: { mean: 5, sd: 1, n, lo: n > 1 ? 3 : null, hi: n > 1 ? 8 : null }, clip_minus_noclip: null,
});

test('one trace per point, named with its n; colour by lr, shape by size, open marker at 2N', () => {
  const spec = phaseBoundarySpec([
    point('lr1e-4', 'good-code-global', 1e-4, 48, 48, 0.11, 3),
    point('lr2.5e-5', 'good-code-global', 2.5e-5, 192, 384, 0.22, 1),
    point('x4-lr1e-4', 'good-code-global-x4', 1e-4, 48, 48, 0.18, 3),
    { ...point('lr5e-5', 'good-code-global', 5e-5, 96, 96, 0.1, 0), clip_minus_null: null },
  ], 0.005, 'note');
  const traces = spec.data as Array<{ name: string; marker: { color: string; symbol: string }; error_y: { array: number[]; arrayminus: number[] } }>;
  expect(traces.map((t) => t.name)).toEqual(['lr1e-4 @48 (n 3)', 'lr2.5e-5 @384 (n 1)', 'x4-lr1e-4 @48 (n 3)']);
  expect(traces.map((t) => t.marker.symbol)).toEqual(['circle', 'circle-open', 'diamond']);
  expect(traces[0].marker.color).toBe(traces[2].marker.color); // same lr, two sizes
  expect(traces[0].marker.color).not.toBe(traces[1].marker.color);
  expect([traces[0].error_y.arrayminus[0], traces[0].error_y.array[0]]).toEqual([2, 3]);
  expect(traces[1].error_y.array[0]).toBe(0); // no interval at n 1
  const range = (spec.layout as { xaxis: { range: number[] } }).xaxis.range;
  expect(range[0]).toBeLessThan(Math.log10(0.005));
  expect(range[1]).toBeGreaterThan(Math.log10(0.22));
});
