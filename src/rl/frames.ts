/** danfojs tables of the stand-in results (notebooks 02, 03, 05 and `npm run reproduce`). */
import { dfd, type DataFrame } from '../paper/danfo';
import type { PriorCheck, PriorRow } from '../world/priors';
import { cellTable } from './grid';
import type { GridRow, VersionRow } from './gridTable';
import type { RunSummary } from './run';
import type { SwitchingRow } from './results';
import type { RegimeRow, RegimeVerdict } from './regimeTable';
import { formatPaired } from './stats';
import { STEP_VERSION_LABEL, inPoints, seedList } from './stepVersions';

const pct = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined || Number.isNaN(v) ? '—' : (100 * v).toFixed(digits));

/**
 * Family × reward × clip mode: gain in greedy accuracy in points (mean ± sd, n and the 95% t interval
 * over seeds) and code frequency before → after. From run summaries, so it knows no step versions
 * (`npm run reproduce` prints it); the notebooks print rewardGridFrame.
 */
export function cellFrame(summaries: readonly RunSummary[], filter: (r: ReturnType<typeof cellTable>[number]) => boolean = () => true): DataFrame {
  const rows = cellTable(summaries).filter(filter).map((r) => ({
    family: r.family,
    reward: r.reward,
    clip: r.clip_mode,
    'gain (pts)': formatPaired(inPoints({ mean: r.gain_mean, sd: r.gain_sd, n: r.seeds, lo: r.gain_lo, hi: r.gain_hi })),
    'code % start → end': `${pct(r.code_start, 0)} → ${pct(r.code_end, 0)}`,
  }));
  return new dfd.DataFrame(rows.length ? rows : [{ family: '(no finished runs)' }]);
}

const rewardCellLabel = (reward: string): string => (reward.startsWith('random') ? `${reward}(0.5)` : reward);

/**
 * The reward grid as notebooks 02 and 05 print it: per family × reward the accuracy gain (points,
 * mean ± sd, n, 95% interval), the paired difference to the control reward, code frequency start →
 * end (mean over seeds) and which seeds ran on which version of the GRPO step.
 */
export function rewardGridFrame(rows: readonly GridRow[], control = 'random'): DataFrame {
  const out = rows.map((r) => ({
    family: r.family,
    reward: rewardCellLabel(r.reward),
    'gain (pts)': formatPaired(inPoints(r.gain)),
    [`− ${rewardCellLabel(control)}, paired (pts)`]: r.reward === control ? '(control)' : formatPaired(inPoints(r.vsControl)),
    'code % start → end': `${pct(r.code.start, 0)} → ${pct(r.code.end, 0)}`,
    'seeds: GRPO step': r.stepCode,
  }));
  return new dfd.DataFrame(out.length ? out : [{ family: '(no finished runs)' }]);
}

/**
 * Style against accuracy: per family × reward the greedy code frequency start → end (mean over
 * seeds) and its change, beside the accuracy change (points, mean ± sd, n, 95% interval).
 */
export function codeChangeFrame(rows: readonly GridRow[]): DataFrame {
  return new dfd.DataFrame(rows.map((r) => ({
    family: r.family,
    reward: rewardCellLabel(r.reward),
    'code % start → end': `${pct(r.code.start, 0)} → ${pct(r.code.end, 0)}`,
    'code % change (pts)': formatPaired(inPoints(r.code)),
    'accuracy change (pts)': formatPaired(inPoints(r.gain)),
  })));
}

/**
 * Arms whose seeds span both step versions: pooled and per-version rows of the accuracy and code
 * changes (points) and the paired difference to the control arm over the same seeds.
 */
export function versionFrame(rows: readonly VersionRow[], control: string): DataFrame {
  return new dfd.DataFrame(rows.map((r) => ({
    arm: r.label,
    seeds: seedList(r.seeds),
    'GRPO step': r.version === 'pooled' ? 'pooled (both)' : STEP_VERSION_LABEL[r.version],
    'accuracy change (pts)': formatPaired(inPoints(r.acc)),
    'code % change (pts)': formatPaired(inPoints(r.code)),
    [`accuracy − ${control}, paired`]: r.label === control ? '(control)' : formatPaired(inPoints(r.accVsControl)),
    [`code − ${control}, paired`]: r.label === control ? '(control)' : formatPaired(inPoints(r.codeVsControl)),
  })));
}

/** The Table 1 analogue, rates in percent. */
export function priorFrame(rows: readonly PriorRow[]): DataFrame {
  return new dfd.DataFrame(rows.map((r) => ({
    family: r.family,
    decoding: r.decoding === 'sampled' ? `sampled τ=1, k=${r.k}` : 'greedy',
    n: r.n,
    'code %': pct(r.code_frequency),
    'acc with code %': pct(r.acc_code),
    'acc language %': pct(r.acc_lang),
    'acc %': pct(r.acc),
    'boxed %': pct(r.boxed_rate),
    'forced-code acc %': pct(r.forced_code_acc),
  })));
}

export function priorCheckFrame(checks: readonly PriorCheck[]): DataFrame {
  return new dfd.DataFrame(checks.map((c) => ({ family: c.family, row: c.decoding, target: c.criterion, measured: c.value === null ? '—' : c.value.toFixed(3), verdict: c.pass ? 'PASS' : 'FAIL' })));
}

/** Fig. 7 / Table 2 analogue: subset sizes, accuracy before → after and Partial Contribution Scores. */
export function switchingFrame(rows: readonly SwitchingRow[]): DataFrame {
  return new dfd.DataFrame(rows.map((r) => ({
    subset: r.subset,
    'share of problems %': `${pct(r.fraction.mean)} ± ${pct(r.fraction.sd)}`,
    'acc before %': pct(r.accBefore.mean),
    'acc after %': pct(r.accAfter.mean),
    'partial contribution C_d': r.contribution.n ? `${r.contribution.mean.toFixed(2)} ± ${r.contribution.sd.toFixed(2)} (n=${r.contribution.n})` : '— (no net gain)',
  })));
}

/**
 * The regime grid as notebook 02 prints it: per family × reward (and the family's matched null) the
 * accuracy change (points, mean ± sd, n, 95% interval), the paired difference to the matched null,
 * and the greedy code share start → end with its change.
 */
export function regimeFrame(rows: readonly RegimeRow[]): DataFrame {
  const out = rows.map((r) => ({
    family: r.family,
    reward: r.arm === 'clip' ? rewardCellLabel(r.reward) : 'matched null (random(0.5), ρ = 1)',
    'gain (pts)': formatPaired(inPoints(r.gain)),
    '− matched null, paired (pts)': r.arm === 'clip' ? formatPaired(inPoints(r.vsNull)) : '(control)',
    'code % start → end': `${pct(r.code.start, 0)} → ${pct(r.code.end, 0)}`,
    'code change (pts)': formatPaired(inPoints(r.code)),
    seeds: seedList(r.seeds),
  }));
  return new dfd.DataFrame(out.length ? out : [{ family: '(no finished runs)' }]);
}

/** Pre-registered rules with their status and reading (notebook 02's regime verdicts). */
export function regimeVerdictFrame(verdicts: readonly RegimeVerdict[]): DataFrame {
  return new dfd.DataFrame(verdicts.map((v) => ({ rule: v.id, status: v.status, reading: v.reading, criterion: v.rule })));
}
