/**
 * Reading the ladder (notebook 08): per cell and arm, the change in a metric from step 0 to a
 * budget point, mean ± sd over seeds; and the paired differences the hypotheses are judged on,
 * with a 95% t interval over seeds.
 */
import { LADDER_ARMS, LADDER_CELLS, LadderArm, LadderCell, LadderRow } from './ladder';

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

/** The budget points a cell is read at: N, and 2N where it ran that long. */
export function budgetPoints(cell: Pick<LadderCell, 'budget' | 'steps'>): number[] {
  return cell.steps >= 2 * cell.budget ? [cell.budget, 2 * cell.budget] : [cell.budget];
}

export interface LadderArmRow {
  cell: string;
  /** Clip-arm steps at this point (N or 2N). */
  at: number;
  arm: LadderArm;
  n: number;
  acc: PairedStat | null;
  code: PairedStat | null;
  sampled_acc: PairedStat | null;
  sampled_code: PairedStat | null;
  majority_code: PairedStat | null;
  /** Realised optimiser updates to the end of the run, mean over seeds (the null skips a group of equal rewards). */
  updates: number | null;
  samples: number | null;
  /** Distinct step-code hashes of the runs pooled here (more than one: the table says so). */
  step_code: (string | null)[];
}

function statOf(m: Map<number, number>): PairedStat | null {
  return pairedStat([...m.values()]);
}

/** Every finished cell × budget point × arm: changes from step 0 in points, mean ± sd and 95% interval over seeds. */
export function ladderArmRows(rows: readonly LadderRow[], cells: readonly LadderCell[] = LADDER_CELLS): LadderArmRow[] {
  const out: LadderArmRow[] = [];
  for (const cell of cells) {
    for (const at of budgetPoints(cell)) {
      for (const arm of cell.arms ?? LADDER_ARMS) {
        const mine = rows.filter((r) => r.cell === cell.id && r.arm === arm);
        if (mine.length === 0) continue;
        const ch = (m: LadderMetric) => statOf(changeBySeed(rows, cell.id, arm, at, m));
        const acc = ch('acc');
        out.push({
          cell: cell.id, at, arm, n: acc?.n ?? 0, acc, code: ch('code'), sampled_acc: ch('sampled_acc'), sampled_code: ch('sampled_code'), majority_code: ch('majority_code'),
          updates: mine.reduce((a, r) => a + r.updates, 0) / mine.length, samples: mine.reduce((a, r) => a + r.samples, 0) / mine.length,
          step_code: [...new Set(mine.flatMap((r) => r.step_code))],
        });
      }
    }
  }
  return out;
}

export interface LadderContrast {
  cell: string;
  at: number;
  /** The primary endpoint: Δ greedy accuracy of random + clip minus the matched null, paired by seed. */
  clip_minus_null: PairedStat | null;
  clip_minus_noclip: PairedStat | null;
  /** Mean over seeds of the clip arm's cumulative relative update size at this point. */
  update_rel_cum: number | null;
}

export function ladderContrasts(rows: readonly LadderRow[], cells: readonly LadderCell[] = LADDER_CELLS): LadderContrast[] {
  const out: LadderContrast[] = [];
  for (const cell of cells) {
    if (cell.arms && !cell.arms.includes('matched-null')) continue;
    for (const at of budgetPoints(cell)) {
      const clip = changeBySeed(rows, cell.id, 'random-clip', at);
      if (clip.size === 0) continue;
      const sizes = rows.filter((r) => r.cell === cell.id && r.arm === 'random-clip').map((r) => r.points.find((p) => p.clip_steps === at)?.update_rel_cum).filter((x): x is number => typeof x === 'number');
      out.push({
        cell: cell.id, at,
        clip_minus_null: pairedDifference(clip, changeBySeed(rows, cell.id, 'matched-null', at)),
        clip_minus_noclip: pairedDifference(clip, changeBySeed(rows, cell.id, 'random-noclip', at)),
        update_rel_cum: sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : null,
      });
    }
  }
  return out;
}

/** Adam's factor a = measured ‖Δθ‖/‖θ‖ per update ÷ (lr / rms(θ)), from the clip arms' runs (mean over runs). */
export function measuredAdamFactor(rows: readonly LadderRow[], weightRms: number): number | null {
  // The last evaluation is at the run's last step, where update_rel_cum covers every realised update.
  const xs = rows.filter((r) => r.arm === 'random-clip' && r.updates > 0).flatMap((r) => {
    const end = r.points[r.points.length - 1]?.update_rel_cum;
    return typeof end === 'number' ? [end / (r.updates * (r.lr / weightRms))] : [];
  });
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}
