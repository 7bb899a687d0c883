import {
  advantageDistribution,
  advantageMoments,
  binomialCoefficient,
  clipBias,
  clippedTermGradient,
  expectedSurrogateGradient,
  groupAdvantages,
  isClipped,
  probabilityBand,
  upperClipThreshold,
} from '../src/theory';

describe('(a) piecewise gradient of the clipped term', () => {
  test('hand cases, including the closed-band convention at ρ = 1 ± ε', () => {
    // inside the band: always Â
    expect(clippedTermGradient(1.0, 2, 0.2)).toBe(2);
    expect(clippedTermGradient(1.0, -2, 0.2)).toBe(-2);
    // Â > 0: gradient lost above 1+ε only
    expect(clippedTermGradient(1.5, 2, 0.25)).toBe(0);
    expect(clippedTermGradient(0.5, 2, 0.25)).toBe(2);
    expect(clippedTermGradient(1.25, 2, 0.25)).toBe(2); // kink: band is closed
    // Â < 0: gradient lost below 1−ε only
    expect(clippedTermGradient(0.5, -2, 0.25)).toBe(0);
    expect(clippedTermGradient(1.5, -2, 0.25)).toBe(-2);
    expect(clippedTermGradient(0.75, -2, 0.25)).toBe(-2); // kink: band is closed
    // Â = 0: nothing to clip
    expect(clippedTermGradient(3, 0, 0.2)).toBe(0);
    // asymmetric ε
    expect(clippedTermGradient(1.25, 1, 0.1, 0.3)).toBe(1);
    expect(clippedTermGradient(0.85, -1, 0.1, 0.3)).toBe(0);
  });

  test('isClipped is exactly "the clip zeroed a non-zero Â"', () => {
    for (const r of [0.3, 0.8, 0.9, 1, 1.2, 1.4]) {
      for (const a of [-1, -0.1, 0.1, 1]) expect(isClipped(r, a, 0.2)).toBe(clippedTermGradient(r, a, 0.2) === 0);
    }
  });
});

/** Independent brute force: every one of the 2^G reward vectors, weighted by its probability. */
function bruteForce(gamma: number, G: number) {
  let mean = 0;
  let mu = 0;
  let pPos = 0;
  let sq = 0;
  for (let mask = 0; mask < 1 << G; mask++) {
    const r = Array.from({ length: G }, (_, i) => (mask >> i) & 1);
    const k = r.reduce((a, b) => a + b, 0);
    const weight = gamma ** k * (1 - gamma) ** (G - k);
    const m = k / G;
    const sd = Math.sqrt(r.reduce((a, x) => a + (x - m) ** 2, 0) / G);
    const adv = r.map((x) => (sd === 0 ? 0 : (x - m) / sd));
    // per-sample quantities = average over the G exchangeable samples
    for (const a of adv) {
      mean += (weight * a) / G;
      sq += (weight * a * a) / G;
      if (a > 0) {
        mu += (weight * a) / G;
        pPos += weight / G;
      }
    }
  }
  return { mean, mu, pPos, sq };
}

describe('(b) advantage under Bernoulli(γ) rewards', () => {
  test('groupAdvantages: population std, std = 0 ⇒ Â = 0', () => {
    const a = groupAdvantages([1, 0, 0, 0]);
    const sd = Math.sqrt((0.75 ** 2 + 3 * 0.25 ** 2) / 4);
    expect(a[0]).toBeCloseTo(0.75 / sd, 12);
    expect(a[1]).toBeCloseTo(-0.25 / sd, 12);
    expect(Array.from(groupAdvantages([1, 1, 1]))).toEqual([0, 0, 0]);
    expect(Array.from(groupAdvantages([0, 0]))).toEqual([0, 0]);
    const withEps = groupAdvantages([1, 0], { stdEps: 0.5 });
    expect(withEps[0]).toBeCloseTo(0.5 / (0.5 + 0.5), 12);
  });

  test('binomial coefficients', () => {
    expect([0, 1, 2, 3, 4, 5].map((k) => binomialCoefficient(5, k))).toEqual([1, 5, 10, 10, 5, 1]);
    expect(binomialCoefficient(16, 8)).toBe(12870);
  });

  test.each([
    [0.5, 2],
    [0.5, 4],
    [0.3, 3],
    [0.7, 6],
    [0.1, 8],
    [0.5, 10],
    [0.001, 5],
  ])('γ=%p, G=%p: enumeration over k equals brute force over all 2^G reward vectors', (gamma, G) => {
    const bf = bruteForce(gamma, G);
    const m = advantageMoments(gamma, G);
    const total = advantageDistribution(gamma, G).reduce((s, a) => s + a.prob, 0);
    expect(total).toBeCloseTo(1, 12);
    expect(m.mean).toBeCloseTo(0, 12); // E[Â] = 0
    expect(bf.mean).toBeCloseTo(0, 12);
    expect(m.mu).toBeCloseTo(bf.mu, 12);
    expect(m.pPositive).toBeCloseTo(bf.pPos, 12);
    expect(m.secondMoment).toBeCloseTo(bf.sq, 12);
    expect(m.pPositive * m.meanPositive).toBeCloseTo(m.mu, 12); // μ = P(Â>0)·E[Â|Â>0]
    expect(m.mu).toBeGreaterThan(0);
  });

  test('γ = 0 and γ = 1 give no signal at all (μ = 0), as in Fig. 10', () => {
    expect(advantageMoments(0, 16).mu).toBe(0);
    expect(advantageMoments(1, 16).mu).toBe(0);
  });

  test('rejects bad γ and G', () => {
    expect(() => advantageDistribution(1.5, 4)).toThrow(/1.5/);
    expect(() => advantageDistribution(0.5, 0)).toThrow(/G must/);
  });
});

