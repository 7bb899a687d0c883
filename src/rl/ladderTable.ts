/**
 * Reading the ladder (notebook 08): per cell and arm, the change in a metric from step 0 to a
 * budget point, mean ± sd over seeds; and the paired differences the hypotheses are judged on,
 * with a 95% t interval over seeds.
 */
import type { LadderArm, LadderRow } from './ladder';

/** Two-sided 95% Student-t quantiles t(0.975, df) for df = 1…30 (beyond: 1.96). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function t975(df: number): number {
  if (!(Number.isInteger(df) && df >= 1)) throw new Error(`t975: df must be a positive integer, got ${df}`);
  return df <= T975.length ? T975[df - 1] : 1.96;
}

export interface PairedStat {
  mean: number;
  sd: number;
  n: number;
  /** 95% t interval of the mean (null for n < 2). */
  lo: number | null;
  hi: number | null;
}

export function pairedStat(xs: readonly number[]): PairedStat | null {
  const n = xs.length;
  if (n === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const half = n > 1 ? (t975(n - 1) * sd) / Math.sqrt(n) : null;
  return { mean, sd, n, lo: half === null ? null : mean - half, hi: half === null ? null : mean + half };
}

/** Half-width of the paired 95% interval that n seeds give at a given sd of the differences: the smallest effect they resolve. */
export function detectableEffect(n: number, sd: number): number {
  return (t975(n - 1) * sd) / Math.sqrt(n);
}

export type LadderMetric = 'acc' | 'code' | 'sampled_acc' | 'sampled_code' | 'majority_code';

/** Change of `metric` (in points) from step 0 to the evaluation at `clipSteps` (the clip arm's step count), per seed. */
export function changeBySeed(rows: readonly LadderRow[], cell: string, arm: LadderArm, clipSteps: number, metric: LadderMetric = 'acc'): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rows.filter((x) => x.cell === cell && x.arm === arm)) {
    const start = r.points.find((p) => p.step === 0);
    const end = r.points.find((p) => p.clip_steps === clipSteps);
    const a = start?.[metric];
    const b = end?.[metric];
    if (typeof a === 'number' && typeof b === 'number') out.set(r.seed, 100 * (b - a));
  }
  return out;
}

/** Paired difference a − b over the seeds both arms finished. */
export function pairedDifference(a: Map<number, number>, b: Map<number, number>): PairedStat | null {
  return pairedStat([...a.keys()].filter((s) => b.has(s)).sort((x, y) => x - y).map((s) => a.get(s)! - b.get(s)!));
}
