/**
 * (a) The clipped term's derivative with respect to the ratio, as a formula.
 *
 * d/dρ min(ρÂ, clip(ρ, 1−ε_low, 1+ε_high)·Â) =
 *   Â  if (Â > 0 and ρ ≤ 1+ε_high) or (Â < 0 and ρ ≥ 1−ε_low)
 *   0  otherwise (the clip has taken over and clip(ρ) is flat there; Â = 0 gives 0 anyway).
 *
 * Why a formula: Paper A's Appendix B argument is entirely about which tokens lose their
 * gradient; writing the rule out makes the bias term (bias.ts) a one-line consequence.
 *
 * Convention at the kinks ρ = 1 ± ε (where the derivative does not exist): the band is CLOSED,
 * i.e. the token still gets Â. This is not a choice of taste: it is what tfjs autograd returns
 * for min(ρÂ, clip(ρ)Â) (Minimum's gradient goes to the first argument when a ≤ b, and
 * ClipByValue passes gradient when min ≤ x ≤ max), and `checkPiecewiseAgainstAutograd` in
 * checks.ts verifies it. The paper writes strict inequalities; the two differ only on a
 * measure-zero set, so nothing downstream depends on it.
 */

/** ∂/∂ρ of the clipped per-token objective. */
export function clippedTermGradient(ratio: number, advantage: number, epsLow = 0.2, epsHigh = epsLow): number {
  if (advantage > 0 && ratio <= 1 + epsHigh) return advantage;
  if (advantage < 0 && ratio >= 1 - epsLow) return advantage;
  return 0;
}

/** ∂/∂ρ of the unclipped objective ρÂ: always Â. */
export function unclippedTermGradient(_ratio: number, advantage: number): number {
  return advantage;
}

/** True when the clip zeroes this token's gradient (sign-aware, as in the surrogate's diagnostics). */
export function isClipped(ratio: number, advantage: number, epsLow = 0.2, epsHigh = epsLow): boolean {
  return (advantage > 0 && ratio > 1 + epsHigh) || (advantage < 0 && ratio < 1 - epsLow);
}
