/**
 * The clipping bias as a simulation: a softmax policy over K behaviours trained by GRPO with
 * rewards that ignore the behaviour (Paper A, Sec. "random rewards" + Appendix B).
 *
 * One rollout phase (a "step"):
 *   1. π_old = softmax(θ); sample a group of G behaviours y_i ~ π_old.
 *   2. r_i ~ Bernoulli(γ), independent of y_i; Â_i = group-normalised advantages (advantage.ts).
 *   3. k gradient-ASCENT updates θ += η·∇J with π_old frozen, where
 *        J = mean_i min(ρ_i Â_i, clip(ρ_i)Â_i)   (or ρ_i Â_i for 'noclip'),  ρ_i = π(y_i)/π_old(y_i),
 *        ∇_θ J = mean_i g(ρ_i, Â_i)·∇ρ_i,  ∇ρ_i = ρ_i·∇log π(y_i) = ρ_i·(e_{y_i} − π),
 *      g from clipGradient.ts. The exact gradient (no autograd) keeps this plain Float64 code fast.
 * k = 1 means every update sees ρ = 1, where clip and noclip coincide (Fig. 11 ablations ii/iii).
 *
 * Why the two update schemes: Paper A splits each rollout batch into 8 mini-batches and takes one
 * update per mini-batch ('minibatches'): a later mini-batch's ρ ≠ 1 then comes from other samples'
 * updates, which is the setting where the Appendix B bias formula holds exactly. 'epochs' (k full
 * passes over the same group, PPO-style) also moves ρ but correlates it with the sample's own Â.
 */
import { Rng } from '../engine/rng';
import { groupAdvantages } from './advantage';
import { clippedTermGradient } from './clipGradient';

// Local bindings: inside jest's vm context every global `Math.x` lookup in a hot loop is ~10×
// slower than a module-level binding (measured), and these loops run ~10^7 times.
const { exp, log } = Math;

export type SimClipMode = 'clip' | 'noclip';
export type UpdateScheme = 'epochs' | 'minibatches';

export interface ClipSimConfig {
  /** π_0: initial probabilities of the K behaviours (θ_0 = log π_0). Index of the largest is "the majority". */
  prior: readonly number[];
  /** G: behaviours sampled per rollout phase (rollouts per prompt). */
  groupSize: number;
  /** γ: P(reward = 1), the same for every behaviour. */
  gamma: number;
  /** η: step size of gradient ascent on the logits θ. */
  lr: number;
  /** k: updates per rollout phase with π_old frozen. */
  updatesPerRollout: number;
  /** See the module comment. With 'minibatches', G must be divisible by k. */
  updateScheme: UpdateScheme;
  clipMode: SimClipMode;
  /** ε_low, ε_high of the band [1−ε_low, 1+ε_high]. */
  epsLow: number;
  epsHigh: number;
  /** T: rollout phases per run. */
  steps: number;
  /** Number of independent runs; run s uses Rng(firstSeed + s). */
  seeds: number;
  firstSeed: number;
  /** Behaviours with π_0 below this count as "tail" for tailMass. */
  tailBelow: number;
}

/** Defaults: Paper A's G = 16, ε = 0.2, 8 updates per rollout, γ = 0.5; Qwen-Math-like 65/35 code prior. */
export const DEFAULT_CLIP_SIM: Readonly<ClipSimConfig> = Object.freeze({
  prior: [0.65, 0.35],
  groupSize: 16,
  gamma: 0.5,
  lr: 0.5,
  updatesPerRollout: 8,
  updateScheme: 'epochs' as UpdateScheme,
  clipMode: 'clip' as SimClipMode,
  epsLow: 0.2,
  epsHigh: 0.2,
  steps: 200,
  seeds: 200,
  firstSeed: 1,
  tailBelow: 0.05,
});

/** A K-way prior with a long low-probability tail: a few head behaviours and `tail` behaviours sharing `tailMass`. */
export function longTailPrior(head: readonly number[] = [0.5, 0.2, 0.1], tail = 20, tailMass = 0.2): number[] {
  const headSum = head.reduce((a, b) => a + b, 0);
  const scale = (1 - tailMass) / headSum;
  return [...head.map((h) => h * scale), ...Array.from({ length: tail }, () => tailMass / tail)];
}

