/** Prints the family × reward table (gain and code-frequency change, mean ± sd over seeds) with danfojs. */
import { cellFrame } from '../src/rl/frames';
import { RunSummary } from '../src/rl/grpo';

export function printCellTable(summaries: readonly RunSummary[]): void {
  cellFrame(summaries).print();
}
