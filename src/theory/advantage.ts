/**
 * (b) GRPO's advantage under rewards that ignore the response: r ~ Bernoulli(γ), i.i.d.
 *
 * Within a group of G rewards, Â_i = (r_i − mean) / (std + stdEps), with the POPULATION std
 * (divide by G), as in the paper's code (Appendix A); Â = 0 for the whole group when std = 0
 * (all right or all wrong). `stdEps` (default 0) is the optional stabiliser many
 * implementations add; with std = 0 handled explicitly it is not needed for Bernoulli rewards.
 *
 * Only the number of successes k ~ Binomial(G, γ) matters, so the distribution of one sample's
 * advantage is enumerated exactly over k: a success in a group with k successes has
 * Â = (1 − k/G)/σ_k, a failure has Â = −(k/G)/σ_k, σ_k = sqrt(k/G·(1 − k/G)).
 */

export interface AdvantageOptions {
  /** Added to the std before dividing; default 0. */
  stdEps?: number;
}

/** Advantages of one group of rewards (any real rewards, not only 0/1). */
export function groupAdvantages(rewards: ArrayLike<number>, opts: AdvantageOptions = {}): Float64Array {
  const G = rewards.length;
  const out = new Float64Array(G);
  if (G === 0) return out;
  let mean = 0;
  for (let i = 0; i < G; i++) mean += rewards[i];
  mean /= G;
  let variance = 0;
  for (let i = 0; i < G; i++) variance += (rewards[i] - mean) ** 2;
  const std = Math.sqrt(variance / G); // population std
  if (std === 0) return out; // no signal in this group: Â = 0
  const denom = std + (opts.stdEps ?? 0);
  for (let i = 0; i < G; i++) out[i] = (rewards[i] - mean) / denom;
  return out;
}

/** One atom of the per-sample advantage distribution. */
export interface AdvantageAtom {
  advantage: number;
  prob: number;
  /** Successes in the group (including this sample). */
  k: number;
  /** Whether this sample was rewarded. */
  success: boolean;
}

export function binomialCoefficient(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let j = 1; j <= Math.min(k, n - k); j++) c = (c * (n - Math.min(k, n - k) + j)) / j;
  return c;
}

/**
 * The exact distribution of ONE sample's advantage (sample 1 of the group, by exchangeability
 * any sample). Atoms with Â = 0 (k = 0 or k = G) are included so the probabilities sum to 1.
 */
export function advantageDistribution(gamma: number, G: number, opts: AdvantageOptions = {}): AdvantageAtom[] {
  if (!(gamma >= 0 && gamma <= 1)) throw new Error(`advantageDistribution: γ must be in [0,1], got ${gamma}`);
  if (!(Number.isInteger(G) && G >= 1)) throw new Error(`advantageDistribution: G must be a positive integer, got ${G}`);
  const atoms: AdvantageAtom[] = [];
  const stdEps = opts.stdEps ?? 0;
  for (let k = 0; k <= G; k++) {
    const p = k / G;
    const sigma = Math.sqrt(p * (1 - p));
    const degenerate = k === 0 || k === G;
    // This sample succeeded and k−1 of the other G−1 did.
    if (k >= 1) {
      const prob = binomialCoefficient(G - 1, k - 1) * gamma ** k * (1 - gamma) ** (G - k);
      atoms.push({ advantage: degenerate ? 0 : (1 - p) / (sigma + stdEps), prob, k, success: true });
    }
    // This sample failed and k of the other G−1 succeeded.
    if (k <= G - 1) {
      const prob = binomialCoefficient(G - 1, k) * gamma ** k * (1 - gamma) ** (G - k);
      atoms.push({ advantage: degenerate ? 0 : -p / (sigma + stdEps), prob, k, success: false });
    }
  }
  return atoms;
}

export interface AdvantageMoments {
  /** E[Â]: zero for any γ, G (the group mean is subtracted and samples are exchangeable). */
  mean: number;
  /** P(Â > 0). */
  pPositive: number;
  /** E[Â | Â > 0] (0 when P(Â > 0) = 0). */
  meanPositive: number;
  /** μ = P(Â > 0)·E[Â | Â > 0] = E[Â·1{Â>0}], the scale of the clipping bias (Appendix B). */
  mu: number;
  /** E[Â²]; with the population std and stdEps = 0 it equals P(group not degenerate) = 1 − γ^G − (1−γ)^G. */
  secondMoment: number;
}

export function advantageMoments(gamma: number, G: number, opts: AdvantageOptions = {}): AdvantageMoments {
  let mean = 0;
  let pPositive = 0;
  let mu = 0;
  let secondMoment = 0;
  for (const a of advantageDistribution(gamma, G, opts)) {
    mean += a.prob * a.advantage;
    secondMoment += a.prob * a.advantage ** 2;
    if (a.advantage > 0) {
      pPositive += a.prob;
      mu += a.prob * a.advantage;
    }
  }
  return { mean, pPositive, meanPositive: pPositive > 0 ? mu / pPositive : 0, mu, secondMoment };
}

/** μ = P(Â>0)·E[Â|Â>0] for Bernoulli(γ) rewards and group size G. */
export function clipBiasScale(gamma: number, G: number, opts: AdvantageOptions = {}): number {
  return advantageMoments(gamma, G, opts).mu;
}
