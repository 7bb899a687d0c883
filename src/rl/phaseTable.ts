/**
 * Reading the phase map: per cell, each arm's changes (mean ± sd over seeds, n per arm) and the
 * paired differences that the hypotheses are judged on — random(0.5) with the clip minus the same
 * seeds without it, and minus the RLOO null — with their paired 95% t interval (src/rl/stats.ts).
 * Differences are taken seed by seed, then averaged. Also which runs of one cell are the same
 * trajectory as another cell's (an arm that ignores the parameter the cells differ in), so that a
 * verdict does not count them twice.
 */
import type { StepLog } from './log';
import type { RunSummary } from './run';
import { MeanSd, PairedStat, formatMeanSd, formatPaired, meanSd, pairedDifference, pairedStat } from './stats';

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


/** Mean ± sd over seeds and n (the stats module's MeanSd). */
export type Spread = MeanSd;

/** Mean and sample sd, or null for no values. */
export function spread(xs: readonly number[]): Spread | null {
  return xs.length === 0 ? null : meanSd(xs);
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

/** Short arm names for table cells. */
const ARM_SHORT: Record<string, string> = { 'random/clip': 'clip', 'random/noclip': 'noclip', 'random/rloo': 'RLOO', 'ground-truth/clip': 'GT', 'format/clip': 'format' };

/** What a run's log says beyond its summary (phase.ts → loadPhaseRunFacts reads them from the logs). */
export interface PhaseRunFacts {
  /** Optimiser updates the run made (the sum of its log's per-step counts). */
  updates: number;
  /** One fingerprint per GRPO step 1..N of what the step sampled and how it was rewarded (stepFingerprint). */
  trajectory: readonly string[];
}

/**
 * A step's rollouts in five numbers: their mean reward, code, boxed and correct shares and mean
 * length. Two runs whose fingerprints agree at every step sampled the same rollouts and drew the
 * same rewards (the seed fixes both), so they are one trajectory, not two.
 */
export function stepFingerprint(r: Pick<StepLog, 'reward_mean' | 'rollout_code' | 'rollout_boxed' | 'rollout_acc' | 'response_length'>): string {
  return [r.reward_mean, r.rollout_code, r.rollout_boxed, r.rollout_acc, r.response_length].join('|');
}

/** 'same': the same steps; 'continues': the run goes on past the other's last step; 'prefix': it stops before the other's. */
export type SharedRelation = 'same' | 'continues' | 'prefix';

export interface SharedRun {
  run_id: string;
  cell: string;
  arm: string;
  seed: number;
  steps: number;
  /** The earlier cell whose run of the same family, arm and seed agrees with this one at every step both ran. */
  other_cell: string;
  other_run_id: string;
  other_steps: number;
  relation: SharedRelation;
}

/**
 * Every run that is (the start of, or a continuation of) a run of an earlier cell — earlier in the
 * rows' order — with the same family, reward, arm and seed: fingerprints equal at every step both
 * ran. One entry per such pair. Runs without facts are skipped.
 */
export function sharedRuns(rows: readonly PhaseSummary[], facts: ReadonlyMap<string, PhaseRunFacts>): SharedRun[] {
  const cellOrder = [...new Set(rows.map((r) => r.cell))];
  const out: SharedRun[] = [];
  for (const r of rows) {
    const fr = facts.get(r.run_id);
    if (!fr || fr.trajectory.length === 0) continue;
    for (const q of rows) {
      if (cellOrder.indexOf(q.cell) >= cellOrder.indexOf(r.cell)) continue;
      if (q.family !== r.family || armOf(q) !== armOf(r) || q.gamma !== r.gamma || q.seed !== r.seed) continue;
      const fq = facts.get(q.run_id);
      if (!fq || fq.trajectory.length === 0) continue;
      const common = Math.min(fr.trajectory.length, fq.trajectory.length);
      let same = true;
      for (let i = 0; i < common && same; i++) same = fr.trajectory[i] === fq.trajectory[i];
      if (!same) continue;
      const relation: SharedRelation = fr.trajectory.length === fq.trajectory.length ? 'same' : fr.trajectory.length > fq.trajectory.length ? 'continues' : 'prefix';
      out.push({ run_id: r.run_id, cell: r.cell, arm: armOf(r), seed: r.seed, steps: fr.trajectory.length, other_cell: q.cell, other_run_id: q.run_id, other_steps: fq.trajectory.length, relation });
    }
  }
  return out;
}

export interface SharedArmNote {
  cell: string;
  arm: string;
  /** The seeds of this arm whose runs share the other cell's trajectory, and how many seeds the arm has. */
  seeds: number[];
  of: number;
  other_cell: string;
  relation: SharedRelation;
  /** Steps both ran (the shared part). */
  common_steps: number;
}

/**
 * Per cell and arm, the earlier cell its runs share a trajectory with: for each run the best match
 * (the same steps before a continuation, then the earliest cell), grouped by that cell.
 */
export function sharedArmNotes(rows: readonly PhaseSummary[], facts: ReadonlyMap<string, PhaseRunFacts>): SharedArmNote[] {
  const rank: Record<SharedRelation, number> = { same: 0, continues: 1, prefix: 2 };
  const cellOrder = [...new Set(rows.map((r) => r.cell))];
  const best = new Map<string, SharedRun>();
  for (const s of sharedRuns(rows, facts)) {
    const b = best.get(s.run_id);
    if (!b || rank[s.relation] < rank[b.relation] || (rank[s.relation] === rank[b.relation] && cellOrder.indexOf(s.other_cell) < cellOrder.indexOf(b.other_cell))) best.set(s.run_id, s);
  }
  const out: SharedArmNote[] = [];
  for (const cell of cellOrder) {
    const mine = rows.filter((r) => r.cell === cell);
    for (const arm of [...new Set(mine.map(armOf))]) {
      const runs = mine.filter((r) => armOf(r) === arm);
      const groups = new Map<string, SharedArmNote>();
      for (const r of runs) {
        const b = best.get(r.run_id);
        if (!b) continue;
        const key = `${b.other_cell}|${b.relation}|${Math.min(b.steps, b.other_steps)}`;
        const g = groups.get(key) ?? { cell, arm, seeds: [], of: runs.length, other_cell: b.other_cell, relation: b.relation, common_steps: Math.min(b.steps, b.other_steps) };
        g.seeds.push(r.seed);
        groups.set(key, g);
      }
      for (const g of groups.values()) out.push({ ...g, seeds: [...g.seeds].sort((a, b) => a - b) });
    }
  }
  return out;
}

const seedList = (seeds: readonly number[]): string => {
  const s = [...seeds].sort((a, b) => a - b);
  const run = s.every((x, i) => i === 0 || x === s[i - 1] + 1);
  return s.length > 2 && run ? `s${s[0]}–${s[s.length - 1]}` : s.map((x) => `s${x}`).join(', ');
};

/** One cell's shared runs in words, e.g. "noclip, RLOO: the same runs as centre's"; '' when it has none. */
export function sharedNoteText(notes: readonly SharedArmNote[], armsInCell: number): string {
  const groups = new Map<string, { arms: string[]; n: SharedArmNote }>();
  for (const n of notes) {
    const all = n.seeds.length === n.of;
    const key = `${n.other_cell}|${n.relation}|${n.common_steps}|${all ? 'all' : n.seeds.join(',')}`;
    const g = groups.get(key) ?? { arms: [], n };
    g.arms.push(ARM_SHORT[n.arm] ?? n.arm);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ arms, n }) => {
    const who = `${arms.length === armsInCell ? 'all arms' : arms.join(', ')}${n.seeds.length === n.of ? '' : ` ${seedList(n.seeds)}`}`;
    const what = n.relation === 'same' ? `the same runs as ${n.other_cell}'s`
      : n.relation === 'continues' ? `continue ${n.other_cell}'s runs (identical through step ${n.common_steps})`
        : `are the first ${n.common_steps} steps of ${n.other_cell}'s runs`;
    return `${who}: ${what}`;
  }).join('; ');
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
  /** Per arm, the metric's change: mean ± sd, n and the 95% t interval over that arm's seeds. */
  arms: Partial<Record<PhaseArm, PairedStat | null>>;
  /** Paired differences of the metric's change, seed by seed: mean ± sd, n and the paired 95% t interval. */
  clip_minus_noclip: PairedStat | null;
  clip_minus_rloo: PairedStat | null;
  /** Per arm, the mean optimiser updates of its runs (from the logs; empty without facts). */
  updates: Partial<Record<PhaseArm, number>>;
  /** The cell's runs that are another cell's trajectory, in words ('' without facts or when none). */
  shared: string;
  /** Mean step cost of the cell's random/clip runs, seconds. */
  step_s: number | null;
}

