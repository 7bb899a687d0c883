/**
 * The rows of notebooks 02 and 05's tables of the reward grid (results/full): per cell the gain with
 * n and its 95% interval, the paired difference to a control arm, and which seeds ran on which
 * version of the GRPO step (stepVersions.ts). Frames in frames.ts print them.
 */
import { CellChange, RunRecord, armDifference, cellChange, ladderCell } from './results';
import { fullGridStepVersion, seedList, STEP_VERSION_LABEL, STEP_VERSIONS, StepVersion } from './stepVersions';
import type { PairedStat } from './stats';

export interface GridRow {
  family: string;
  /** GRPO reward name ('random' and its compounds at γ = 0.5). */
  reward: string;
  arm: string;
  /** Greedy-accuracy change end − start (fractions). */
  gain: CellChange;
  /** Code-frequency change end − start (fractions); start and end are the means over seeds. */
  code: CellChange;
  /** This reward's accuracy change − the control's, paired by seed (null for the control itself or without one). */
  vsControl: PairedStat | null;
  /** "1–3: 23 Nov step" or "1–2: 23 Nov step; 3: 2 Dec step". */
  stepCode: string;
}

/** "1–3: 23 Nov step; 4–5: 2 Dec step": the seeds of each version present in the runs. */
export function seedsByVersion(runs: readonly RunRecord[]): string {
  return STEP_VERSIONS.flatMap((v) => {
    const seeds = runs.filter((r) => fullGridStepVersion(r) === v).map((r) => r.cfg.seed);
    return seeds.length ? [`${seedList(seeds)}: ${STEP_VERSION_LABEL[v]}`] : [];
  }).join('; ');
}

/**
 * One row per family × reward (cells without finished runs are left out). `control`: the reward
 * every other one is compared with, seed by seed, within its family (default the random reward: the
 * uninformative signal, so the difference is what a reward's information adds to the same updates).
 */
export function rewardGridRows(runs: readonly RunRecord[], families: readonly string[], rewards: readonly string[], o: { arm?: string; control?: string | null } = {}): GridRow[] {
  const arm = o.arm ?? 'clip';
  const control = o.control === undefined ? 'random' : o.control;
  return families.flatMap((family) => {
    const controlRuns = control ? ladderCell(runs, family, control, arm) : [];
    return rewards.flatMap((reward) => {
      const cell = ladderCell(runs, family, reward, arm);
      if (!cell.length) return [];
      const vsControl = control && reward !== control && controlRuns.length ? armDifference(cell, controlRuns) : null;
      return [{ family, reward, arm, gain: cellChange(cell), code: cellChange(cell, 'code'), vsControl, stepCode: seedsByVersion(cell) }];
    });
  });
}

export interface VersionRow {
  /** The arm's label, e.g. the clip mode. */
  label: string;
  /** 'pooled' for all seeds, else the version the seeds ran on. */
  version: StepVersion | 'pooled';
  seeds: number[];
  acc: CellChange;
  code: CellChange;
  /** The arm − the control arm over the same seeds, paired (null for the control or without one). */
  accVsControl: PairedStat | null;
  codeVsControl: PairedStat | null;
}

/**
 * Arms of one cell whose seeds span both step versions (good-code's random(0.5) clip-mode ablation:
 * seeds 1–3 on 23 Nov, 4–5 on 2 Dec): per arm, a pooled row and one row per version, each with the
 * accuracy and code-frequency change and the paired difference to `control` over those seeds (both
 * arms of a seed ran on the same version, so every paired difference stays within one version).
 */
export function versionRows(arms: ReadonlyArray<{ label: string; runs: readonly RunRecord[] }>, control?: string): VersionRow[] {
  const controlRuns = arms.find((a) => a.label === control)?.runs ?? [];
  return arms.flatMap(({ label, runs }) => {
    const groups: Array<[VersionRow['version'], readonly RunRecord[]]> = [['pooled', runs], ...STEP_VERSIONS.map((v): [StepVersion, RunRecord[]] => [v, runs.filter((r) => fullGridStepVersion(r) === v)])];
    return groups.filter(([, rs]) => rs.length).map(([version, rs]) => {
      const seeds = rs.map((r) => r.cfg.seed).sort((a, b) => a - b);
      const ctl = controlRuns.filter((r) => seeds.includes(r.cfg.seed));
      const paired = label !== control && ctl.length > 0;
      return {
        label, version, seeds,
        acc: cellChange(rs), code: cellChange(rs, 'code'),
        accVsControl: paired ? armDifference(rs, ctl) : null,
        codeVsControl: paired ? armDifference(rs, ctl, 'code') : null,
      };
    });
  });
}