describe('(c) the bias term', () => {
  const gradRatio = [0.3, -0.3];
  test.each([
    [0.5, 0.2, 0.2],
    [0.6, 0.2, 0.2],
    [0.8, 0.2, 0.2], // kink: strict indicators give 0 bias
    [0.9, 0.2, 0.2],
    [1.0, 0.2, 0.2],
    [1.2, 0.2, 0.2],
    [1.3, 0.2, 0.2],
    [2.0, 0.1, 0.3],
    [0.85, 0.1, 0.3],
  ])('ρ=%p: E_Â[clipped] − E_Â[unclipped] equals μ·(∇ρ1{ρ<1−ε} − ∇ρ1{ρ>1+ε})', (ratio, epsLow, epsHigh) => {
    for (const [gamma, G] of [[0.5, 16], [0.3, 8]]) {
      const atoms = advantageDistribution(gamma, G);
      const clip = expectedSurrogateGradient(atoms, ratio, gradRatio, 'clip', epsLow, epsHigh);
      const noclip = expectedSurrogateGradient(atoms, ratio, gradRatio, 'noclip', epsLow, epsHigh);
      const bias = clipBias(advantageMoments(gamma, G).mu, ratio, gradRatio, epsLow, epsHigh);
      noclip.forEach((v) => expect(v).toBeCloseTo(0, 12));
      clip.forEach((v, j) => expect(v - noclip[j]).toBeCloseTo(bias[j], 12));
    }
  });

  test('the bias pushes ρ back into the band', () => {
    const mu = advantageMoments(0.5, 16).mu;
    // below the band: along +∇ρ (ρ goes up); above: along −∇ρ; inside: nothing
    expect(clipBias(mu, 0.5, [1])[0]).toBeCloseTo(mu, 12);
    expect(clipBias(mu, 1.5, [1])[0]).toBeCloseTo(-mu, 12);
    expect(clipBias(mu, 1.1, [1])[0]).toBe(0);
  });
});

describe('(d) the probability band', () => {
  test("the paper's examples: π_old = 0.85 cannot be clipped upward, π_old = 0.02 is clipped above 0.024", () => {
    const hi = probabilityBand(0.85, 0.2);
    expect(hi.upper).toBeCloseTo(1.02, 12);
    expect(hi.upperReachable).toBe(false);
    const lo = probabilityBand(0.02, 0.2);
    expect(lo.upper).toBeCloseTo(0.024, 12);
    expect(lo.lower).toBeCloseTo(0.016, 12);
    expect(lo.upperReachable).toBe(true);
  });

  test('threshold 1/(1+ε) separates reachable from unreachable upper edges', () => {
    for (const eps of [0.1, 0.2, 0.28]) {
      const th = upperClipThreshold(eps);
      expect(th * (1 + eps)).toBeCloseTo(1, 12);
      for (let p = 0.01; p < 1; p += 0.01) expect(probabilityBand(p, eps).upperReachable).toBe(p * (1 + eps) < 1);
      expect(probabilityBand(th * 0.999, eps).upperReachable).toBe(true);
      expect(probabilityBand(Math.min(1, th * 1.001), eps).upperReachable).toBe(false);
    }
    expect(() => probabilityBand(0)).toThrow(/π_old/);
  });
});
