/**
 * `npm run phase -- --preset screen|format|contamination|confirm [--workers N] [--filter TEXT] [--list] [--summarize]`
 * Runs the phase map's pre-registered grid (src/rl/phase.ts) into results/phase/<cell>__<run-id>/,
 * N runs at a time in child processes (default: one per core, each on its own single-threaded
 * tfjs instance), skipping finished runs and resuming interrupted ones, with progress and ETA;
 * ends by rebuilding results/phase/summary.json. `--list` prints the runs and what is finished.
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { validateGrpoConfig } from '../src/rl/config';
import { runGrpo } from '../src/rl/standin';
import { PHASE_DIR, isPhaseRunFinished, phaseRunDir, phaseRuns, summarizePhase } from '../src/rl/phase';
import { RESULTS_DIR } from '../src/rl/results';
import { parseFlags } from './cli';
import { defaultLanes, runInProcesses } from './processes';

const FLAGS = {
  preset: { type: 'string', default: 'screen' },
  workers: { type: 'number', integer: true, min: 1 },
  filter: { type: 'string' },
  list: { type: 'boolean' },
  /** Only rebuild results/phase/summary.json from the finished runs. */
  summarize: { type: 'boolean' },
  /** Internal: run one phase run (a JSON file {id, cfg}) in this process. */
  one: { type: 'string' },
} as const;

async function main(): Promise<void> {
  const f = parseFlags(FLAGS);
  if (f.one) {
    await initBackend({ quiet: true });
    const { id, cfg } = JSON.parse(fs.readFileSync(f.one, 'utf8')) as { id: string; cfg: unknown };
    await runGrpo(validateGrpoConfig(cfg as object, f.one), { runDir: phaseRunDir({ id }), labelsDir: path.join(RESULTS_DIR, 'labels') }, { quiet: true });
    return;
  }
  if (f.summarize) {
    console.error(`[phase] results/phase/summary.json: ${summarizePhase().length} finished runs`);
    return;
  }
  const all = phaseRuns(f.preset).filter((r) => !f.filter || r.id.includes(f.filter));
  const todo = all.filter((r) => !isPhaseRunFinished(r));
  if (f.list) {
    for (const r of all) console.log(`${todo.includes(r) ? ' ' : '✓'} ${r.id}`);
    console.log(`${all.length - todo.length} of ${all.length} finished`);
    return;
  }
  const workers = f.workers ?? defaultLanes();
  console.error(`[phase] preset ${f.preset}: ${all.length} runs, ${all.length - todo.length} already finished, ${todo.length} to run on ${workers} processes`);
  fs.mkdirSync(PHASE_DIR, { recursive: true });
  const jobs = todo.map((run) => ({ id: run.id, payload: { id: run.id, cfg: run.cfg }, argv: (file: string) => [__filename, '--one', file] }));
  // Finished pieces are summarised as they land.
  const failures = await runInProcesses(jobs, { lanes: workers, label: `phase ${f.preset}`, afterEach: () => summarizePhase() });
  const rows = summarizePhase();
  console.error(`[phase] results/phase/summary.json: ${rows.length} finished runs`);
  if (failures.length) {
    console.error(`[phase] ${failures.length} runs failed:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(`phase: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
