/**
 * Executable checks of the clipping-bias argument. Each returns a small report with `pass`,
 * so a notebook can show the evidence and a test can assert on it.
 *
 * 1. checkPiecewiseAgainstAutograd: the formula in clipGradient.ts equals tfjs autograd of
 *    min(ρÂ, clip(ρ)Â), including the kinks ρ = 1 ± ε.
 * 2. checkUnclippedGradientZeroMean: with random rewards, the unclipped policy gradient at
 *    ρ = 1 has mean zero (Monte Carlo, 95% CI per logit).
 * 3. checkBiasFormulaMonteCarlo: at a moved policy (ρ ≠ 1), the Monte Carlo mean of the clipped
 *    gradient matches μ·E[∇ρ·1{ρ<1−ε} − ∇ρ·1{ρ>1+ε}] (bias.ts) computed exactly.
 * 4. checkRatioGradientSymbolic: mathjs differentiates ρ = softmax(θ)_y / π_old(y) symbolically
 *    and agrees with ∇ρ = ρ·∇log π = ρ·(e_y − π), the identity simulate.ts relies on.
 */
import * as tf from '@tensorflow/tfjs';
import { derivative, parse } from 'mathjs';
import { Rng } from '../engine/rng';
import { advantageMoments, groupAdvantages } from './advantage';
import { clipBias } from './bias';
import { clippedTermGradient } from './clipGradient';
import { sampleCategorical, softmaxInto } from './simulate';
import { Z95 } from './summary';

// ---------------------------------------------------------------------------------------------
// 1. formula vs autograd

export interface PiecewisePoint {
  ratio: number;
  advantage: number;
  epsLow: number;
  epsHigh: number;
  formula: number;
  autograd: number;
}

export interface PiecewiseReport {
  points: PiecewisePoint[];
  /** Points with ρ exactly on 1 − ε_low or 1 + ε_high. */
  boundaryPoints: number;
  maxAbsDiff: number;
  mismatches: PiecewisePoint[];
  pass: boolean;
}

/**
 * Grid: ε pairs whose band edges are exact in float32 (dyadic: 0.25, 0.125, 0.5, and the
 * asymmetric 0.125/0.25) so ρ can sit exactly on a kink, plus ε = 0.2 off the kinks.
 * Â ∈ {−1.5, −0.5, 0, 0.5, 1.5}. Needs an initialised tfjs backend.
 */
export async function checkPiecewiseAgainstAutograd(tolerance = 1e-6): Promise<PiecewiseReport> {
  await tf.ready();
  const epsPairs: [number, number][] = [[0.25, 0.25], [0.125, 0.125], [0.5, 0.5], [0.125, 0.25], [0.2, 0.2]];
  const advantages = [-1.5, -0.5, 0, 0.5, 1.5];
  const points: PiecewisePoint[] = [];
  let boundaryPoints = 0;
  for (const [epsLow, epsHigh] of epsPairs) {
    const dyadic = epsLow !== 0.2;
    const ratios = [0.25, 0.5, 0.7, 0.95, 1, 1.05, 1.3, 1.6, 2.5];
    if (dyadic) ratios.push(1 - epsLow, 1 + epsHigh, 1 - epsLow - 1 / 64, 1 + epsHigh + 1 / 64, 1 - epsLow + 1 / 64, 1 + epsHigh - 1 / 64);
    const rho: number[] = [];
    const adv: number[] = [];
    for (const r of ratios) for (const a of advantages) { rho.push(r); adv.push(a); }
    const grads = tf.tidy(() => {
      const advantage = tf.tensor1d(adv);
      const clippedObjectiveSum = (ratio: tf.Tensor) =>
        tf.sum(tf.minimum(tf.mul(ratio, advantage), tf.mul(tf.clipByValue(ratio, 1 - epsLow, 1 + epsHigh), advantage)));
      return tf.grad(clippedObjectiveSum)(tf.tensor1d(rho));
    });
    const g = await grads.data();
    grads.dispose();
    rho.forEach((r, i) => {
      if (r === 1 - epsLow || r === 1 + epsHigh) boundaryPoints++;
      points.push({ ratio: r, advantage: adv[i], epsLow, epsHigh, formula: clippedTermGradient(r, adv[i], epsLow, epsHigh), autograd: g[i] });
    });
  }
  const mismatches = points.filter((p) => Math.abs(p.formula - p.autograd) > tolerance);
  const maxAbsDiff = points.reduce((m, p) => Math.max(m, Math.abs(p.formula - p.autograd)), 0);
  return { points, boundaryPoints, maxAbsDiff, mismatches, pass: mismatches.length === 0 };
}

