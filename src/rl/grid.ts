/**
 * The experiment grid of Paper A (Fig. 1–3, 6, 8–11) on the stand-in families, and the per-preset
 * summary that notebooks read (results/<preset>/summary.json).
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../engine/atomic';
import { FAMILY_NAMES } from '../world/families';
import { CHECKPOINTS_DIR } from '../world/priors';
import { GrpoConfig, PRESETS, runId, validateGrpoConfig } from './config';
import { isFinishedRun } from './protocol';
import { RunSummary, standinIdentity } from './run';
import { Arm, fromClipMode } from './settings';
import { RESULTS_DIR, loadRuns } from './results';
import { RewardName } from './rewards';
import { pairedStat } from './stats';

export { RESULTS_DIR };

type Cell = Pick<GrpoConfig, 'family' | 'reward' | 'gamma'> & { arm: Arm };

/** The paper's Fig. 1 rewards in its order (notebook 02's rows; random at γ 0.5). */
export const PAPER_REWARD_LADDER: readonly RewardName[] = ['ground-truth', 'majority-vote', 'one-shot', 'format', 'incorrect', 'random'];

/**
 * The grid's cells (deduplicated), in a stable order. Seeds: 3 per cell, 5 for the clip-mode
 * ablation (Fig. 11), whose differences are the smallest the grid reports. (The first grid ran 2 seeds
 * for the families other than good-code; seeds 1–2 are unchanged, so its runs count as finished.)
 */
export function gridCells(): (Cell & { seeds: number })[] {
  const cells: (Cell & { seeds: number })[] = [];
  const add = (family: string, reward: RewardName, gamma: number | null, arm: Arm, seeds: number) => {
    const same = cells.find((c) => c.family === family && c.reward === reward && c.gamma === gamma && c.arm === arm);
    if (same) same.seeds = Math.max(same.seeds, seeds);
    else cells.push({ family, reward, gamma, arm, seeds });
  };
  const seedsOf = (_family: string) => 3;
  for (const f of FAMILY_NAMES) {
    for (const r of PAPER_REWARD_LADDER) add(f, r, r === 'random' ? 0.5 : null, 'clip', seedsOf(f));
    add(f, 'python', null, 'clip', seedsOf(f));
  }
  for (const f of ['good-code', 'bad-code']) for (const r of ['format-no-python', 'incorrect-no-python'] as const) add(f, r, null, 'clip', seedsOf(f));
  for (const f of ['good-code', 'bad-code']) add(f, 'random-no-python', 0.5, 'clip', seedsOf(f));
  for (const g of [0.7, 0.5, 0.3, 0.001, 0]) add('good-code', 'random', g, 'clip', 3);
  for (const m of ['clip', 'noclip', 'minibatch=rollout', 'rollout=minibatch'] as const) add('good-code', 'random', 0.5, m, 5);
  return cells;
}

/** Every run of a preset's grid, as full configs. */
export function gridRuns(preset: string): GrpoConfig[] {
  const overrides = PRESETS[preset];
  if (!overrides) throw new Error(`unknown preset '${preset}' (use one of ${Object.keys(PRESETS).join(', ')})`);
  // A cell's seed count is the grid's, not a run's: it stays out of the run's config (and identity).
  return gridCells().flatMap(({ seeds, arm, ...c }) => Array.from({ length: seeds }, (_, s) => validateGrpoConfig({ ...overrides, ...c, ...fromClipMode(arm), seed: s + 1 }, `preset ${preset}`)));
}

export function runDirOf(preset: string, cfg: GrpoConfig, root = RESULTS_DIR): string {
  return path.join(root, preset, runId(cfg));
}

/**
 * Whether a run finished as the same run (`standinIdentity`: the same config, canonically, from the same starting checkpoint).
 * A run finished from an older checkpoint is not done: re-running it stops with an error that says
 * to move it away.
 */
export function isFinished(preset: string, cfg: GrpoConfig, root = RESULTS_DIR, checkpointsDir = CHECKPOINTS_DIR): boolean {
  return isFinishedRun(runDirOf(preset, cfg, root), standinIdentity(cfg, checkpointsDir));
}

/** Rebuilds results/<preset>/summary.json from the run logs of finished runs. */
export function summarizePreset(preset: string, root = RESULTS_DIR): RunSummary[] {
  const out = loadRuns(preset, root).map((r) => r.summary);
  const file = path.join(root, preset, 'summary.json');
  writeFileAtomic(file, JSON.stringify(out, null, 1) + '\n');
  return out;
}

/**
 * Per family × reward × clip-mode cell: the accuracy gain over seeds (mean ± sd, n and the 95% t
 * interval of the mean per-seed change; null below 2 seeds) and the code frequency at the start and end.
 */
export function cellTable(summaries: readonly RunSummary[]): { family: string; reward: string; clip_mode: string; seeds: number; gain_mean: number; gain_sd: number; gain_lo: number | null; gain_hi: number | null; code_start: number; code_end: number }[] {
  const groups = new Map<string, RunSummary[]>();
  for (const s of summaries) {
    const key = `${s.family}|${s.gamma !== null ? `${s.reward}(${s.gamma})` : s.reward}|${s.clip_mode}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.entries()].map(([key, xs]) => {
    const [family, reward, clip_mode] = key.split('|');
    const g = pairedStat(xs.map((x) => (x.acc_end ?? 0) - (x.acc_start ?? 0)))!;
    const avg = (f: (x: RunSummary) => number | null) => xs.reduce((a, x) => a + (f(x) ?? 0), 0) / xs.length;
    return { family, reward, clip_mode, seeds: xs.length, gain_mean: g.mean, gain_sd: g.sd, gain_lo: g.lo, gain_hi: g.hi, code_start: avg((x) => x.code_start), code_end: avg((x) => x.code_end) };
  });
}