/** One row per cell (in first-seen order) for one metric; `facts` (the logs) add update counts and shared runs. */
export function phaseCellRows(rows: readonly PhaseSummary[], metric: PhaseMetric = 'acc', facts?: ReadonlyMap<string, PhaseRunFacts>): PhaseCellRow[] {
  const f = PHASE_METRICS[metric];
  const cells = [...new Set(rows.map((r) => r.cell))];
  const notes = facts ? sharedArmNotes(rows, facts) : [];
  return cells.map((cell) => {
    const mine = rows.filter((r) => r.cell === cell);
    const bySeed = (arm: PhaseArm) => {
      const m = new Map<number, number>();
      for (const r of mine) { const v = armOf(r) === arm ? f(r) : null; if (v !== null) m.set(r.seed, v); }
      return m;
    };
    const arms: Partial<Record<PhaseArm, PairedStat | null>> = {};
    const updates: Partial<Record<PhaseArm, number>> = {};
    for (const arm of ARM_NAMES) {
      arms[arm] = pairedStat([...bySeed(arm).values()]);
      const u = mine.filter((r) => armOf(r) === arm).map((r) => facts?.get(r.run_id)?.updates).filter((x): x is number => typeof x === 'number');
      if (u.length) updates[arm] = u.reduce((a, b) => a + b, 0) / u.length;
    }
    const clip = bySeed('random/clip');
    const noclip = new Set(mine.filter((r) => armOf(r) === 'random/noclip').map((r) => r.seed));
    const rloo = new Set(mine.filter((r) => armOf(r) === 'random/rloo').map((r) => r.seed));
    const first = mine[0];
    const clipRuns = mine.filter((r) => armOf(r) === 'random/clip' && r.step_s !== null);
    return {
      cell, axis: first.axis, family: first.family, epsilon: first.epsilon, lr: first.lr, rollouts_per_step: first.rollouts_per_step, steps: first.steps,
      paired_seeds: [...new Set(mine.filter((r) => armOf(r) === 'random/clip').map((r) => r.seed))].filter((s) => noclip.has(s) && rloo.has(s)).length,
      arms,
      clip_minus_noclip: pairedDifference(clip, bySeed('random/noclip')),
      clip_minus_rloo: pairedDifference(clip, bySeed('random/rloo')),
      updates,
      shared: sharedNoteText(notes.filter((n) => n.cell === cell), new Set(mine.map(armOf)).size),
      step_s: clipRuns.length ? clipRuns.reduce((a, r) => a + r.step_s!, 0) / clipRuns.length : null,
    };
  });
}