export interface ClipSimResult {
  config: ClipSimConfig;
  /** Index of the behaviour with the largest π_0. */
  majority: number;
  /** Row s, column t (t = 0..T): π_t(majority) of run s. Row-major, seeds × (T+1). */
  majorityProb: Float64Array;
  /** Entropy of π_t in nats, same layout. */
  entropy: Float64Array;
  /** Total π_t of the tail behaviours (π_0 < tailBelow), same layout. */
  tailMass: Float64Array;
  /**
   * Centred majority logit θ_t(majority) − mean_j θ_t(j), same layout. Linear in θ, so under
   * 'noclip' with k = 1 it is an exact martingale (E[∇J] = 0); π_t(majority) is not (it is a
   * nonlinear function of θ).
   */
  majorityLogit: Float64Array;
  /** Mean centred logit of the tail behaviours (NaN if there is no tail), same layout. */
  tailLogit: Float64Array;
  /** π_T of every behaviour, seeds × K. */
  finalProbs: Float64Array;
  /** Per run: fraction of (sample, update) pairs whose gradient the clip zeroed, Â>0 side / Â<0 side. */
  clipFracHigh: Float64Array;
  clipFracLow: Float64Array;
}

export function resolveClipSim(overrides: Partial<ClipSimConfig> = {}): ClipSimConfig {
  const c: ClipSimConfig = { ...DEFAULT_CLIP_SIM, ...overrides, prior: [...(overrides.prior ?? DEFAULT_CLIP_SIM.prior)] };
  const sum = c.prior.reduce((a, b) => a + b, 0);
  if (c.prior.length < 2 || c.prior.some((p) => !(p > 0)) || Math.abs(sum - 1) > 1e-9) {
    throw new Error(`clip sim: prior must have ≥2 positive entries summing to 1, got [${c.prior.join(', ')}] (sum ${sum})`);
  }
  if (!(Number.isInteger(c.groupSize) && c.groupSize >= 2)) throw new Error(`clip sim: groupSize must be an integer ≥ 2, got ${c.groupSize}`);
  if (!(Number.isInteger(c.updatesPerRollout) && c.updatesPerRollout >= 1)) {
    throw new Error(`clip sim: updatesPerRollout must be an integer ≥ 1, got ${c.updatesPerRollout}`);
  }
  if (c.updateScheme === 'minibatches' && c.groupSize % c.updatesPerRollout !== 0) {
    throw new Error(`clip sim: 'minibatches' needs groupSize (${c.groupSize}) divisible by updatesPerRollout (${c.updatesPerRollout})`);
  }
  if (!(c.gamma >= 0 && c.gamma <= 1)) throw new Error(`clip sim: gamma must be in [0,1], got ${c.gamma}`);
  if (!(c.steps >= 0 && c.seeds >= 1)) throw new Error(`clip sim: need steps ≥ 0 and seeds ≥ 1, got ${c.steps}, ${c.seeds}`);
  return c;
}

