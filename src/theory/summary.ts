/**
 * Summaries of many seeded runs: a mean with a 95% confidence interval, a proportion with a
 * Wilson interval, and the three numbers the clipping-bias argument is about.
 * Normal-approximation intervals: fine for the ≥ 50 seeds these are meant for.
 */
import type { ClipSimResult } from './simulate';

export const Z95 = 1.959963984540054;

export interface MeanCI {
  mean: number;
  /** Standard error of the mean (sample sd / √n). */
  se: number;
  lo: number;
  hi: number;
  n: number;
}

export function meanCI(values: ArrayLike<number>, z = Z95): MeanCI {
  const n = values.length;
  if (n === 0) throw new Error('meanCI: no values');
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Infinity;
  return { mean, se, lo: mean - z * se, hi: mean + z * se, n };
}

export interface ProportionCI {
  p: number;
  lo: number;
  hi: number;
  n: number;
}

/** Wilson score interval for k successes out of n. */
export function proportionCI(k: number, n: number, z = Z95): ProportionCI {
  if (n === 0) throw new Error('proportionCI: n = 0');
  const p = k / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { p, lo: centre - half, hi: centre + half, n };
}

/** Column t of a seeds × (T+1) trajectory matrix. */
export function column(traj: Float64Array, seeds: number, t: number): Float64Array {
  const width = traj.length / seeds;
  if (!Number.isInteger(width) || t < 0 || t >= width) throw new Error(`column: t=${t} outside 0..${width - 1}`);
  const out = new Float64Array(seeds);
  for (let s = 0; s < seeds; s++) out[s] = traj[s * width + t];
  return out;
}

/** Mean over seeds at every step t = 0..T (for plotting). */
export function meanTrajectory(traj: Float64Array, seeds: number): Float64Array {
  const width = traj.length / seeds;
  const out = new Float64Array(width);
  for (let s = 0; s < seeds; s++) for (let t = 0; t < width; t++) out[t] += traj[s * width + t] / seeds;
  return out;
}

export interface ClipSimSummary {
  /** π_0(majority). */
  p0: number;
  /** π_T(majority) across seeds. */
  pT: MeanCI;
  /** Change of the centred majority logit, θ_T − θ_0 (the martingale quantity under noclip, k = 1). */
  logitChange: MeanCI;
  /** Fraction of seeds whose final argmax is still the initial majority. */
  majorityWins: ProportionCI;
  /** H(π_0) − H(π_T), nats. Positive = the policy concentrated. */
  entropyDrop: MeanCI;
  /** Tail mass at T minus at 0 (negative = the tail was pushed down). */
  tailMassChange: MeanCI;
  /** Change of the tail behaviours' mean centred logit (NaN without a tail). */
  tailLogitChange: MeanCI;
  /** Mean sign-aware clip fractions over runs. */
  clipFracHigh: number;
  clipFracLow: number;
}

export function summariseClipSim(r: ClipSimResult): ClipSimSummary {
  const { seeds, steps: T } = r.config;
  const K = r.config.prior.length;
  let wins = 0;
  for (let s = 0; s < seeds; s++) {
    let best = 0;
    for (let j = 1; j < K; j++) if (r.finalProbs[s * K + j] > r.finalProbs[s * K + best]) best = j;
    if (best === r.majority) wins++;
  }
  const h0 = column(r.entropy, seeds, 0);
  const hT = column(r.entropy, seeds, T);
  const t0 = column(r.tailMass, seeds, 0);
  const tT = column(r.tailMass, seeds, T);
  return {
    p0: r.config.prior[r.majority],
    pT: meanCI(column(r.majorityProb, seeds, T)),
    logitChange: meanCI(column(r.majorityLogit, seeds, T).map((x, s) => x - r.majorityLogit[s * (T + 1)])),
    majorityWins: proportionCI(wins, seeds),
    entropyDrop: meanCI(h0.map((h, s) => h - hT[s])),
    tailMassChange: meanCI(tT.map((m, s) => m - t0[s])),
    tailLogitChange: meanCI(column(r.tailLogit, seeds, T).map((x, s) => x - r.tailLogit[s * (T + 1)])),
    clipFracHigh: meanCI(r.clipFracHigh).mean,
    clipFracLow: meanCI(r.clipFracLow).mean,
  };
}

// Per-step statistics of trajectories (what the trajectory figures draw)

export interface TrajectoryBand {
  t: number[];
  mean: number[];
  lo: number[];
  hi: number[];
}

/**
 * Mean and 95% CI over seeds at every step of a seeds × (T+1) trajectory. `relative` subtracts
 * each run's own value at t = 0 first (for the centred logit, whose level is arbitrary).
 */
export function trajectoryBand(traj: Float64Array, seeds: number, relative = false): TrajectoryBand {
  if (seeds < 2) throw new Error(`trajectoryBand: need ≥ 2 seeds for an interval, got ${seeds}`);
  const width = traj.length / seeds;
  const start = column(traj, seeds, 0);
  const out: TrajectoryBand = { t: [], mean: [], lo: [], hi: [] };
  for (let t = 0; t < width; t++) {
    const col = column(traj, seeds, t);
    if (relative) for (let s = 0; s < seeds; s++) col[s] -= start[s];
    const m = meanCI(col);
    out.t.push(t);
    out.mean.push(m.mean);
    out.lo.push(m.lo);
    out.hi.push(m.hi);
  }
  return out;
}

/** Trajectory of run `seed` (0-based row), optionally relative to its start. */
export function runTrajectory(traj: Float64Array, seeds: number, seed: number, relative = false): number[] {
  const width = traj.length / seeds;
  const row = Array.from(traj.subarray(seed * width, (seed + 1) * width));
  return relative ? row.map((v) => v - row[0]) : row;
}

/**
 * Per behaviour j: change of the centred logit θ_T(j) − mean θ_T − (θ_0(j) − mean θ_0), mean and
 * 95% CI over seeds. Computed from the final probabilities (log π is θ up to a shift, and the
 * centring removes the shift); π is floored at 1e-300 so a vanished behaviour stays finite.
 */
export function behaviourLogitChanges(r: ClipSimResult): MeanCI[] {
  const K = r.config.prior.length;
  const { seeds } = r.config;
  const centred = (logs: number[]): number[] => {
    const m = logs.reduce((a, b) => a + b, 0) / logs.length;
    return logs.map((l) => l - m);
  };
  const start = centred(r.config.prior.map(Math.log));
  const changes = Array.from({ length: K }, () => new Float64Array(seeds));
  for (let s = 0; s < seeds; s++) {
    const end = centred(Array.from(r.finalProbs.subarray(s * K, (s + 1) * K), (p) => Math.log(Math.max(p, 1e-300))));
    for (let j = 0; j < K; j++) changes[j][s] = end[j] - start[j];
  }
  return changes.map((c) => meanCI(c));
}
