/**
 * (d) The clip band in probability space (Paper A, Appendix B; Paper B's reading).
 *
 * For a token sampled with probability π_old, the gradient survives only while
 * π_old·(1−ε_low) ≤ π ≤ π_old·(1+ε_high). The band's width scales with π_old, and since π ≤ 1,
 * the upper edge is out of reach once π_old·(1+ε_high) ≥ 1, i.e. π_old ≥ 1/(1+ε_high)
 * (0.833 for ε = 0.2): such a token can be clipped only on the way DOWN, so under random
 * rewards it keeps its up-moves and loses its down-moves. A token with π_old = 0.02 is already
 * clipped once π > 0.024.
 */

export interface ProbabilityBand {
  piOld: number;
  /** π_old·(1−ε_low): below this, tokens with Â < 0 lose their gradient. */
  lower: number;
  /** π_old·(1+ε_high): above this, tokens with Â > 0 lose their gradient (may exceed 1). */
  upper: number;
  /** False when upper ≥ 1: upward clipping can never bind for this token. */
  upperReachable: boolean;
}

export function probabilityBand(piOld: number, epsLow = 0.2, epsHigh = epsLow): ProbabilityBand {
  if (!(piOld > 0 && piOld <= 1)) throw new Error(`probabilityBand: π_old must be in (0, 1], got ${piOld}`);
  const upper = piOld * (1 + epsHigh);
  return { piOld, lower: piOld * (1 - epsLow), upper, upperReachable: upper < 1 };
}

/**
 * 1/(1+ε_high): for π_old at or above it, upward clipping never binds. (The paper says "above";
 * at equality the bound is π = 1, which a softmax never reaches, so "at or above" is exact.)
 */
export function upperClipThreshold(epsHigh = 0.2): number {
  return 1 / (1 + epsHigh);
}
