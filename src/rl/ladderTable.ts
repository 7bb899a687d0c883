/**
 * Reading the ladder (notebook 08): per cell and arm, the change in a metric from step 0 to a
 * budget point, mean ± sd over seeds; and the paired differences the hypotheses are judged on,
 * with a 95% t interval over seeds.
 */
import { LADDER_ARMS, LADDER_CELLS, LADDER_FAMILY, LADDER_SEEDS, LadderArm, LadderCell, LadderRow, decisiveCandidates, sizeCells, twinCell } from './ladder';
import { PairedStat, formatPaired, pairedDifference, pairedStat } from './stats';

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
  /** The family the cell ran on (the second size's cells name theirs). */
  family: string;
  lr: number;
  /** N; `at` is N or 2N. */
  budget: number;
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
        cell: cell.id, family: cell.family ?? LADDER_FAMILY, lr: cell.lr, budget: cell.budget, at,
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

/** Notebook 08's arm table, one display row per cell × budget point × arm. */
export function ladderArmTable(rows: readonly LadderRow[], cells: readonly LadderCell[] = LADDER_CELLS): Record<string, string | number>[] {
  return ladderArmRows(rows, cells).map((r) => ({
    cell: r.cell, at: r.at, arm: r.arm, n: r.n,
    'Δ greedy acc': formatPaired(r.acc), 'Δ greedy code': formatPaired(r.code), 'Δ sampled acc': formatPaired(r.sampled_acc),
    'Δ sampled code': formatPaired(r.sampled_code), 'Δ code-majority prompts': formatPaired(r.majority_code),
    updates: r.updates === null ? '—' : r.updates.toFixed(0), samples: r.samples ?? '—',
    'step code': r.step_code.length > 1 ? `${r.step_code.length} hashes: ${r.step_code.join(', ')}` : r.step_code[0] ?? '—',
  }));
}

/** Notebook 08's primary-endpoint table. */
export function ladderContrastTable(rows: readonly LadderRow[], cells: readonly LadderCell[] = LADDER_CELLS): Record<string, string | number>[] {
  return ladderContrasts(rows, cells).map((c) => ({
    cell: c.cell, at: c.at, n: c.clip_minus_null?.n ?? 0,
    'clip − matched null': formatPaired(c.clip_minus_null), 'clip − noclip': formatPaired(c.clip_minus_noclip),
    'Σ‖Δθ‖/‖θ‖ (clip)': c.update_rel_cum === null ? '—' : c.update_rel_cum.toFixed(3),
  }));
}

export interface DecisiveCell {
  /** The cell the rule picks; null until every candidate has its clip and null arms on seeds 101–103. */
  cell: string | null;
  /** Candidates still short of those seeds. */
  missing: string[];
  /** Each candidate's primary endpoint (mean over the seeds it has). */
  endpoints: { cell: string; lr: number; mean: number | null; n: number }[];
}

/**
 * The pre-registered decisive-cell rule: among the lr rungs and the paper rung (cells with a
 * matched null, 1x), the largest mean primary endpoint at N over seeds 101–103; a tie within 1
 * point goes to the lower lr.
 */
export function decisiveCell(rows: readonly LadderRow[], cells: readonly LadderCell[] = LADDER_CELLS, seeds: readonly number[] = LADDER_SEEDS): DecisiveCell {
  const screen = rows.filter((r) => seeds.includes(r.seed));
  const endpoints = decisiveCandidates(cells).map((c) => {
    const d = pairedDifference(changeBySeed(screen, c.id, 'random-clip', c.budget), changeBySeed(screen, c.id, 'matched-null', c.budget));
    return { cell: c.id, lr: c.lr, mean: d?.mean ?? null, n: d?.n ?? 0 };
  });
  const missing = endpoints.filter((e) => e.n < seeds.length).map((e) => e.cell);
  if (missing.length) return { cell: null, missing, endpoints };
  const best = Math.max(...endpoints.map((e) => e.mean!));
  const tied = endpoints.filter((e) => e.mean! >= best - 1).sort((a, b) => a.lr - b.lr);
  return { cell: tied[0].cell, missing, endpoints };
}

/** The size cells as the runs stand: SIZE_CELLS, plus the decisive cell's x4 twin once the rule has picked it. */
export function ladderSizeCells(rows: readonly LadderRow[]): LadderCell[] {
  return sizeCells(decisiveCell(rows).cell);
}