/** A statistic of fractions in points (×100): mean, sd and interval scale, n does not. */
export function phasePoints<T extends MeanSd>(s: T | null | undefined): T | null {
  if (!s) return null;
  const o = { ...s } as T & { lo?: number | null; hi?: number | null };
  o.mean = 100 * s.mean;
  o.sd = 100 * s.sd;
  if (typeof o.lo === 'number') o.lo = 100 * o.lo;
  if (typeof o.hi === 'number') o.hi = 100 * o.hi;
  return o;
}

/** "+1.2 ± 0.8" in points (×100), or '—' (no n; the tables use phaseArmText and phaseDiffText). */
export function fmtPoints(s: Spread | null | undefined): string {
  if (!s) return '—';
  const p = (x: number) => (100 * x).toFixed(1);
  return `${s.mean >= 0 ? '+' : ''}${p(s.mean)} ± ${p(s.sd)}`;
}

/** An arm's change in points: "−17.0 ± 5.1 (n 3)". */
export const phaseArmText = (s: MeanSd | null | undefined): string => formatMeanSd(phasePoints(s ?? null));
/** A paired difference in points: "+8.5 ± 5.8 (n 3; 95% −6.0 to +23.0)". */
export const phaseDiffText = (p: PairedStat | null | undefined): string => formatPaired(phasePoints(p ?? null));

