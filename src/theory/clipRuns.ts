/**
 * The toy simulations notebook 04 and its figures show: the base setting, seed counts, and
 * small runners over simulate.ts that train the same seeds with and without the clip (a pair)
 * or sweep one or two parameters. Plot specs live in src/plot/clipBias.ts.
 */
import { simulateClipBias, resolveClipSim, longTailPrior, type ClipSimConfig, type ClipSimResult, type SimClipMode } from './simulate';
import { summariseClipSim, type ClipSimSummary } from './summary';

/** Every comparison runs both modes on the same seeds, no clip first. */
export const CLIP_MODES: readonly SimClipMode[] = ['noclip', 'clip'];

/**
 * The setting every figure starts from: Paper A's G = 16, ε = 0.2, γ = 0.5 and 8 mini-batch updates
 * per rollout phase (one update per mini-batch of 2), step size η = 1 on the logits, 200 phases,
 * prior [0.65, 0.35] (the default of simulate.ts). Same as `npm run clip-bias`'s η=1, k=8 row.
 */
export const CLIP_FIGURE_BASE: Readonly<Partial<ClipSimConfig>> = Object.freeze({
  updateScheme: 'minibatches' as const,
  lr: 1,
  updatesPerRollout: 8,
  steps: 200,
  firstSeed: 1,
});

export interface ClipFigureSeeds {
  /** Seeds for the trajectory and long-tail figures (two runs each). */
  main: number;
  /** Seeds per cell of the sweeps (many cells). */
  sweep: number;
}

/** The committed figures and notebook outputs use these. */
export const CLIP_FIGURE_SEEDS_FULL: Readonly<ClipFigureSeeds> = Object.freeze({ main: 400, sweep: 200 });
/** Notebook fast mode (the notebook test): same code path, far fewer seeds, so wide intervals. */
export const CLIP_FIGURE_SEEDS_FAST: Readonly<ClipFigureSeeds> = Object.freeze({ main: 48, sweep: 24 });

/** The same seeds trained with and without the clip. */
export interface ClipPair {
  noclip: ClipSimResult;
  clip: ClipSimResult;
}

export function runClipPair(overrides: Partial<ClipSimConfig> = {}, seeds = CLIP_FIGURE_SEEDS_FULL.main): ClipPair {
  const o = { ...CLIP_FIGURE_BASE, seeds, ...overrides };
  return { noclip: simulateClipBias({ ...o, clipMode: 'noclip' }), clip: simulateClipBias({ ...o, clipMode: 'clip' }) };
}

export interface ClipSweepPoint {
  /** Panel the point belongs to ('' = one panel). */
  facet: string;
  /** Position on the x axis (in the swept parameter's units). */
  x: number;
  overrides: Partial<ClipSimConfig>;
}

export interface ClipSweepCell {
  facet: string;
  x: number;
  mode: SimClipMode;
  config: ClipSimConfig;
  summary: ClipSimSummary;
}

/** Runs every point with and without the clip (same seeds) and summarises each run. */
export function runClipSweep(points: readonly ClipSweepPoint[], seeds = CLIP_FIGURE_SEEDS_FULL.sweep): ClipSweepCell[] {
  const cells: ClipSweepCell[] = [];
  for (const p of points) {
    for (const mode of CLIP_MODES) {
      const r = simulateClipBias({ ...CLIP_FIGURE_BASE, seeds, ...p.overrides, clipMode: mode });
      cells.push({ facet: p.facet, x: p.x, mode, config: r.config, summary: summariseClipSim(r) });
    }
  }
  return cells;
}

export const SWEEP_LRS: readonly number[] = [0.1, 0.25, 0.5, 1];
export const SWEEP_UPDATES: readonly number[] = [1, 2, 4, 8];
export const SWEEP_GAMMAS: readonly number[] = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
export const SWEEP_MAJORITY: readonly number[] = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95];

/** Step size η (panels) × updates per rollout phase k (x). k = 1 means ρ = 1 at every update. */
export function lrUpdatesSweep(seeds = CLIP_FIGURE_SEEDS_FULL.sweep, lrs = SWEEP_LRS, ks = SWEEP_UPDATES): ClipSweepCell[] {
  const points: ClipSweepPoint[] = [];
  for (const lr of lrs) for (const k of ks) points.push({ facet: `η = ${lr}`, x: k, overrides: { lr, updatesPerRollout: k } });
  return runClipSweep(points, seeds);
}

/** Reward rate γ; γ = 0 and γ = 1 give all-equal groups, Â ≡ 0, no learning signal of any kind. */
export function gammaSweep(seeds = CLIP_FIGURE_SEEDS_FULL.sweep, gammas = SWEEP_GAMMAS): ClipSweepCell[] {
  return runClipSweep(gammas.map((gamma) => ({ facet: '', x: gamma, overrides: { gamma } })), seeds);
}

/** π_0 of the majority in a two-behaviour prior [p, 1 − p]; the threshold 1/(1+ε) sits at 0.833. */
export function priorSweep(seeds = CLIP_FIGURE_SEEDS_FULL.sweep, majorities = SWEEP_MAJORITY): ClipSweepCell[] {
  return runClipSweep(majorities.map((p) => ({ facet: '', x: p, overrides: { prior: [p, 1 - p] } })), seeds);
}

/** The long-tail prior of simulate.ts: [0.5, 0.2, 0.1] + 20 tail behaviours of 0.01. */
export function longTailPair(seeds = CLIP_FIGURE_SEEDS_FULL.main): ClipPair {
  return runClipPair({ prior: longTailPrior() }, seeds);
}

/** The config a figure run would use (base setting, `seeds`, then `overrides`), resolved. */
export function clipFigureConfig(overrides: Partial<ClipSimConfig> = {}, seeds = CLIP_FIGURE_SEEDS_FULL.main): ClipSimConfig {
  return resolveClipSim({ ...CLIP_FIGURE_BASE, seeds, ...overrides });
}
