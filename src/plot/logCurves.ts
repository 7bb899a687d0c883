/**
 * Curve points straight from step logs (log.jsonl rows, `StepLog<E>`), whatever wrote them: the
 * stand-in's curve helpers (standin.ts) take RunRecords of results/<preset>/, while a real
 * checkpoint's runs (src/real/policy.ts) or a scratch run have only their logs. The points feed
 * curvesSpec like the stand-in's: mean ± sd over the logs at each step.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../engine/atomic';
import { projectPath } from '../engine/paths';
import type { StepLog } from '../rl/log';
import { CurvePoint, meanSd } from '../rl/results';
import { rewardColor } from './colors';
import type { FigureSpec } from './spec';
import { curvesSpec } from './standin';

/** Per step, mean ± sd over the logs of `value(row)` (rows where it is not a number are skipped). */
export function logCurve<E>(logs: readonly (readonly StepLog<E>[])[], value: (row: StepLog<E>) => number | null | undefined): CurvePoint[] {
  const bySteps = new Map<number, number[]>();
  for (const log of logs) {
    for (const row of log) {
      const v = value(row);
      if (typeof v === 'number' && Number.isFinite(v)) bySteps.set(row.step, [...(bySteps.get(row.step) ?? []), v]);
    }
  }
  return [...bySteps.entries()].sort((a, b) => a[0] - b[0]).map(([step, xs]) => ({ step, ...meanSd(xs) }));
}

/** Keys of an evaluation record whose values are numbers (acc, code, …). */
export type NumericKey<E> = { [K in keyof E]-?: E[K] extends number ? K : never }[keyof E];

/** An evaluation metric of the logged evaluations (rows with `eval`), mean ± sd over the logs. */
export function evalLogCurve<E>(logs: readonly (readonly StepLog<E>[])[], metric: NumericKey<E>): CurvePoint[] {
  return logCurve(logs, (row) => (row.eval ? (row.eval[metric] as unknown as number) : undefined));
}

/** One run's curves, kept as plain numbers: what a figure of a scratch run needs, without its timings. */
export interface RunCurves {
  arm: string;
  acc: CurvePoint[];
  code: CurvePoint[];
  reward: CurvePoint[];
}

export function runCurves<E extends { acc: number; code: number }>(arm: string, log: readonly StepLog<E>[]): RunCurves {
  return { arm, acc: logCurve([log], (r) => r.eval?.acc), code: logCurve([log], (r) => r.eval?.code), reward: logCurve([log], (r) => r.reward_mean) };
}

/**
 * Notebook 09's curves of GRPO on a real-architecture checkpoint (random γ = 0.5 against ground
 * truth): greedy MATH-500 accuracy, code frequency, or the mean training reward.
 */
export function realRunCurvesSpec(runs: readonly RunCurves[], metric: 'acc' | 'code' | 'reward', o: { label: string; provenance: string }): FigureSpec {
  const style = (arm: string) => (arm === 'random' ? { name: 'random (γ = 0.5)', color: rewardColor('random') } : { name: 'ground truth', color: rewardColor('ground_truth') });
  const what = { acc: ['MATH-500 greedy accuracy during GRPO', 'greedy accuracy (%)'], code: ['Code reasoning frequency during GRPO', 'greedy responses with code (%)'], reward: ['Mean training reward per step', 'mean reward (%)'] }[metric];
  return curvesSpec(runs.map((r) => ({ ...style(r.arm), points: r[metric] })), { title: `${what[0]} (${o.label})`, provenance: o.provenance, yTitle: what[1], yRange: [0, 100] });
}

/** results/real-tiny/curves.json: notebook 09's tiny-checkpoint runs, the data of its catalog figures. */
export const TINY_CURVES_FILE = projectPath('results', 'real-tiny', 'curves.json');

export interface TinyCurves {
  label: string;
  provenance: string;
  runs: RunCurves[];
}

export function saveTinyCurves(c: TinyCurves, file = TINY_CURVES_FILE): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(c, null, 1) + '\n');
}

export function loadTinyCurves(file = TINY_CURVES_FILE): TinyCurves {
  if (!fs.existsSync(file)) throw new Error(`${file}: missing; execute notebooks/09-real-checkpoints.ipynb (with its default tiny checkpoint) to write it`);
  const c = JSON.parse(fs.readFileSync(file, 'utf8')) as TinyCurves;
  if (!Array.isArray(c.runs)) throw new Error(`${file}: field 'runs' must be an array`);
  return c;
}
