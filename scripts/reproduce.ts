/**
 * `npm run reproduce -- --preset quick [--workers N] [--filter good-code]`
 * (`--preset regime`: notebook 02's reward ladder in the update-size ladder's decisive regime, src/rl/regime.ts)
 * Runs a preset's whole grid with N worker processes (default: one per core; each process runs one
 * GRPO run on its own single-threaded tfjs instance), skips finished runs, resumes interrupted ones,
 * shows progress with ETA, and ends with results/<preset>/summary.json and the family × reward table.
 */
import * as path from 'path';
import { runId } from '../src/rl/config';
import { gridRuns, isFinished, summarizePreset } from '../src/rl/grid';
import { loadLadderSummary } from '../src/rl/ladder';
import { REGIME_PRESET, regimeCell, regimeRuns } from '../src/rl/regime';
import { parseFlags } from './cli';
import { defaultLanes, runInProcesses } from './processes';
import { printCellTable } from './table';

async function main(): Promise<void> {
  const f = parseFlags({
    preset: { type: 'string', default: 'quick' },
    workers: { type: 'number', integer: true, min: 1 },
    filter: { type: 'string' },
  });
  const preset = f.preset;
  const workers = f.workers ?? defaultLanes();
  const filter = f.filter;
  // The regime grid's configs come from the ladder's decisive cell, and it runs only where H2 holds.
  const grid = preset === REGIME_PRESET ? regimeRuns(regimeCell(loadLadderSummary())) : gridRuns(preset);
  const all = grid.filter((c) => !filter || runId(c).includes(filter));
  const todo = all.filter((c) => !isFinished(preset, c));
  console.error(`[reproduce] preset ${preset}: ${all.length} runs, ${all.length - todo.length} already finished, ${todo.length} to run on ${workers} processes`);
  const jobs = todo.map((cfg) => ({ id: runId(cfg), payload: cfg, argv: (file: string) => [path.join(__dirname, 'experiment.ts'), '--config', file, '--preset', preset, '--quiet'] }));
  const failures = await runInProcesses(jobs, { lanes: workers, label: `reproduce ${preset}` });
  const summaries = summarizePreset(preset);
  console.error(`[reproduce] results/${preset}/summary.json: ${summaries.length} finished runs`);
  printCellTable(summaries);
  if (failures.length) {
    console.error(`[reproduce] ${failures.length} runs failed:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(`reproduce: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
