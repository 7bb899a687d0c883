/** Prints the family × reward table (gain and code-frequency change, mean ± sd over seeds) with danfojs. */
import { dfd } from '../src/paper/danfo';
import { RunSummary } from '../src/rl/grpo';
import { cellTable } from '../src/rl/grid';

export function printCellTable(summaries: readonly RunSummary[]): void {
  const rows = cellTable(summaries).map((r) => ({
    family: r.family,
    reward: r.reward,
    clip: r.clip_mode,
    seeds: r.seeds,
    'gain (pts)': `${(100 * r.gain_mean).toFixed(1)} ± ${(100 * r.gain_sd).toFixed(1)}`,
    'code %': `${(100 * r.code_start).toFixed(0)} → ${(100 * r.code_end).toFixed(0)}`,
  }));
  if (!rows.length) { console.log('(no finished runs)'); return; }
  new dfd.DataFrame(rows).print();
}
