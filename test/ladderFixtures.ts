/** Hand-built ladder rows for the rule tests: each shaped so a rule can come out either way. */
import { LADDER_CELLS, LadderArm, LadderRow } from '../src/rl/ladder';

/** A finished run whose greedy accuracy (and code share) change by `delta` (`code`) from step 0 to `at` clip steps. */
export function row(cell: string, arm: LadderArm, seed: number, delta: number, at: number, opts: { code?: number; clip?: number } = {}): LadderRow {
  const factor = arm === 'matched-null' ? 8 : 1;
  return {
    id: `${cell}-${arm}-${seed}`, cell, arm, seed, lr: 1e-4, epsilon: 0.2, updates: 384, samples: 3072, clip_high: opts.clip ?? 0, clip_low: 0, kl_ref_end: null, step_code: ['h'],
    points: [
      { step: 0, clip_steps: 0, acc: 0.3, code: 0.1, sampled_acc: null, sampled_code: null, majority_code: null, update_rel_cum: 0 },
      { step: at * factor, clip_steps: at, acc: 0.3 + delta / 100, code: 0.1 + (opts.code ?? 0) / 100, sampled_acc: null, sampled_code: null, majority_code: null, update_rel_cum: 0.1 },
    ],
  };
}


export const seeds = (list: number[], f: (s: number, i: number) => LadderRow[]) => list.flatMap(f);
/** Every candidate cell screened (clip − null = `endpoint(cell)` on seeds 101–103). */
export function screen(endpoint: (cell: string) => number): LadderRow[] {
  return LADDER_CELLS.filter((c) => !c.arms).flatMap((c) => seeds([101, 102, 103], (s, i) => [row(c.id, 'random-clip', s, endpoint(c.id) - 10 + i, c.budget), row(c.id, 'matched-null', s, -10 + i, c.budget)]));
}