/** Where a paired interval lies: 'above 0', 'below 0', 'includes 0', or 'no interval' (n < 2 or no pairs). */
export function phaseIntervalSide(p: PairedStat | null | undefined): 'above 0' | 'below 0' | 'includes 0' | 'no interval' {
  if (!p || p.lo === null || p.hi === null) return 'no interval';
  return p.lo > 0 ? 'above 0' : p.hi < 0 ? 'below 0' : 'includes 0';
}

/**
 * The table the notebook prints and the closing note quotes: one line per cell, each arm's change
 * and the two paired differences, in points, as mean ± sd (n; 95% t interval). An arm's change is
 * end − start of one run, so its interval is the paired one over its seeds too.
 */
export function phaseTableRows(rows: readonly PhaseSummary[], metric: PhaseMetric = 'acc'): Record<string, string | number>[] {
  return phaseCellRows(rows, metric).map((c) => ({
    cell: c.cell,
    'ε': c.epsilon,
    'random clip': phaseDiffText(c.arms['random/clip']),
    'random noclip': phaseDiffText(c.arms['random/noclip']),
    'random rloo': phaseDiffText(c.arms['random/rloo']),
    'ground truth': phaseDiffText(c.arms['ground-truth/clip']),
    'clip − noclip (paired)': phaseDiffText(c.clip_minus_noclip),
    'clip − rloo (paired)': phaseDiffText(c.clip_minus_rloo),
  }));
}

/** Mean over runs of the fraction of computed tokens clipped per step (high + low), in %, 3 digits. */
const clipPct = (runs: readonly PhaseSummary[]): string => {
  const v = runs.map((r) => r.clip_frac).filter((x): x is number => typeof x === 'number');
  return v.length ? (100 * v.reduce((a, b) => a + b, 0) / v.length).toFixed(3) : '—';
};

/**
 * What each cell is, once: its settings, n per arm, the updates each arm made (the RLOO null makes
 * one per step), how much the clip arm clips, which of its runs are another cell's trajectory, and
 * the clip arm's step cost.
 */
export function phaseCellInfoRows(rows: readonly PhaseSummary[], facts?: ReadonlyMap<string, PhaseRunFacts>): Record<string, string | number>[] {
  const arms = ARM_NAMES;
  return phaseCellRows(rows, 'acc', facts).map((c) => ({
    cell: c.cell,
    family: c.family,
    'ε': c.epsilon,
    lr: c.lr,
    'rollouts/step': c.rollouts_per_step,
    steps: c.steps,
    'n: clip · noclip · RLOO · GT': arms.map((a) => c.arms[a]?.n ?? 0).join(' · '),
    'updates per run: clip · noclip · RLOO · GT': arms.map((a) => (c.updates[a] === undefined ? '—' : c.updates[a]!.toFixed(0))).join(' · '),
    'clipped tokens per step, clip arm %': clipPct(rows.filter((r) => r.cell === c.cell && armOf(r) === 'random/clip')),
    'runs shared with an earlier cell': c.shared || '—',
    's/step': c.step_s === null ? '—' : +c.step_s.toFixed(2),
  }));
}

/**
 * The contrasts the verdicts quote, per cell: for each metric the paired clip − noclip and clip −
 * RLOO differences (points, 95% t interval), and which intervals exclude 0.
 */
export function phaseContrastRows(rows: readonly PhaseSummary[], metrics: readonly PhaseMetric[] = ['acc', 'code', 'sampled_code']): Record<string, string | number>[] {
  const byMetric = metrics.map((m) => ({ m, cells: phaseCellRows(rows, m) }));
  const cells = byMetric[0]?.cells ?? [];
  return cells.map((c, i) => {
    const out: Record<string, string | number> = { cell: c.cell };
    const excl: string[] = [];
    for (const { m, cells: cs } of byMetric) {
      const row = cs[i];
      out[`${m}: clip − noclip`] = phaseDiffText(row.clip_minus_noclip);
      out[`${m}: clip − rloo`] = phaseDiffText(row.clip_minus_rloo);
      for (const [name, p] of [['clip − noclip', row.clip_minus_noclip], ['clip − RLOO', row.clip_minus_rloo]] as const) {
        const side = phaseIntervalSide(p);
        if (side === 'above 0' || side === 'below 0') excl.push(`${m} ${name} ${side}`);
      }
    }
    out['intervals excluding 0'] = excl.length ? excl.join('; ') : 'none';
    return out;
  });
}

