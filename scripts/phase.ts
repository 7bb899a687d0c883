/**
 * `npm run phase -- --preset screen|format|contamination|confirm [--workers N] [--filter TEXT] [--list] [--summarize]`
 * Runs the phase map's pre-registered grid (src/rl/phase.ts) into results/phase/<cell>__<run-id>/,
 * N runs at a time in child processes (default: one per core, each on its own single-threaded
 * tfjs instance), skipping finished runs and resuming interrupted ones, with progress and ETA;
 * ends by rebuilding results/phase/summary.json. `--list` prints the runs and what is finished.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { Progress } from '../src/engine/progress';
import { validateGrpoConfig } from '../src/rl/config';
import { runGrpo } from '../src/rl/standin';
import { PHASE_DIR, PhaseRun, isPhaseRunFinished, phaseRunDir, phaseRuns, summarizePhase } from '../src/rl/phase';
import { RESULTS_DIR } from '../src/rl/results';
import { parseFlags } from './cli';

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

function runOne(run: PhaseRun, tmp: string): Promise<string | null> {
  const file = path.join(tmp, `${run.id}.json`);
  fs.writeFileSync(file, JSON.stringify({ id: run.id, cfg: run.cfg }));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), __filename, '--one', file], {
      env: { ...process.env, SR_WORKERS: '0', SR_QUIET: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => resolve(code === 0 ? null : `${run.id}: ${err.trim().split('\n').pop() ?? `exit ${code}`}`));
  });
}

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
  const workers = f.workers ?? (os.availableParallelism?.() ?? os.cpus().length);
  console.error(`[phase] preset ${f.preset}: ${all.length} runs, ${all.length - todo.length} already finished, ${todo.length} to run on ${workers} processes`);
  fs.mkdirSync(PHASE_DIR, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-phase-'));
  const bar = new Progress({ label: `phase ${f.preset}`, total: todo.length, everySeconds: 10 });
  const failures: string[] = [];
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < todo.length) {
      const run = todo[next++];
      const failure = await runOne(run, tmp);
      if (failure) failures.push(failure);
      bar.update(++done, failures.length ? `${failures.length} failed` : run.id);
      summarizePhase(); // finished pieces are summarised as they land
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, Math.max(1, todo.length)) }, lane));
  fs.rmSync(tmp, { recursive: true, force: true });
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
