/** Prints the family × reward table (gain and code-frequency change, mean ± sd over seeds), every row. */
import { cellFrame } from '../src/rl/frames';
import { RunSummary } from '../src/rl/run';

export function printCellTable(summaries: readonly RunSummary[]): void {
  // danfojs' print() stops at 10 rows; the grid has ~40 cells, so the frame is laid out here.
  const df = cellFrame(summaries);
  const cols = df.columns as string[];
  const rows = (df.values as unknown[][]).map((r) => r.map(String));
  const width = cols.map((c, j) => Math.max(c.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padEnd(width[j])).join('  ');
  console.log(line(cols));
  for (const r of rows) console.log(line(r));
}
