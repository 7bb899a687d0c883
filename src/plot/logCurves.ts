/**
 * Curve points straight from step logs (log.jsonl rows, `StepLog<E>`), whatever wrote them: the
 * stand-in's curve helpers (standin.ts) take RunRecords of results/<preset>/, while a real
 * checkpoint's runs (src/real/policy.ts) or a scratch run have only their logs. The points feed
 * curvesSpec like the stand-in's: mean ± sd over the logs at each step.
 */
import type { StepLog } from '../rl/log';
import { CurvePoint, meanSd } from '../rl/results';

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
