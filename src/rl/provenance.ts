/**
 * A run's provenance, kept beside its identity (provenance.json next to config.json), never in
 * it: which GRPO step code produced which steps (a hash of the source files that define the step,
 * not just HEAD, so an unrelated commit does not split runs), the commit and whether the tree was
 * dirty, the backend, the worker count (shard sums depend on it) and the tfjs and Node versions.
 * A resumed run appends a segment, so a run continued on other code says so.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../engine/atomic';
import { backendReport } from '../engine/backend';
import { projectPath, projectRoot } from '../engine/paths';

/** Where a stand-in step's code starts: the policy (and through it the loop, model, sampler, rewards) and the worker threads. */
export const STANDIN_CODE_ENTRIES: readonly string[] = ['src/rl/standin.ts', 'src/runtime/worker.ts'];
/** Where a real checkpoint's step code starts. */
export const REAL_CODE_ENTRIES: readonly string[] = ['src/real/policy.ts'];

/**
 * Every src/ file that `entries` import, transitively (type imports included): the code that can
 * change a step's numbers. Listing files by hand missed some; the closure cannot, at the price of
 * also counting a few that only log.
 */
export function stepCodeFiles(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (rel: string) => {
    if (seen.has(rel)) return;
    const file = projectPath(rel);
    if (!fs.existsSync(file)) throw new Error(`${file}: a GRPO step file is missing (named in the provenance code entries or imported by one)`);
    seen.add(rel);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1]));
      for (const cand of [`${target}.ts`, `${target}/index.ts`, target]) {
        if (cand.endsWith('.ts') && fs.existsSync(projectPath(cand))) { visit(cand); break; }
      }
    }
  };
  for (const e of entries) visit(e);
  return [...seen].sort();
}

/** sha1 (12 hex digits) over each step file's path and text, in order. */
export function stepCodeHash(files: readonly string[] = stepCodeFiles(STANDIN_CODE_ENTRIES)): string {
  const h = createHash('sha1');
  for (const f of files) {
    const file = projectPath(f);
    if (!fs.existsSync(file)) throw new Error(`${file}: a GRPO step file is missing (named in the provenance code entries or imported by one)`);
    h.update(`${f}\0`).update(fs.readFileSync(file)).update('\0');
  }
  return h.digest('hex').slice(0, 12);
}

export interface ProvenanceSegment {
  /** The first step this code ran (0 for a fresh run). */
  from_step: number;
  /** Null for the steps a run took before provenance was recorded. */
  step_code_sha1: string | null;
  commit: string | null;
  /** Uncommitted changes to the step files when the segment started. */
  dirty: boolean | null;
  backend: string | null;
  workers: number;
  tfjs: string;
  node: string;
  started_at: string;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: projectRoot(), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null; // not a checkout (an unpacked release): say so with nulls
  }
}

export function currentProvenance(fromStep: number, workers: number, entries: readonly string[] = STANDIN_CODE_ENTRIES): ProvenanceSegment {
  const files = stepCodeFiles(entries);
  const status = git(['status', '--porcelain', '--', ...files]);
  return {
    from_step: fromStep,
    step_code_sha1: stepCodeHash(files),
    commit: git(['rev-parse', 'HEAD']),
    dirty: status === null ? null : status.length > 0,
    backend: backendReport()?.chosen ?? null,
    workers,
    tfjs: tf.version.tfjs,
    node: process.version,
    started_at: new Date().toISOString(),
  };
}

export function readProvenance(runDir: string): ProvenanceSegment[] {
  const file = path.join(runDir, 'provenance.json');
  if (!fs.existsSync(file)) return [];
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as { segments?: ProvenanceSegment[] };
  if (!Array.isArray(j.segments)) throw new Error(`${file}: field 'segments' must be an array`);
  return j.segments;
}

/** Records the segment starting at `fromStep` (segments from that step on are replaced: those steps are run again). */
export function recordProvenance(runDir: string, segment: ProvenanceSegment): void {
  let kept = readProvenance(runDir).filter((s) => s.from_step < segment.from_step);
  // Resuming a run begun before provenance was kept: its first steps ran on code nobody recorded.
  if (kept.length === 0 && segment.from_step > 0) kept = [{ from_step: 0, step_code_sha1: null, commit: null, dirty: null, backend: null, workers: -1, tfjs: 'unknown', node: 'unknown', started_at: 'unknown' }];
  writeFileAtomic(path.join(runDir, 'provenance.json'), JSON.stringify({ segments: [...kept, segment] }, null, 1) + '\n');
}

/** The step-code hashes a run's steps ran on (one for a run that never changed code). */
export function stepCodeHashes(runDir: string): (string | null)[] {
  return [...new Set(readProvenance(runDir).map((s) => s.step_code_sha1))];
}
