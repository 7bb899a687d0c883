/**
 * A stand-in GRPO run's record: its identity (config.json: the config, its derived sizes and the
 * starting checkpoint's digest) and its summary. Identities compare canonically, so a run folder
 * written before a config field was split or added (e.g. `clipMode` → surrogate / estimator /
 * batching) still counts as the same run.
 */
import * as path from 'path';
import { weightsDigest } from '../runtime/checkpoint';
import { CHECKPOINTS_DIR } from '../world/priors';
import { GrpoConfig, armName, derived, runId, validateGrpoConfig } from './config';
import type { StepLog } from './log';
import { RunIdentity, canonicalJson } from './protocol';
import { withLegacySettings } from './settings';

export interface RunDirs {
  /** results/<preset>/<run-id> */
  runDir: string;
  /** Where majority-vote labels are cached (shared across runs). */
  labelsDir: string;
}

export interface RunOptions {
  workers?: number;
  quiet?: boolean;
  checkpointsDir?: string;
  stopAt?: number;
  /** Keep the resume checkpoint of a finished run. */
  keepCheckpoint?: boolean;
  /** Progress bar stream (default stderr). */
  progressStream?: NodeJS.WriteStream;
  /** Accumulates seconds per phase of every step (bench:grpo's profile). */
  profile?: import('../engine/phases').PhaseTimes;
}

export interface RunSummary {
  run_id: string;
  family: string;
  reward: string;
  gamma: number | null;
  /** The arm's one-word name (settings.ts `armName`). */
  clip_mode: string;
  seed: number;
  steps: number;
  acc_start: number | null;
  acc_end: number | null;
  code_start: number | null;
  code_end: number | null;
}

export function summarizeLog(cfg: GrpoConfig, log: readonly StepLog[]): RunSummary {
  const evals = log.filter((r) => r.eval);
  const first = evals[0]?.eval;
  const last = evals[evals.length - 1]?.eval;
  return {
    run_id: runId(cfg), family: cfg.family, reward: cfg.reward, gamma: cfg.gamma, clip_mode: armName(cfg), seed: cfg.seed,
    steps: log.length ? Math.max(...log.map((r) => r.step)) : 0,
    acc_start: first?.acc ?? null, acc_end: last?.acc ?? null, code_start: first?.code ?? null, code_end: last?.code ?? null,
  };
}

/** Fields config.json carries beside the config itself. */
const RECORD_FIELDS = ['run_id', 'derived', 'start_weights_sha1'];

/** The text of a new run's config.json. */
export function runConfigText(cfg: GrpoConfig, checkpointsDir = CHECKPOINTS_DIR): string {
  return recordText(cfg, weightsDigest(path.join(checkpointsDir, cfg.family)));
}

function recordText(cfg: GrpoConfig, startDigest: string): string {
  return JSON.stringify({ ...cfg, run_id: runId(cfg), derived: derived(cfg), start_weights_sha1: startDigest }, null, 1) + '\n';
}

/** The config a config.json describes (validated, so older forms map to the current fields), and its starting digest. */
export function configOfRecord(text: string, where = 'config.json'): { cfg: GrpoConfig; startDigest: string | undefined } {
  const raw = JSON.parse(text) as Record<string, unknown>;
  const startDigest = raw.start_weights_sha1 as string | undefined;
  for (const k of RECORD_FIELDS) delete raw[k];
  return { cfg: validateGrpoConfig(withLegacySettings(raw), where), startDigest };
}

/** A run's identity: the same config (canonically) from the same starting weights (a retrained family is a new run). */
export function standinIdentity(cfg: GrpoConfig, checkpointsDir = CHECKPOINTS_DIR): RunIdentity {
  const digest = weightsDigest(path.join(checkpointsDir, cfg.family));
  const text = recordText(cfg, digest);
  const want = canonicalJson(cfg);
  return {
    text,
    matches(existing: string): boolean {
      try {
        const { cfg: theirs, startDigest } = configOfRecord(existing);
        return startDigest === digest && canonicalJson(theirs) === want;
      } catch {
        return false; // an unreadable or invalid config.json is not this run
      }
    },
  };
}
