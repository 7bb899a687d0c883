/**
 * The run protocol every GRPO run follows, whatever its policy: a run folder
 * (config.json = the run's identity, log.jsonl, samples.jsonl, summary.json, checkpoint/), a lock
 * so two processes never write one run, the identity check that decides between "finished",
 * "resume" and "start", the log cut back to the resume point (so a resumed run writes the same
 * log as an uninterrupted one), and the summary written atomically at the end.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../engine/atomic';
import { appendJsonl, jsonlText, readJsonl } from '../engine/jsonl';

export interface RunFiles {
  dir: string;
  config: string;
  log: string;
  samples: string;
  summary: string;
  /** The resume state (weights, optimiser state, RNG state). */
  checkpoint: string;
  lock: string;
}

export function runFiles(runDir: string): RunFiles {
  const at = (f: string) => path.join(runDir, f);
  return { dir: runDir, config: at('config.json'), log: at('log.jsonl'), samples: at('samples.jsonl'), summary: at('summary.json'), checkpoint: at('checkpoint'), lock: at('.lock') };
}

/** A run's identity: the config.json text to write, and whether an existing config.json is the same run. */
export interface RunIdentity {
  text: string;
  matches(existing: string): boolean;
}

/** Whether `dir`'s config.json is this identity's. */
export function sameIdentity(files: RunFiles, id: RunIdentity): boolean {
  return fs.existsSync(files.config) && id.matches(fs.readFileSync(files.config, 'utf8'));
}

/** Whether the folder holds this run finished. */
export function isFinishedRun(runDir: string, id: RunIdentity): boolean {
  const files = runFiles(runDir);
  return fs.existsSync(files.summary) && sameIdentity(files, id);
}

/** Runs `body` holding `runDir`/.lock; a lock left by a dead process is taken over. */
export async function withRunLock<T>(runDir: string, body: () => Promise<T>): Promise<T> {
  fs.mkdirSync(runDir, { recursive: true });
  const lock = runFiles(runDir).lock;
  const take = (): boolean => {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch {
      return false;
    }
  };
  if (!take()) {
    const holder = Number(fs.readFileSync(lock, 'utf8'));
    if (holder !== process.pid && isAlive(holder)) throw new Error(`${runDir}: being run by process ${holder}`);
    fs.rmSync(lock, { force: true });
    if (!take()) throw new Error(`${runDir}: being run by another process`);
  }
  try {
    return await body();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Opens a run folder: `{ finished }` when it holds this run finished; an error when it holds
 * another run finished or another run's resume state; otherwise the folder is this run's
 * (config.json written) and lines of another identity are dropped (e.g. a step-0 evaluation of a
 * family since retrained, by a run killed before its first checkpoint).
 */
export function openRunFolder<S>(files: RunFiles, id: RunIdentity, hasResumeState: (dir: string) => boolean): { finished: S } | { resumable: boolean } {
  const same = sameIdentity(files, id);
  if (fs.existsSync(files.summary) && fs.existsSync(files.config)) {
    if (same) return { finished: JSON.parse(fs.readFileSync(files.summary, 'utf8')) as S };
    throw new Error(`${files.dir}: holds a finished run with a different config or starting checkpoint; move it away to re-run`);
  }
  const resumable = hasResumeState(files.checkpoint);
  if (resumable && !same) throw new Error(`${files.checkpoint}: a resume checkpoint of a different config or starting checkpoint; delete ${files.dir} to start over`);
  if (!same) {
    fs.rmSync(files.log, { force: true });
    fs.rmSync(files.samples, { force: true });
    // An identity written in an older form stays as it was: it is the same run.
    writeFileAtomic(files.config, id.text);
  }
  return { resumable };
}

/** The log (and samples) cut back to `step` and rewritten atomically; a torn last line is dropped with a warning. */
export function cutBack<R extends { step: number }>(files: RunFiles, step: number): R[] {
  const log = readJsonl<R>(files.log).filter((r) => r.step <= step);
  writeFileAtomic(files.log, jsonlText(log));
  if (fs.existsSync(files.samples)) writeFileAtomic(files.samples, jsonlText(readJsonl<{ step: number }>(files.samples).filter((r) => r.step <= step)));
  return log;
}

export function appendRow(file: string, row: object): void {
  appendJsonl(file, row);
}

/** Writes the finished run's summary and drops its resume state unless asked to keep it. */
export function finishRun(files: RunFiles, summary: object, keepCheckpoint = false): void {
  writeFileAtomic(files.summary, JSON.stringify(summary, null, 1) + '\n');
  if (!keepCheckpoint) fs.rmSync(files.checkpoint, { recursive: true, force: true });
}

/** JSON with object keys sorted at every level: two configs that differ only in field order compare equal. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
