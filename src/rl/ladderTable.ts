/**
 * Reading the ladder (notebook 08): per cell and arm, the change in a metric from step 0 to a
 * budget point, mean ± sd over seeds; and the paired differences the hypotheses are judged on,
 * with a 95% t interval over seeds.
 */
import { LADDER_ARMS, LADDER_CELLS, LadderArm, LadderCell, LadderRow } from './ladder';
import { PairedStat, pairedDifference, pairedStat } from './stats';

export { t975, pairedStat, pairedDifference, detectableEffect, type PairedStat } from './stats';

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