/** One arm's change of `metric` per seed in one cell (fractions; seeds without the metric left out). */
export function armChanges(rows: readonly PhaseSummary[], cell: string, arm: string, metric: PhaseMetric = 'acc'): Map<number, number> {
  const f = PHASE_METRICS[metric];
  const out = new Map<number, number>();
  for (const r of rows) { const v = r.cell === cell && armOf(r) === arm ? f(r) : null; if (v !== null) out.set(r.seed, v); }
  return out;
}

export interface CrossCellComparison {
  label: string;
  a: { cell: string; arm: string };
  b: { cell: string; arm: string };
  /** Only these seeds (all the seeds both have when absent). */
  seeds?: readonly number[];
}

/**
 * Differences between two cells' arms, seed by seed: meaningful where the two runs of a seed share
 * their start (same family and seed, so the same step-1 rollouts: ε 0.05 against ε 0.2), or where
 * one continues the other (steps-96 against the centre: the difference is the change from step 48
 * to 96). Points: mean ± sd (n; paired 95% t interval).
 */
export function crossCellRows(rows: readonly PhaseSummary[], comparisons: readonly CrossCellComparison[], metric: PhaseMetric = 'acc'): Record<string, string>[] {
  return comparisons.map((c) => {
    const keep = (m: Map<number, number>) => (c.seeds ? new Map([...m].filter(([seed]) => c.seeds!.includes(seed))) : m);
    return {
      comparison: c.label,
      'a − b': `${c.a.cell} ${c.a.arm} − ${c.b.cell} ${c.b.arm}${c.seeds ? ` (seeds ${c.seeds.join(', ')})` : ''}`,
      [`Δ ${metric}, paired by seed`]: phaseDiffText(pairedDifference(keep(armChanges(rows, c.a.cell, c.a.arm, metric)), keep(armChanges(rows, c.b.cell, c.b.arm, metric)))),
    };
  });
}

/** One cell's changes seed by seed, one row per arm, in points: what a mean over three seeds hides. */
export function perSeedRows(rows: readonly PhaseSummary[], cell: string, metric: PhaseMetric = 'acc'): Record<string, string | number>[] {
  const mine = rows.filter((r) => r.cell === cell);
  const seeds = [...new Set(mine.map((r) => r.seed))].sort((a, b) => a - b);
  return [...new Set(mine.map(armOf))].map((arm) => {
    const ch = armChanges(rows, cell, arm, metric);
    return { cell, metric, arm, ...Object.fromEntries(seeds.map((seed) => [`s${seed}`, ch.has(seed) ? `${ch.get(seed)! >= 0 ? '+' : '−'}${Math.abs(100 * ch.get(seed)!).toFixed(1)}` : '—'])) };
  });
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
 * n, and for greedy accuracy, parse rate, greedy and sampled code share the start, the end (means)
 * and the change (mean ± sd, n and the 95% t interval of the change over seeds), in points.
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
    const change = (m: PhaseMetric) => phaseDiffText(pairedStat(rs.map(PHASE_METRICS[m]).filter((x): x is number => x !== null)));
    return {
      arm,
      n: rs.length,
      'acc start → end': `${avg(rs.map((r) => r.acc_start))} → ${avg(rs.map((r) => r.acc_end))}`,
      'Δ acc': change('acc'),
      'parsed start → end': `${avg(rs.map((r) => r.parsed_start))} → ${avg(rs.map((r) => r.parsed_end))}`,
      'Δ parsed': change('parsed'),
      'greedy code start → end': `${avg(rs.map((r) => r.code_start))} → ${avg(rs.map((r) => r.code_end))}`,
      'Δ greedy code': change('code'),
      'sampled code start → end': `${avg(rs.map((r) => r.sampled_code_start))} → ${avg(rs.map((r) => r.sampled_code_end))}`,
    };
  });
}
