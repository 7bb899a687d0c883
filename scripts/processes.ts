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

/**
 * Runs every job; returns the failures ("<id>: <last stderr line>"). `afterEach` runs after each
 * job lands. `jobs` may be a function giving the pending jobs as things stand: it is asked again
 * each time a lane is free or a job lands (a plan that grows as results land); a job is started at
 * most once, so a failed one is not retried in this call.
 */
export async function runInProcesses(jobs: readonly ProcessJob[] | (() => readonly ProcessJob[]), opts: { lanes: number; label: string; afterEach?: () => void }): Promise<string[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-jobs-'));
  const weight = (job: ProcessJob) => job.weight ?? 1;
  const pending = typeof jobs === 'function' ? jobs : () => jobs;
  const started = new Set<string>();
  const running = new Map<string, number>();
  let total = pending().reduce((s, j) => s + weight(j), 0);
  let bar = new Progress({ label: opts.label, total, everySeconds: 10 });
  const failures: string[] = [];
  let done = 0;
  let doneWeight = 0;
  let queued = 0;
  const take = (): ProcessJob | null => {
    const left = pending().filter((j) => !started.has(j.id));
    // The bar follows the plan: landed, running and still pending work. When the plan grows, a new
    // bar counts its rate from there (the step code's Progress has a fixed total).
    const now = doneWeight + [...running.values()].reduce((s, w) => s + w, 0) + left.reduce((s, j) => s + weight(j), 0);
    if (now !== total) {
      total = now;
      bar = new Progress({ label: opts.label, total, start: doneWeight, everySeconds: 10 });
    }
    const job = left[0] ?? null;
    queued = left.length - (job ? 1 : 0);
    if (job) {
      started.add(job.id);
      running.set(job.id, weight(job));
    }
    return job;
  };
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
  // Lanes with nothing to take wait for the next landing: it may make the plan grow.
  let waiting: (() => void)[] = [];
  const lane = async () => {
    for (;;) {
      const job = take();
      if (!job) {
        if (running.size === 0) return;
        await new Promise<void>((wake) => waiting.push(wake));
        continue;
      }
      const failure = await runOne(job);
      if (failure) failures.push(failure);
      running.delete(job.id);
      doneWeight += weight(job);
      opts.afterEach?.();
      bar.update(doneWeight, `${++done}/${done + running.size + queued} jobs${failures.length ? ` · ${failures.length} failed` : ''} · ${job.id}`);
      const wake = waiting;
      waiting = [];
      for (const w of wake) w();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.lanes) }, lane));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return failures;
}
