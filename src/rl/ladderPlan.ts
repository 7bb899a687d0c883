/**
 * Notebook 08's pre-registered plan as runs, given the runs that have landed: the 1× ladder on the
 * screen seeds; once the rule has picked the decisive cell, its new seeds (and the extra three if
 * their sd exceeds 5); the size cells where the x4 model is ready (the decisive cell's twin once
 * picked). Nothing in it is chosen by hand, so a background `npm run ladder` walks the whole plan
 * and re-plans as each run lands.
 */
import { LADDER_CELLS, LADDER_SEEDS, LadderRow, LadderRun, ladderRunOrder, ladderRuns, sizeCells } from './ladder';
import { decisiveCell } from './ladderTable';
import { decisiveSeeds } from './ladderVerdicts';

export interface LadderPlan {
  runs: LadderRun[];
  /** What the plan waits on, in words (for the log). */
  waiting: string[];
}

/** Every run the pre-registration calls for as the rows stand; `sizeBlocked` is null when the x4 model is usable, else why it is not. */
export function ladderPlan(rows: readonly LadderRow[], sizeBlocked: string | null): LadderPlan {
  const runs = ladderRuns(LADDER_SEEDS, LADDER_CELLS);
  const waiting: string[] = [];
  const pick = decisiveCell(rows);
  if (pick.cell) runs.push(...ladderRuns(decisiveSeeds(rows, pick.cell), LADDER_CELLS.filter((c) => c.id === pick.cell)));
  else waiting.push(`the decisive cell's new seeds wait for the rule (candidates short of seeds ${LADDER_SEEDS.join(', ')}: ${pick.missing.join(', ')})`);
  if (sizeBlocked === null) runs.push(...ladderRuns(LADDER_SEEDS, sizeCells(pick.cell)));
  else waiting.push(`the x4 cells wait: ${sizeBlocked}`);
  return { runs, waiting };
}

/** Pending runs in the order they go: ladderRunOrder (the rules' reads first, then cheapest), stable. */
export function orderRuns(runs: readonly LadderRun[]): LadderRun[] {
  return runs.map((r, i) => ({ r, i, k: ladderRunOrder(r) })).sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i).map(({ r }) => r);
}