// ---------------------------------------------------------------------------------------------
// Monte Carlo helpers shared by checks 2 and 3

export interface MonteCarloOptions {
  /** π_old of the K behaviours. */
  prior: readonly number[];
  gamma: number;
  groupSize: number;
  /** Number of sampled groups. */
  samples: number;
  seed: number;
}

export interface ComponentEstimate {
  mean: number;
  lo: number;
  hi: number;
}

/**
 * Mean over sampled groups of the per-group surrogate gradient w.r.t. the logits,
 * (1/G)·Σ_i g(ρ_i, Â_i)·ρ_i·(e_{y_i} − π), with y_i ~ π_old, r_i ~ Bernoulli(γ), and the current
 * policy π = softmax(logits) held fixed (so ρ does not depend on the sampled Â).
 */
function monteCarloGradient(
  o: MonteCarloOptions,
  logits: readonly number[],
  mode: 'clip' | 'noclip',
  eps: number,
): ComponentEstimate[] {
  const K = o.prior.length;
  const pi = softmaxInto(logits, new Float64Array(K));
  const rng = new Rng(o.seed);
  const sum = new Float64Array(K);
  const sumSq = new Float64Array(K);
  const g = new Float64Array(K);
  const y = new Int32Array(o.groupSize);
  const rewards = new Float64Array(o.groupSize);
  for (let n = 0; n < o.samples; n++) {
    for (let i = 0; i < o.groupSize; i++) y[i] = sampleCategorical(o.prior, rng.next());
    for (let i = 0; i < o.groupSize; i++) rewards[i] = rng.bernoulli(o.gamma) ? 1 : 0;
    const adv = groupAdvantages(rewards);
    g.fill(0);
    let total = 0;
    for (let i = 0; i < o.groupSize; i++) {
      const ratio = pi[y[i]] / o.prior[y[i]];
      const w = ((mode === 'clip' ? clippedTermGradient(ratio, adv[i], eps, eps) : adv[i]) * ratio) / o.groupSize;
      g[y[i]] += w;
      total += w;
    }
    for (let j = 0; j < K; j++) {
      const gj = g[j] - total * pi[j];
      sum[j] += gj;
      sumSq[j] += gj * gj;
    }
  }
  return Array.from(sum, (s, j) => {
    const mean = s / o.samples;
    const variance = Math.max(0, (sumSq[j] - o.samples * mean * mean) / (o.samples - 1));
    const half = Z95 * Math.sqrt(variance / o.samples);
    return { mean, lo: mean - half, hi: mean + half };
  });
}

// ---------------------------------------------------------------------------------------------
// 2. unclipped gradient has zero mean

export interface ZeroMeanReport {
  /** Per logit: Monte Carlo mean of the unclipped gradient at ρ = 1 with its 95% CI. */
  components: ComponentEstimate[];
  /** True when every CI contains 0. */
  pass: boolean;
}

export function checkUnclippedGradientZeroMean(
  o: MonteCarloOptions = { prior: [0.65, 0.35], gamma: 0.5, groupSize: 16, samples: 20000, seed: 7 },
): ZeroMeanReport {
  const logits = o.prior.map(Math.log); // π = π_old, ρ = 1
  const components = monteCarloGradient(o, logits, 'noclip', 0.2);
  return { components, pass: components.every((c) => c.lo <= 0 && 0 <= c.hi) };
}

// ---------------------------------------------------------------------------------------------
// 3. the bias formula

export interface BiasFormulaReport {
  /** Σ_y π_old(y)·μ·(∇ρ_y·1{ρ_y<1−ε} − ∇ρ_y·1{ρ_y>1+ε}), exact. */
  formula: number[];
  /** Monte Carlo mean of the clipped gradient with 95% CI. */
  clipped: ComponentEstimate[];
  /** Monte Carlo mean of the unclipped gradient (≈ 0) with 95% CI. */
  unclipped: ComponentEstimate[];
  ratios: number[];
  mu: number;
  /** Every formula component lies in the clipped CI, and every unclipped CI contains 0. */
  pass: boolean;
}

