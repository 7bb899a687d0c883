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

/** The files whose text decides a GRPO step's numbers: sampling, the model, the surrogate, the update, rewards, evaluation. */
export const STEP_CODE_FILES: readonly string[] = [
  'src/engine/adamw.ts', 'src/engine/clip.ts', 'src/engine/rng.ts',
  'src/model/batch.ts', 'src/model/flat.ts', 'src/model/kernels.ts', 'src/model/sample.ts', 'src/model/surrogate.ts', 'src/model/transformer.ts',
  'src/runtime/jobs.ts', 'src/runtime/pool.ts', 'src/runtime/worker.ts', 'src/runtime/train.ts',
  'src/rl/advantage.ts', 'src/rl/config.ts', 'src/rl/evaluate.ts', 'src/rl/grpo.ts', 'src/rl/rewards.ts', 'src/rl/settings.ts', 'src/rl/standin.ts',
  'src/world/generate.ts', 'src/world/grade.ts', 'src/world/vocab.ts',
];

/** sha1 (12 hex digits) over each step file's path and text, in order. */
export function stepCodeHash(files: readonly string[] = STEP_CODE_FILES): string {
  const h = createHash('sha1');
  for (const f of files) {
    const file = projectPath(f);
    if (!fs.existsSync(file)) throw new Error(`${file}: a GRPO step file is missing (STEP_CODE_FILES in src/rl/provenance.ts names it)`);
    h.update(`${f}\0`).update(fs.readFileSync(file)).update('\0');
  }
  return h.digest('hex').slice(0, 12);
}

export interface ProvenanceSegment {
  /** The first step this code ran (0 for a fresh run). */
  from_step: number;
  step_code_sha1: string;
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

export function currentProvenance(fromStep: number, workers: number): ProvenanceSegment {
  const status = git(['status', '--porcelain', '--', ...STEP_CODE_FILES]);
  return {
    from_step: fromStep,
    step_code_sha1: stepCodeHash(),
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
  const kept = readProvenance(runDir).filter((s) => s.from_step < segment.from_step);
  writeFileAtomic(path.join(runDir, 'provenance.json'), JSON.stringify({ segments: [...kept, segment] }, null, 1) + '\n');
}

/** The step-code hashes a run's steps ran on (one for a run that never changed code). */
export function stepCodeHashes(runDir: string): string[] {
  return [...new Set(readProvenance(runDir).map((s) => s.step_code_sha1))];
}
