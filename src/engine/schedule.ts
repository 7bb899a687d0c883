/** Learning-rate schedules as pure functions of the step (0-based). */
export type LrSchedule =
  | { kind: 'constant'; lr: number }
  | { kind: 'warmup-cosine'; lr: number; warmupSteps: number; totalSteps: number; minLr: number };

export function learningRate(s: LrSchedule, step: number): number {
  if (s.kind === 'constant') return s.lr;
  if (step < s.warmupSteps) return (s.lr * (step + 1)) / s.warmupSteps;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const progress = Math.min(1, (step - s.warmupSteps) / span);
  return s.minLr + 0.5 * (s.lr - s.minLr) * (1 + Math.cos(Math.PI * progress));
}
