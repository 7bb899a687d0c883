/**
 * The statistics every stand-in comparison is reported with: mean ± sd over seeds, n, and for a
 * difference of two arms a paired 95% Student-t interval over the seeds both arms ran.
 */

export interface MeanSd {
  mean: number;
  sd: number;
  n: number;
}

/** Mean and sample standard deviation (sd = 0 for a single value). */
export function meanSd(xs: readonly number[]): MeanSd {
  const n = xs.length;
  if (n === 0) return { mean: NaN, sd: NaN, n };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}

/** Two-sided 95% Student-t quantiles t(0.975, df) for df = 1…30 (beyond: 1.96). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function t975(df: number): number {
  if (!(Number.isInteger(df) && df >= 1)) throw new Error(`t975: df must be a positive integer, got ${df}`);
  return df <= T975.length ? T975[df - 1] : 1.96;
}

export interface PairedStat extends MeanSd {
  /** 95% t interval of the mean (null for n < 2). */
  lo: number | null;
  hi: number | null;
}

/** Mean ± sd and the 95% t interval of per-seed values (for a paired comparison: the per-seed differences). */
export function pairedStat(xs: readonly number[]): PairedStat | null {
  if (xs.length === 0) return null;
  const m = meanSd(xs);
  const half = m.n > 1 ? (t975(m.n - 1) * m.sd) / Math.sqrt(m.n) : null;
  return { ...m, lo: half === null ? null : m.mean - half, hi: half === null ? null : m.mean + half };
}

/** Paired difference a − b over the seeds both arms have (seed → value maps). */
export function pairedDifference(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): PairedStat | null {
  return pairedStat([...a.keys()].filter((s) => b.has(s)).sort((x, y) => x - y).map((s) => a.get(s)! - b.get(s)!));
}

/** Half-width of the paired 95% interval that n seeds give at a given sd of the differences: the smallest effect they resolve. */
export function detectableEffect(n: number, sd: number): number {
  return (t975(n - 1) * sd) / Math.sqrt(n);
}

const signed = (x: number, digits: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;

/** "−8.3 ± 2.1 (n 3)". */
export function formatMeanSd(m: MeanSd | null, digits = 1): string {
  if (!m || m.n === 0) return '—';
  return `${signed(m.mean, digits)} ± ${m.sd.toFixed(digits)} (n ${m.n})`;
}

/** "−8.3 ± 2.1 (n 3; 95% −13.5 to −3.1)": a paired difference as every comparison is reported. */
export function formatPaired(p: PairedStat | null, digits = 1): string {
  if (!p) return '—';
  const ci = p.lo === null || p.hi === null ? '; no interval at n 1' : `; 95% ${signed(p.lo, digits)} to ${signed(p.hi, digits)}`;
  return `${signed(p.mean, digits)} ± ${p.sd.toFixed(digits)} (n ${p.n}${ci})`;
}
