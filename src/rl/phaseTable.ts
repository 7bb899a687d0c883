/**
 * Reading the phase map: per cell, each arm's changes (mean ± sd over seeds) and the paired
 * differences that the hypotheses are judged on — random(0.5) with the clip minus the same seeds
 * without it, and minus the RLOO null. Differences are taken seed by seed, then averaged.
 */
import type { RunSummary } from './run';

/** One row of results/phase/summary.json: the `full` summary fields plus the phase map's. */
export interface PhaseSummary extends RunSummary {
  /** `<cell>__<run id>`, as the run's folder is named. */
  run_id: string;
  cell: string;
  axis: string;
  rollouts_per_step: number;
  lr: number;
  epsilon: number;
  sampled_acc_start: number | null;
  sampled_acc_end: number | null;
  sampled_code_start: number | null;
  sampled_code_end: number | null;
  majority_code_prompts_start: number | null;
  majority_code_prompts_end: number | null;
  pass_at_k_start: number | null;
  pass_at_k_end: number | null;
  /** Per-prompt code counts (of probe_k) on the probe set at the first and last evaluation. */
  probe_k: number | null;
  code_counts_start: number[] | null;
  code_counts_end: number[] | null;
  /** Greedy answer-parse rate (a stated answer the verifier reads) at the first and last evaluation; null in logs written before it was logged. */
  parsed_start: number | null;
  parsed_end: number | null;
  /** Mean seconds per GRPO step (sampling + training), evaluation excluded. */
  step_s: number | null;
  /** Mean token entropy of the rollouts over the first and the last three steps (nats). */
  entropy_start: number | null;
  entropy_end: number | null;
  /** Mean fraction of computed response tokens clipped per step (high + low). */
  clip_frac: number | null;
}


export interface Spread {
  mean: number;
  sd: number;
  n: number;
}

export function spread(xs: readonly number[]): Spread | null {
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd, n: xs.length };
}

/** The metrics a run changes, start → end. */
export const PHASE_METRICS = {
  /** Greedy accuracy (evalProblems test problems). */
  acc: (r: PhaseSummary) => delta(r.acc_start, r.acc_end),
  /** Greedy code frequency. */
  code: (r: PhaseSummary) => delta(r.code_start, r.code_end),
  /** Sampled accuracy on the probe set (avg@k, τ = 1). */
  sampled_acc: (r: PhaseSummary) => delta(r.sampled_acc_start, r.sampled_acc_end),
  /** Sampled code share on the probe set. */
  sampled_code: (r: PhaseSummary) => delta(r.sampled_code_start, r.sampled_code_end),
  /** Share of probe prompts whose code share is above 0.5. */
  majority_code: (r: PhaseSummary) => delta(r.majority_code_prompts_start, r.majority_code_prompts_end),
  /** pass@k on the probe set. */
  pass_at_k: (r: PhaseSummary) => delta(r.pass_at_k_start, r.pass_at_k_end),
  /** Greedy answer-parse rate (H5); null for runs logged before it existed. */
  parsed: (r: PhaseSummary) => delta(r.parsed_start ?? null, r.parsed_end ?? null),
  /** Rollout token entropy, last three steps minus first three (nats, not a fraction). */
  entropy: (r: PhaseSummary) => delta(r.entropy_start ?? null, r.entropy_end ?? null),
} as const;
export type PhaseMetric = keyof typeof PHASE_METRICS;

function delta(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : b - a;
}

export type PhaseArm = 'random/clip' | 'random/noclip' | 'random/rloo' | 'ground-truth/clip';
export const ARM_NAMES: readonly PhaseArm[] = ['random/clip', 'random/noclip', 'random/rloo', 'ground-truth/clip'];

export function armOf(r: Pick<PhaseSummary, 'reward' | 'clip_mode'>): string {
  return `${r.reward}/${r.clip_mode}`;
}

export interface PhaseCellRow {
  cell: string;
  axis: string;
  family: string;
  epsilon: number;
  lr: number;
  rollouts_per_step: number;
  steps: number;
  /** Seeds with every random arm finished (the paired seeds). */
  paired_seeds: number;
  /** Per arm, the metric's change (mean ± sd over that arm's seeds). */
  arms: Partial<Record<PhaseArm, Spread | null>>;
  /** Paired differences of the metric's change, seed by seed. */
  clip_minus_noclip: Spread | null;
  clip_minus_rloo: Spread | null;
  /** Mean step cost of the cell's random/clip runs, seconds. */
  step_s: number | null;
}

