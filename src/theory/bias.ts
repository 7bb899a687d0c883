/**
 * (c) The clipping bias (Paper A, Appendix B).
 *
 * Take one token whose ratio ρ (and gradient ∇ρ) does not depend on its own advantage Â —
 * true for a token in a later mini-batch of the same rollout phase, whose ρ ≠ 1 comes from
 * updates on OTHER samples. With the gradient rule of clipGradient.ts,
 *   clipped gradient = Â∇ρ − Â∇ρ·1{Â>0, ρ>1+ε} − Â∇ρ·1{Â<0, ρ<1−ε}.
 * Averaging over Â: E[Â] = 0 kills the first term, E[Â·1{Â>0}] = μ and E[Â·1{Â<0}] = −μ, so
 *   E[clipped gradient] = μ·(∇ρ·1{ρ<1−ε} − ∇ρ·1{ρ>1+ε}),   μ = P(Â>0)·E[Â|Â>0] > 0.
 * The bias pushes ρ back into the band: up when the policy has moved below 1−ε, down above 1+ε.
 * The indicators are strict, so the kink convention of clipGradient.ts does not matter here.
 */
import { AdvantageAtom } from './advantage';
import { clippedTermGradient } from './clipGradient';

/** μ·(∇ρ·1{ρ<1−ε_low} − ∇ρ·1{ρ>1+ε_high}), componentwise over ∇ρ. */
export function clipBias(
  mu: number,
  ratio: number,
  gradRatio: ArrayLike<number>,
  epsLow = 0.2,
  epsHigh = epsLow,
): Float64Array {
  const sign = (ratio < 1 - epsLow ? 1 : 0) - (ratio > 1 + epsHigh ? 1 : 0);
  const out = new Float64Array(gradRatio.length);
  for (let j = 0; j < out.length; j++) out[j] = mu * sign * gradRatio[j];
  return out;
}

/**
 * E_Â[ ∂objective/∂ρ · ∇ρ ] by summing over the exact advantage distribution (advantage.ts),
 * with ρ and ∇ρ held fixed. 'noclip' gives E[Â]·∇ρ = 0. The difference clip − noclip must
 * equal clipBias(μ, ...): the check `checkBiasFormula` confirms it.
 */
export function expectedSurrogateGradient(
  atoms: readonly AdvantageAtom[],
  ratio: number,
  gradRatio: ArrayLike<number>,
  mode: 'clip' | 'noclip',
  epsLow = 0.2,
  epsHigh = epsLow,
): Float64Array {
  let scale = 0;
  for (const a of atoms) {
    scale += a.prob * (mode === 'clip' ? clippedTermGradient(ratio, a.advantage, epsLow, epsHigh) : a.advantage);
  }
  const out = new Float64Array(gradRatio.length);
  for (let j = 0; j < out.length; j++) out[j] = scale * gradRatio[j];
  return out;
}
