/** Provenance lines of the stand-in figures (notebooks 02, 03, 05): n per arm and what the error bars are. */
import { crossFamilyHeatmapSpec, gainComparisonSpec, gammaGainSpec, seedCountsText, seriesCountsText, standinCurvesProvenance, type CurveSeries } from '../src/plot/standin';

const stat = (mean: number, sd: number, n: number) => ({ mean, sd, n });

describe('stand-in figure provenance', () => {
  test('seedCountsText names the common n and every arm with another', () => {
    expect(seedCountsText([{ label: 'ground-truth', n: 3 }, { label: 'format', n: 3 }, { label: 'random', n: 5 }], 'reward')).toBe('n = 3 seeds per reward, random n = 5');
    expect(seedCountsText([{ label: 'a', n: 3 }, { label: 'b', n: 3 }])).toBe('n = 3 seeds per arm');
    expect(seedCountsText([{ label: 'a', n: 1 }])).toBe('n = 1 seed');
    expect(seedCountsText([])).toBe('no finished runs');
  });

  test('gain bars: n per reward, error bars are sd, the note and the paper part', () => {
    const spec = gainComparisonSpec('good-code', [{ reward: 'ground-truth', change: stat(0.08, 0.06, 3) }, { reward: 'random', change: stat(-0.07, 0.02, 5) }], null, 'full', 'GRPO step: seeds 1–3 of 23 Nov, seeds 4–5 of 2 Dec');
    expect(spec.provenance).toContain('error bar = ± 1 sd over seeds');
    expect(spec.provenance).toContain('n = 3 seeds per reward, random n = 5');
    expect(spec.provenance).toContain('GRPO step: seeds 1–3 of 23 Nov');
    expect(spec.provenance).not.toContain('hatched');
    const bars = spec.data[0] as { y: number[]; error_y: { array: number[] } };
    expect(bars.y[1]).toBeCloseTo(-7, 10);
    expect(bars.error_y.array[1]).toBeCloseTo(2, 10);
  });

  test('γ sweep and heatmap name n per γ and per cell', () => {
    const g = gammaGainSpec([{ gamma: 0.3, change: stat(-0.1, 0.04, 3) }, { gamma: 0.5, change: stat(-0.07, 0.02, 5) }], 'good-code', 'full');
    expect(g.provenance).toContain('n = 3 seeds per γ, γ = 0.5 n = 5');
    expect(g.provenance).toContain('± 1 sd');
    const cells: Record<string, ReturnType<typeof stat>> = { 'good-code|random': stat(-0.07, 0.02, 5), 'good-code|format': stat(-0.09, 0.06, 3), 'no-code|random': stat(-0.05, 0.02, 3) };
    const h = crossFamilyHeatmapSpec(['good-code', 'no-code'], ['format', 'random'], (f, r) => cells[`${f}|${r}`] ?? null, 'full');
    expect(h.provenance).toContain('n = 3 seeds per cell, good-code · random n = 5');
  });

  test('curves: n per curve from the points', () => {
    const pts = (n: number) => [0, 4].map((step) => ({ step, mean: 0.5, sd: 0.01, n }));
    const series: CurveSeries[] = [{ name: 'Random Reward (n=5)', arm: 'random', color: '#000', points: pts(5) }, { name: 'x', arm: 'format', color: '#000', points: pts(3) }, { name: 'y', color: '#000', points: pts(3) }];
    expect(seriesCountsText(series, 'reward')).toBe('n = 3 seeds per reward, random n = 5');
    expect(standinCurvesProvenance("'good-code'", 'full', series, { unit: 'reward', note: 'N' })).toBe("ours — stand-in 'good-code', preset full: line = mean over seeds, band = ± 1 sd over seeds; n = 3 seeds per reward, random n = 5; N");
  });
});