export interface SizeContrast {
  cell: string;
  twin: string;
  at: number;
  arm: LadderArm;
  /** Δ greedy accuracy on the sized model minus on the 1x model, paired by seed. */
  larger_minus_1x: PairedStat | null;
}

/** H7: for each size cell, arm and budget point, the sized model's Δ greedy accuracy minus its 1x twin cell's. */
export function sizeContrasts(rows: readonly LadderRow[], cells: readonly LadderCell[] = ladderSizeCells(rows)): SizeContrast[] {
  const out: SizeContrast[] = [];
  for (const cell of cells) {
    const twin = twinCell(cell);
    if (!twin) continue;
    for (const at of budgetPoints(cell)) {
      for (const arm of cell.arms ?? LADDER_ARMS) {
        const big = changeBySeed(rows, cell.id, arm, at);
        if (big.size === 0) continue;
        out.push({ cell: cell.id, twin: twin.id, at, arm, larger_minus_1x: pairedDifference(big, changeBySeed(rows, twin.id, arm, at)) });
      }
    }
  }
  return out;
}

/** Where a paired 95% interval lies: the words the verdicts use. */
export function intervalSide(p: PairedStat | null): 'above zero' | 'below zero' | 'covers zero' | 'no interval' {
  if (!p || p.lo === null || p.hi === null) return 'no interval';
  return p.lo > 0 ? 'above zero' : p.hi < 0 ? 'below zero' : 'covers zero';
}

export interface CellReading {
  cell: string;
  at: number;
  /** Seeds every arm of the cell has at this point. */
  seeds: number[];
  lines: string[];
}

const ARM_WORDS: Record<LadderArm, string> = { 'random-clip': 'random + clip', 'random-noclip': 'random + noclip', 'matched-null': 'matched null', 'ground-truth': 'ground truth' };

/**
 * Screen readings of every cell × budget point whose arms all have the screen seeds: each arm's Δ
 * greedy accuracy, the primary endpoint and clip − noclip with where their intervals lie, the greedy
 * code-share changes, and for a sized cell the paired comparison with its 1x twin. Computed so
 * notebook 08's interim text never quotes numbers from an older set of runs.
 */
export function cellReadings(rows: readonly LadderRow[], cells: readonly LadderCell[] = [...LADDER_CELLS, ...ladderSizeCells(rows)], seeds: readonly number[] = LADDER_SEEDS): CellReading[] {
  const screen = rows.filter((r) => seeds.includes(r.seed));
  const out: CellReading[] = [];
  for (const cell of cells) {
    const arms = cell.arms ?? LADDER_ARMS;
    for (const at of budgetPoints(cell)) {
      const by = new Map(arms.map((arm) => [arm, changeBySeed(screen, cell.id, arm, at)] as const));
      if (![...by.values()].every((m) => seeds.every((s) => m.has(s)))) continue;
      const lines = arms.map((arm) => `${ARM_WORDS[arm]}: ${formatPaired(statOf(by.get(arm)!))}, interval ${intervalSide(statOf(by.get(arm)!))}`);
      const clip = by.get('random-clip');
      for (const [other, name] of [['matched-null', 'clip − matched null (primary endpoint)'], ['random-noclip', 'clip − noclip']] as const) {
        const b = by.get(other);
        if (!clip || !b) continue;
        const d = pairedDifference(clip, b);
        lines.push(`${name}: ${formatPaired(d)}, interval ${intervalSide(d)}`);
      }
      const code = arms.filter((a) => a !== 'ground-truth').map((arm) => `${ARM_WORDS[arm]} ${formatPaired(statOf(changeBySeed(screen, cell.id, arm, at, 'code')))}`);
      lines.push(`greedy code share change: ${code.join('; ')}`);
      const twin = twinCell(cell);
      if (twin) {
        for (const arm of arms) {
          const d = pairedDifference(by.get(arm)!, changeBySeed(screen, twin.id, arm, at));
          lines.push(`${ARM_WORDS[arm]}, ${cell.id} − ${twin.id}: ${formatPaired(d)}, interval ${intervalSide(d)}`);
        }
      }
      out.push({ cell: cell.id, at, seeds: [...seeds], lines });
    }
  }
  return out;
}
