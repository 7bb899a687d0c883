import { detectableEffect, formatMeanSd, formatPaired, meanSd, pairedDifference, pairedStat, t975 } from '../src/rl/stats';

describe('stats', () => {
  test('pairedStat: mean, sample sd and the t interval, checked by hand', () => {
    // xs = 1, 2, 6: mean 3, sd sqrt(((4 + 1 + 9) / 2)) = sqrt(7); half-width 4.303 * sqrt(7) / sqrt(3).
    const p = pairedStat([1, 2, 6])!;
    expect(p.mean).toBeCloseTo(3, 12);
    expect(p.sd).toBeCloseTo(Math.sqrt(7), 12);
    expect(p.hi! - p.mean).toBeCloseTo((4.303 * Math.sqrt(7)) / Math.sqrt(3), 12);
    expect(p.mean - p.lo!).toBeCloseTo(p.hi! - p.mean, 12);
    expect(pairedStat([])).toBeNull();
    expect(pairedStat([5])).toMatchObject({ mean: 5, sd: 0, n: 1, lo: null, hi: null });
  });

  test('pairedDifference pairs by seed and drops seeds one arm lacks', () => {
    const a = new Map([[1, 10], [2, 20], [3, 30]]);
    const b = new Map([[3, 1], [1, 4]]);
    const d = pairedDifference(a, b)!;
    expect(d.n).toBe(2);
    expect(d.mean).toBeCloseTo((6 + 29) / 2, 12);
  });

  test('t quantiles and the detectable effect', () => {
    expect(t975(2)).toBe(4.303);
    expect(t975(100)).toBe(1.96);
    expect(() => t975(0)).toThrow(/df must be a positive integer/);
    expect(detectableEffect(3, 5)).toBeCloseTo((4.303 * 5) / Math.sqrt(3), 12);
  });

  test('formatting names n and the interval', () => {
    expect(formatMeanSd(meanSd([-1, -3]))).toBe('−2.0 ± 1.4 (n 2)');
    expect(formatPaired(pairedStat([1, 2, 6]))).toBe(`+3.0 ± 2.6 (n 3; 95% −3.6 to +9.6)`);
    expect(formatPaired(pairedStat([2]))).toBe('+2.0 ± 0.0 (n 1; no interval at n 1)');
    expect(formatPaired(null)).toBe('—');
  });
});
