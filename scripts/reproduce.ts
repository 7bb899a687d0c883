/**
 * `npm run reproduce -- --preset quick [--workers N] [--filter good-code]`
 * Runs a preset's whole grid with N worker processes (default: one per core; each process runs one
 * GRPO run on its own single-threaded tfjs instance), skips finished runs, resumes interrupted ones,
 * shows progress with ETA, and ends with results/<preset>/summary.json and the family × reward table.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Progress } from '../src/engine/progress';
import { GrpoConfig, runId } from '../src/rl/config';
import { gridRuns, isFinished, summarizePreset } from '../src/rl/grid';
import { parseFlags } from './cli';
import { printCellTable } from './table';

function runOne(preset: string, cfg: GrpoConfig, tmp: string): Promise<string | null> {
  const file = path.join(tmp, `${runId(cfg)}.json`);
  fs.writeFileSync(file, JSON.stringify(cfg));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'experiment.ts'), '--config', file, '--preset', preset, '--quiet'], {
      env: { ...process.env, SR_WORKERS: '0', SR_QUIET: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => resolve(code === 0 ? null : `${runId(cfg)}: ${err.trim().split('\n').pop() ?? `exit ${code}`}`));
  });
}

async function main(): Promise<void> {
  const f = parseFlags({
    preset: { type: 'string', default: 'quick' },
    workers: { type: 'number', integer: true, min: 1 },
    filter: { type: 'string' },
  });
  const preset = f.preset;
  const workers = f.workers ?? (os.availableParallelism?.() ?? os.cpus().length);
  const filter = f.filter;
  const all = gridRuns(preset).filter((c) => !filter || runId(c).includes(filter));
  const todo = all.filter((c) => !isFinished(preset, c));
  console.error(`[reproduce] preset ${preset}: ${all.length} runs, ${all.length - todo.length} already finished, ${todo.length} to run on ${workers} processes`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-grid-'));
  const bar = new Progress({ label: `reproduce ${preset}`, total: todo.length, everySeconds: 10 });
  const failures: string[] = [];
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < todo.length) {
      const cfg = todo[next++];
      const failure = await runOne(preset, cfg, tmp);
      if (failure) failures.push(failure);
      bar.update(++done, failures.length ? `${failures.length} failed` : runId(cfg));
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, Math.max(1, todo.length)) }, lane));
  fs.rmSync(tmp, { recursive: true, force: true });
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