/** One row per cell (in first-seen order) for one metric. */
export function phaseCellRows(rows: readonly PhaseSummary[], metric: PhaseMetric = 'acc'): PhaseCellRow[] {
  const f = PHASE_METRICS[metric];
  const cells = [...new Set(rows.map((r) => r.cell))];
  return cells.map((cell) => {
    const mine = rows.filter((r) => r.cell === cell);
    const bySeed = (arm: PhaseArm) => new Map(mine.filter((r) => armOf(r) === arm).map((r) => [r.seed, f(r)] as const));
    const arms: Partial<Record<PhaseArm, Spread | null>> = {};
    for (const arm of ARM_NAMES) arms[arm] = spread([...bySeed(arm).values()].filter((x): x is number => x !== null));
    const clip = bySeed('random/clip');
    const paired = (other: PhaseArm) => {
      const o = bySeed(other);
      const diffs: number[] = [];
      for (const [seed, v] of clip) { const w = o.get(seed); if (v !== null && w !== undefined && w !== null) diffs.push(v - w); }
      return spread(diffs);
    };
    const noclip = bySeed('random/noclip');
    const rloo = bySeed('random/rloo');
    const first = mine[0];
    const clipRuns = mine.filter((r) => armOf(r) === 'random/clip' && r.step_s !== null);
    return {
      cell, axis: first.axis, family: first.family, epsilon: first.epsilon, lr: first.lr, rollouts_per_step: first.rollouts_per_step, steps: first.steps,
      paired_seeds: [...clip.keys()].filter((s) => noclip.has(s) && rloo.has(s)).length,
      arms,
      clip_minus_noclip: paired('random/noclip'),
      clip_minus_rloo: paired('random/rloo'),
      step_s: clipRuns.length ? clipRuns.reduce((a, r) => a + r.step_s!, 0) / clipRuns.length : null,
    };
  });
}

/** "+1.2 ± 0.8" in points (×100), or '—'. */
export function fmtPoints(s: Spread | null | undefined): string {
  if (!s) return '—';
  const p = (x: number) => (100 * x).toFixed(1);
  return `${s.mean >= 0 ? '+' : ''}${p(s.mean)} ± ${p(s.sd)}`;
}

/** The table the notebook prints and the closing note quotes: one line per cell. */
export function phaseTableRows(rows: readonly PhaseSummary[], metric: PhaseMetric = 'acc'): Record<string, string | number>[] {
  return phaseCellRows(rows, metric).map((c) => ({
    cell: c.cell,
    family: c.family,
    'ε': c.epsilon,
    'rollouts/step': c.rollouts_per_step,
    seeds: c.paired_seeds,
    'random clip': fmtPoints(c.arms['random/clip']),
    'random noclip': fmtPoints(c.arms['random/noclip']),
    'random rloo': fmtPoints(c.arms['random/rloo']),
    'ground truth': fmtPoints(c.arms['ground-truth/clip']),
    'clip − noclip': fmtPoints(c.clip_minus_noclip),
    'clip − rloo': fmtPoints(c.clip_minus_rloo),
    's/step': c.step_s === null ? '—' : +c.step_s.toFixed(2),
  }));
}

/** Mean histogram of per-prompt code counts (0..k) at the start or end, over the runs given. */
export function meanCodeHistogram(rows: readonly PhaseSummary[], when: 'start' | 'end'): number[] | null {
  const hs = rows.map((r) => (when === 'start' ? r.code_counts_start : r.code_counts_end)).filter((c): c is number[] => c !== null);
  const k = rows.find((r) => r.probe_k !== null)?.probe_k;
  if (!hs.length || !k) return null;
  const bins = new Array<number>(k + 1).fill(0);
  for (const h of hs) for (const c of h) bins[c] += 1 / hs.length;
  return bins;
}

/**
 * One cell arm by arm (every reward × clip mode it ran, e.g. the format cell's format reward):
 * seeds, and for greedy accuracy, parse rate and sampled code share the start, the end and the
 * change (mean ± sd over seeds), in points.
 */
export function cellArmRows(rows: readonly PhaseSummary[], cell: string): Record<string, string | number>[] {
  const mine = rows.filter((r) => r.cell === cell);
  const arms = [...new Set(mine.map(armOf))];
  const avg = (xs: readonly (number | null | undefined)[]) => {
    const v = xs.filter((x): x is number => typeof x === 'number');
    return v.length ? (100 * v.reduce((a, b) => a + b, 0) / v.length).toFixed(1) : '—';
  };
  return arms.map((arm) => {
    const rs = mine.filter((r) => armOf(r) === arm);
    const change = (m: PhaseMetric) => fmtPoints(spread(rs.map(PHASE_METRICS[m]).filter((x): x is number => x !== null)));
    return {
      arm,
      seeds: rs.length,
      'acc start → end': `${avg(rs.map((r) => r.acc_start))} → ${avg(rs.map((r) => r.acc_end))}`,
      'Δ acc': change('acc'),
      'parsed start → end': `${avg(rs.map((r) => r.parsed_start))} → ${avg(rs.map((r) => r.parsed_end))}`,
      'Δ parsed': change('parsed'),
      'sampled code start → end': `${avg(rs.map((r) => r.sampled_code_start))} → ${avg(rs.map((r) => r.sampled_code_end))}`,
    };
  });
}