/** Runs `seeds` independent trainings and records their trajectories. */
export function simulateClipBias(overrides: Partial<ClipSimConfig> = {}): ClipSimResult {
  const c = resolveClipSim(overrides);
  const K = c.prior.length;
  const G = c.groupSize;
  const T = c.steps;
  const majority = argmax(c.prior);
  const isTail = c.prior.map((p) => p < c.tailBelow);
  const res: ClipSimResult = {
    config: c,
    majority,
    majorityProb: new Float64Array(c.seeds * (T + 1)),
    entropy: new Float64Array(c.seeds * (T + 1)),
    tailMass: new Float64Array(c.seeds * (T + 1)),
    majorityLogit: new Float64Array(c.seeds * (T + 1)),
    tailLogit: new Float64Array(c.seeds * (T + 1)),
    finalProbs: new Float64Array(c.seeds * K),
    clipFracHigh: new Float64Array(c.seeds),
    clipFracLow: new Float64Array(c.seeds),
  };

  const theta = new Float64Array(K);
  const pi = new Float64Array(K);
  const piOld = new Float64Array(K);
  const grad = new Float64Array(K);
  const y = new Int32Array(G);
  const rewards = new Float64Array(G);
  const batchSize = c.updateScheme === 'minibatches' ? G / c.updatesPerRollout : G;

  for (let s = 0; s < c.seeds; s++) {
    const rng = new Rng(c.firstSeed + s);
    for (let j = 0; j < K; j++) theta[j] = log(c.prior[j]);
    softmaxInto(theta, pi);
    const row = s * (T + 1);
    record(res, row, 0, theta, pi, majority, isTail);
    let nHigh = 0;
    let nLow = 0;
    let nTerms = 0;

    for (let t = 1; t <= T; t++) {
      // 1. rollout from the frozen old policy
      piOld.set(pi);
      for (let i = 0; i < G; i++) y[i] = sampleCategorical(piOld, rng.next());
      // 2. rewards that ignore the behaviour, group-normalised advantages
      for (let i = 0; i < G; i++) rewards[i] = rng.bernoulli(c.gamma) ? 1 : 0;
      const advantage = groupAdvantages(rewards);
      // 3. k updates with π_old frozen
      for (let u = 0; u < c.updatesPerRollout; u++) {
        const start = c.updateScheme === 'minibatches' ? u * batchSize : 0;
        softmaxInto(theta, pi);
        grad.fill(0);
        let totalWeight = 0; // Σ_i g_i ρ_i / |batch|, the coefficient of −π in Σ_i g_i ρ_i (e_{y_i} − π)
        for (let i = start; i < start + batchSize; i++) {
          const ratio = pi[y[i]] / piOld[y[i]];
          const a = advantage[i];
          const g = c.clipMode === 'clip' ? clippedTermGradient(ratio, a, c.epsLow, c.epsHigh) : a;
          if (a > 0 && ratio > 1 + c.epsHigh) nHigh++;
          if (a < 0 && ratio < 1 - c.epsLow) nLow++;
          nTerms++;
          const w = (g * ratio) / batchSize;
          grad[y[i]] += w;
          totalWeight += w;
        }
        for (let j = 0; j < K; j++) theta[j] += c.lr * (grad[j] - totalWeight * pi[j]);
      }
      softmaxInto(theta, pi);
      record(res, row, t, theta, pi, majority, isTail);
    }
    for (let j = 0; j < K; j++) res.finalProbs[s * K + j] = pi[j];
    res.clipFracHigh[s] = nTerms ? nHigh / nTerms : 0;
    res.clipFracLow[s] = nTerms ? nLow / nTerms : 0;
  }
  return res;
}

function record(
  res: ClipSimResult,
  row: number,
  t: number,
  theta: Float64Array,
  pi: Float64Array,
  majority: number,
  isTail: boolean[],
): void {
  res.majorityProb[row + t] = pi[majority];
  let thetaMean = 0;
  for (let j = 0; j < theta.length; j++) thetaMean += theta[j] / theta.length;
  res.majorityLogit[row + t] = theta[majority] - thetaMean;
  res.entropy[row + t] = entropyOf(pi);
  let tail = 0;
  let tailLogit = 0;
  let nTail = 0;
  for (let j = 0; j < pi.length; j++) {
    if (!isTail[j]) continue;
    tail += pi[j];
    tailLogit += theta[j] - thetaMean;
    nTail++;
  }
  res.tailMass[row + t] = tail;
  res.tailLogit[row + t] = nTail ? tailLogit / nTail : NaN;
}

/** Numerically stable softmax of `logits` into `out`. */
export function softmaxInto(logits: ArrayLike<number>, out: Float64Array): Float64Array {
  let top = -Infinity;
  for (let j = 0; j < logits.length; j++) if (logits[j] > top) top = logits[j];
  let z = 0;
  for (let j = 0; j < logits.length; j++) z += out[j] = exp(logits[j] - top);
  for (let j = 0; j < logits.length; j++) out[j] /= z;
  return out;
}

/** Entropy −Σ π log π in nats (0·log 0 = 0). */
export function entropyOf(pi: ArrayLike<number>): number {
  let h = 0;
  for (let j = 0; j < pi.length; j++) if (pi[j] > 0) h -= pi[j] * log(pi[j]);
  return h;
}

/** Inverse-CDF sample from probabilities `p` with a uniform u ∈ [0, 1). */
export function sampleCategorical(p: ArrayLike<number>, u: number): number {
  let acc = 0;
  for (let j = 0; j < p.length - 1; j++) {
    acc += p[j];
    if (u < acc) return j;
  }
  return p.length - 1;
}

function argmax(xs: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < xs.length; j++) if (xs[j] > xs[best]) best = j;
  return best;
}