/**
 * `logits` is the moved policy θ (π_old = prior stays fixed). Choose it so some ratios leave
 * the band, e.g. prior [0.65, 0.35] and θ = log([0.5, 0.5]): ρ = (0.77, 1.43).
 */
export function checkBiasFormulaMonteCarlo(
  o: MonteCarloOptions = { prior: [0.65, 0.35], gamma: 0.5, groupSize: 16, samples: 20000, seed: 11 },
  logits: readonly number[] = [Math.log(0.5), Math.log(0.5)],
  eps = 0.2,
): BiasFormulaReport {
  const K = o.prior.length;
  const pi = softmaxInto(logits, new Float64Array(K));
  const { mu } = advantageMoments(o.gamma, o.groupSize);
  const formula = new Array<number>(K).fill(0);
  const ratios: number[] = [];
  for (let y = 0; y < K; y++) {
    const ratio = pi[y] / o.prior[y];
    ratios.push(ratio);
    const gradRatio = Array.from(pi, (p, j) => ratio * ((j === y ? 1 : 0) - p)); // ∇ρ = ρ(e_y − π)
    const b = clipBias(mu, ratio, gradRatio, eps, eps);
    for (let j = 0; j < K; j++) formula[j] += o.prior[y] * b[j];
  }
  const clipped = monteCarloGradient(o, logits, 'clip', eps);
  const unclipped = monteCarloGradient({ ...o, seed: o.seed + 1 }, logits, 'noclip', eps);
  const pass =
    clipped.every((c, j) => c.lo <= formula[j] && formula[j] <= c.hi) && unclipped.every((c) => c.lo <= 0 && 0 <= c.hi);
  return { formula, clipped, unclipped, ratios, mu, pass };
}

// ---------------------------------------------------------------------------------------------
// 4. ∇ρ = ρ·∇log π, symbolically

export interface SymbolicRatioReport {
  K: number;
  /** The symbolic derivative ∂ρ/∂θ_j for y = 0, as mathjs prints it. */
  exampleDerivatives: string[];
  /** Points × y × j comparisons made. */
  comparisons: number;
  maxRelErr: number;
  pass: boolean;
}

export function checkRatioGradientSymbolic(K = 3, points = 10, seed = 3, tolerance = 1e-9): SymbolicRatioReport {
  const vars = Array.from({ length: K }, (_, j) => `t${j}`);
  const z = vars.map((v) => `exp(${v})`).join(' + ');
  // ρ_y = π_θ(y) / π_old(y); π_old(y) enters as the constant c.
  const derivs = Array.from({ length: K }, (_, y) => {
    const ratio = parse(`(exp(t${y}) / (${z})) / c`);
    return vars.map((v) => derivative(ratio, v));
  });
  const compiled = derivs.map((row) => row.map((d) => d.compile()));
  const rng = new Rng(seed);
  let maxRelErr = 0;
  let comparisons = 0;
  for (let p = 0; p < points; p++) {
    const theta = vars.map(() => 2 * rng.normal());
    const thetaOld = vars.map(() => 2 * rng.normal());
    const pi = softmaxInto(theta, new Float64Array(K));
    const piOld = softmaxInto(thetaOld, new Float64Array(K));
    for (let y = 0; y < K; y++) {
      const scope: Record<string, number> = { c: piOld[y] };
      vars.forEach((v, j) => (scope[v] = theta[j]));
      const ratio = pi[y] / piOld[y];
      for (let j = 0; j < K; j++) {
        const symbolic = compiled[y][j].evaluate(scope) as number;
        const identity = ratio * ((j === y ? 1 : 0) - pi[j]);
        maxRelErr = Math.max(maxRelErr, Math.abs(symbolic - identity) / Math.max(1e-12, Math.abs(identity)));
        comparisons++;
      }
    }
  }
  return { K, exampleDerivatives: derivs[0].map((d) => d.toString()), comparisons, maxRelErr, pass: maxRelErr < tolerance };
}
