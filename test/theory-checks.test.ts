import { initBackend } from '../src/engine/backend';
import {
  checkBiasFormulaMonteCarlo,
  checkPiecewiseAgainstAutograd,
  checkRatioGradientSymbolic,
  checkUnclippedGradientZeroMean,
} from '../src/theory';

beforeAll(async () => {
  await initBackend({ quiet: true });
});

test('piecewise formula = tfjs autograd of min(ρÂ, clip(ρ)Â) on a grid with kinks', async () => {
  const r = await checkPiecewiseAgainstAutograd();
  expect(r.mismatches).toEqual([]);
  expect(r.pass).toBe(true);
  expect(r.boundaryPoints).toBeGreaterThanOrEqual(40);
  // The kinks really are tested: the paper's strict-inequality reading disagrees with autograd there.
  const strict = (p: (typeof r.points)[number]) =>
    (p.advantage > 0 && p.ratio < 1 + p.epsHigh) || (p.advantage < 0 && p.ratio > 1 - p.epsLow) ? p.advantage : 0;
  const disagreements = r.points.filter((p) => strict(p) !== p.autograd);
  expect(disagreements.length).toBeGreaterThan(0);
  expect(disagreements.every((p) => p.ratio === 1 - p.epsLow || p.ratio === 1 + p.epsHigh)).toBe(true);
});

test('unclipped gradient has zero mean under random rewards (Monte Carlo, 95% CI)', () => {
  for (const [prior, gamma] of [[[0.65, 0.35], 0.5], [[0.5, 0.3, 0.15, 0.05], 0.3]] as const) {
    const r = checkUnclippedGradientZeroMean({ prior, gamma, groupSize: 16, samples: 8000, seed: 5 });
    expect(r.pass).toBe(true);
    // the CI is tight enough to mean something
    r.components.forEach((c) => expect(c.hi - c.lo).toBeLessThan(0.01));
  }
});

test('at a moved policy the clipped gradient matches the Appendix B bias formula; the unclipped one is still 0', () => {
  const r = checkBiasFormulaMonteCarlo({ prior: [0.65, 0.35], gamma: 0.5, groupSize: 16, samples: 8000, seed: 11 });
  expect(r.pass).toBe(true);
  // ratios leave the band on both sides, so the formula is non-trivial: the majority is pushed up
  expect(r.ratios[0]).toBeLessThan(0.8);
  expect(r.ratios[1]).toBeGreaterThan(1.2);
  expect(r.formula[0]).toBeGreaterThan(0.05);
  expect(r.clipped[0].lo).toBeGreaterThan(r.unclipped[0].hi);
  // a 3-way case with one ratio inside the band
  const r3 = checkBiasFormulaMonteCarlo(
    { prior: [0.6, 0.3, 0.1], gamma: 0.3, groupSize: 8, samples: 8000, seed: 12 },
    [Math.log(0.55), Math.log(0.3), Math.log(0.15)],
  );
  expect(r3.pass).toBe(true);
});

test('mathjs symbolic derivative confirms ∇ρ = ρ·∇log π for 2- and 3-way softmax', () => {
  for (const K of [2, 3]) {
    const r = checkRatioGradientSymbolic(K, 8, 3);
    expect(r.pass).toBe(true);
    expect(r.comparisons).toBe(8 * K * K);
    expect(r.maxRelErr).toBeLessThan(1e-9);
  }
});
