/** danfojs tables of the stand-in results (notebooks 02, 03, 05 and `npm run reproduce`). */
import { dfd, type DataFrame } from '../paper/danfo';
import type { PriorCheck, PriorRow } from '../world/priors';
import { cellTable } from './grid';
import type { RunSummary } from './run';
import type { SwitchingRow } from './results';

const pct = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined || Number.isNaN(v) ? '—' : (100 * v).toFixed(digits));
const pm = (mean: number, sd: number): string => `${mean >= 0 ? '+' : '−'}${Math.abs(100 * mean).toFixed(1)} ± ${(100 * sd).toFixed(1)}`;

/** Family × reward × clip mode: gain in greedy accuracy (points, mean ± sd) and code frequency before → after. */
export function cellFrame(summaries: readonly RunSummary[], filter: (r: ReturnType<typeof cellTable>[number]) => boolean = () => true): DataFrame {
  const rows = cellTable(summaries).filter(filter).map((r) => ({
    family: r.family,
    reward: r.reward,
    clip: r.clip_mode,
    seeds: r.seeds,
    'gain (pts)': pm(r.gain_mean, r.gain_sd),
    'code % start → end': `${pct(r.code_start, 0)} → ${pct(r.code_end, 0)}`,
  }));
  return new dfd.DataFrame(rows.length ? rows : [{ family: '(no finished runs)' }]);
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
