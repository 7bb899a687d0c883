/**
 * The scripts' one process pool: runs each job in its own child process (tfjs-wasm is
 * single-threaded, so one process per core uses the machine), `lanes` at a time, with a progress
 * bar; a failed job is reported by its last stderr line and does not stop the others.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Progress } from '../src/engine/progress';

export interface ProcessJob {
  /** Shown on the progress bar and in failures. */
  id: string;
  /** Written to a temporary JSON file whose path `argv` receives. */
  payload: unknown;
  /** The child's arguments after `node tsx`, given the payload file. */
  argv(file: string): string[];
  /** Its cost relative to the others (default 1): the ETA counts work, not jobs, when jobs differ tenfold. */
  weight?: number;
}

export function defaultLanes(): number {
  return os.availableParallelism?.() ?? os.cpus().length;
}

/** Runs every job; returns the failures ("<id>: <last stderr line>"). `afterEach` runs after each job lands. */
export async function runInProcesses(jobs: readonly ProcessJob[], opts: { lanes: number; label: string; afterEach?: () => void }): Promise<string[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-jobs-'));
  const weight = (job: ProcessJob) => job.weight ?? 1;
  const bar = new Progress({ label: opts.label, total: jobs.reduce((s, j) => s + weight(j), 0), everySeconds: 10 });
  const failures: string[] = [];
  let next = 0;
  let done = 0;
  let doneWeight = 0;
  const runOne = (job: ProcessJob): Promise<string | null> => {
    const file = path.join(tmp, `${job.id.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
    fs.writeFileSync(file, JSON.stringify(job.payload));
    return new Promise((resolve) => {
      // One tfjs instance per process: no worker threads inside it.
      const child = spawn(process.execPath, [require.resolve('tsx/cli'), ...job.argv(file)], { env: { ...process.env, SR_WORKERS: '0', SR_QUIET: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => { err += d; });
      child.on('close', (code) => resolve(code === 0 ? null : `${job.id}: ${err.trim().split('\n').pop() ?? `exit ${code}`}`));
    });
  };
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const failure = await runOne(job);
      if (failure) failures.push(failure);
      doneWeight += weight(job);
      bar.update(doneWeight, `${++done}/${jobs.length} jobs${failures.length ? ` · ${failures.length} failed` : ''} · ${job.id}`);
      opts.afterEach?.();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opts.lanes, Math.max(1, jobs.length)) }, lane));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return failures;
}
