/**
 * Figures for notebook 04 (the clipping bias, Paper A Appendix B): which toy simulations the
 * figures show (small runners over src/theory/simulate.ts) and plotly specs built from the
 * theory modules' outputs. Every figure here is OURS — an exact formula or a toy simulation of a
 * softmax policy — never a number from the paper, and its provenance line says so, with seeds
 * and what the bands/bars mean.
 */
import {
  advantageMoments,
  clippedTermGradient,
  column,
  longTailPrior,
  meanCI,
  probabilityBand,
  resolveClipSim,
  simulateClipBias,
  summariseClipSim,
  upperClipThreshold,
  type ClipSimConfig,
  type ClipSimResult,
  type ClipSimSummary,
  type MeanCI,
  type SimClipMode,
} from '../theory/index';
import { notebookFastMode } from './notebook';
import { layoutWith, type FigureSpec } from './spec';

// ---------------------------------------------------------------------------------------------
// Which simulations the figures show

/** Blue = without the clip (ρÂ), orange-red = with it (min(ρÂ, clip(ρ)Â)). */
export const CLIP_MODE_COLORS: Readonly<Record<SimClipMode, string>> = Object.freeze({ noclip: '#2563eb', clip: '#c2410c' });
export const CLIP_MODE_LABELS: Readonly<Record<SimClipMode, string>> = Object.freeze({ noclip: 'no clip (ρÂ)', clip: 'clip, ε = 0.2' });
const MODES: readonly SimClipMode[] = ['noclip', 'clip'];

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

export function clipFigureSeeds(fast = notebookFastMode()): ClipFigureSeeds {
  return { ...(fast ? CLIP_FIGURE_SEEDS_FAST : CLIP_FIGURE_SEEDS_FULL) };
}

/** The same seeds trained with and without the clip. */
export interface ClipPair {
  noclip: ClipSimResult;
  clip: ClipSimResult;
}

export function runClipPair(overrides: Partial<ClipSimConfig> = {}, seeds = clipFigureSeeds().main): ClipPair {
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
export function runClipSweep(points: readonly ClipSweepPoint[], seeds = clipFigureSeeds().sweep): ClipSweepCell[] {
  const cells: ClipSweepCell[] = [];
  for (const p of points) {
    for (const mode of MODES) {
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
export function lrUpdatesSweep(seeds = clipFigureSeeds().sweep, lrs = SWEEP_LRS, ks = SWEEP_UPDATES): ClipSweepCell[] {
  const points: ClipSweepPoint[] = [];
  for (const lr of lrs) for (const k of ks) points.push({ facet: `η = ${lr}`, x: k, overrides: { lr, updatesPerRollout: k } });
  return runClipSweep(points, seeds);
}

/** Reward rate γ; γ = 0 and γ = 1 give all-equal groups, Â ≡ 0, no learning signal of any kind. */
export function gammaSweep(seeds = clipFigureSeeds().sweep, gammas = SWEEP_GAMMAS): ClipSweepCell[] {
  return runClipSweep(gammas.map((gamma) => ({ facet: '', x: gamma, overrides: { gamma } })), seeds);
}

/** π_0 of the majority in a two-behaviour prior [p, 1 − p]; the threshold 1/(1+ε) sits at 0.833. */
export function priorSweep(seeds = clipFigureSeeds().sweep, majorities = SWEEP_MAJORITY): ClipSweepCell[] {
  return runClipSweep(majorities.map((p) => ({ facet: '', x: p, overrides: { prior: [p, 1 - p] } })), seeds);
}

/** The long-tail prior of simulate.ts: [0.5, 0.2, 0.1] + 20 tail behaviours of 0.01. */
export function longTailPair(seeds = clipFigureSeeds().main): ClipPair {
  return runClipPair({ prior: longTailPrior() }, seeds);
}

// ---------------------------------------------------------------------------------------------
// Statistics the figures need (beyond src/theory/summary.ts)

export interface TrajectoryBand {
  t: number[];
  mean: number[];
  lo: number[];
  hi: number[];
}

/**
 * Mean and 95% CI over seeds at every step of a seeds × (T+1) trajectory. `relative` subtracts
 * each run's own value at t = 0 first (for the centred logit, whose level is arbitrary).
 */
export function trajectoryBand(traj: Float64Array, seeds: number, relative = false): TrajectoryBand {
  if (seeds < 2) throw new Error(`trajectoryBand: need ≥ 2 seeds for an interval, got ${seeds}`);
  const width = traj.length / seeds;
  const start = column(traj, seeds, 0);
  const out: TrajectoryBand = { t: [], mean: [], lo: [], hi: [] };
  for (let t = 0; t < width; t++) {
    const col = column(traj, seeds, t);
    if (relative) for (let s = 0; s < seeds; s++) col[s] -= start[s];
    const m = meanCI(col);
    out.t.push(t);
    out.mean.push(m.mean);
    out.lo.push(m.lo);
    out.hi.push(m.hi);
  }
  return out;
}

/** Trajectory of run `seed` (0-based row), optionally relative to its start. */
export function runTrajectory(traj: Float64Array, seeds: number, seed: number, relative = false): number[] {
  const width = traj.length / seeds;
  const row = Array.from(traj.subarray(seed * width, (seed + 1) * width));
  return relative ? row.map((v) => v - row[0]) : row;
}

/**
 * Per behaviour j: change of the centred logit θ_T(j) − mean θ_T − (θ_0(j) − mean θ_0), mean and
 * 95% CI over seeds. Computed from the final probabilities (log π is θ up to a shift, and the
 * centring removes the shift); π is floored at 1e-300 so a vanished behaviour stays finite.
 */
export function behaviourLogitChanges(r: ClipSimResult): MeanCI[] {
  const K = r.config.prior.length;
  const { seeds } = r.config;
  const centred = (logs: number[]): number[] => {
    const m = logs.reduce((a, b) => a + b, 0) / logs.length;
    return logs.map((l) => l - m);
  };
  const start = centred(r.config.prior.map(Math.log));
  const changes = Array.from({ length: K }, () => new Float64Array(seeds));
  for (let s = 0; s < seeds; s++) {
    const end = centred(Array.from(r.finalProbs.subarray(s * K, (s + 1) * K), (p) => Math.log(Math.max(p, 1e-300))));
    for (let j = 0; j < K; j++) changes[j][s] = end[j] - start[j];
  }
  return changes.map((c) => meanCI(c));
}

// ---------------------------------------------------------------------------------------------
// Provenance and layout helpers

const fmtNum = (v: number): string => String(Number(v.toPrecision(3)));

/**
 * "ours — toy simulation …" line for a figure, listing the fixed parameters of `c` except the
 * ones in `varied` (described by `variedText`), the seeds and what the intervals are.
 */
export function simProvenance(c: ClipSimConfig, varied: readonly string[] = [], variedText = ''): string {
  const parts: string[] = [];
  const add = (key: string, text: string) => {
    if (!varied.includes(key)) parts.push(text);
  };
  add('prior', c.prior.length <= 4 ? `prior [${c.prior.map(fmtNum).join(', ')}]` : `${c.prior.length}-behaviour prior`);
  parts.push(`G = ${c.groupSize}`);
  add('gamma', `γ = ${fmtNum(c.gamma)}`);
  parts.push(c.epsLow === c.epsHigh ? `ε = ${fmtNum(c.epsLow)}` : `ε = ${fmtNum(c.epsLow)}/${fmtNum(c.epsHigh)}`);
  add('lr', `η = ${fmtNum(c.lr)}`);
  add('updatesPerRollout', `k = ${c.updatesPerRollout} ${c.updateScheme === 'minibatches' ? 'mini-batch' : 'epoch'} updates/rollout`);
  parts.push(`${c.steps} rollout phases`);
  const seeds = `seeds ${c.firstSeed}–${c.firstSeed + c.seeds - 1}${varied.length ? ' per cell' : ''}`;
  return (
    `ours — toy simulation (src/theory/simulate.ts), not the paper: softmax policy, GRPO on random rewards; ` +
    `${parts.join(', ')}${variedText ? `; ${variedText}` : ''}; ${seeds}; intervals = 95% CI of the mean over seeds`
  );
}

/** Splits the provenance at '; ' into lines of at most ~maxChars characters. */
function wrapProvenance(provenance: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const piece of provenance.split('; ')) {
    const next = line ? `${line}; ${piece}` : piece;
    if (line && next.length > maxChars) {
      lines.push(`${line};`);
      line = piece;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Title (one line, at the top of the figure) and the provenance in small grey type just above the
 * plotting area, wrapped at '; '. (Plotly mis-anchors multi-line titles, hence the annotation.)
 */
function titleAndProvenance(title: string, provenance: string, maxChars = 150): { title: Record<string, unknown>; annotation: Record<string, unknown> } {
  return {
    title: { text: title, x: 0.02, xanchor: 'left', yref: 'container', y: 0.985, yanchor: 'top', font: { size: 17 } },
    annotation: {
      text: wrapProvenance(provenance, maxChars).join('<br>'),
      xref: 'paper',
      yref: 'paper',
      x: 0,
      y: 1,
      yshift: 30,
      xanchor: 'left',
      yanchor: 'bottom',
      align: 'left',
      showarrow: false,
      font: { size: 11.5, color: '#555' },
    },
  };
}

/** Layout fragment: title + provenance annotation (merged into `annotations` by `withAnnotations`). */
function withHeader(title: string, provenance: string, maxChars = 150): Record<string, unknown> {
  const h = titleAndProvenance(title, provenance, maxChars);
  return { title: h.title, _provenanceAnnotation: h.annotation };
}

/** Moves the provenance annotation of `withHeader` into `annotations`. */
function finishLayout(layout: Record<string, unknown>): Record<string, unknown> {
  const { _provenanceAnnotation, ...rest } = layout;
  const annotations = [...((rest.annotations as unknown[]) ?? []), _provenanceAnnotation].filter(Boolean);
  return { ...rest, annotations };
}

function rgba(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Axis ids for panel i (0-based): 'x', 'x2', …; layout keys 'xaxis', 'xaxis2', …. */
const axisId = (i: number, a: 'x' | 'y'): string => (i === 0 ? a : `${a}${i + 1}`);
const axisKey = (i: number, a: 'x' | 'y'): string => (i === 0 ? `${a}axis` : `${a}axis${i + 1}`);

interface Grid {
  rows: number;
  cols: number;
  gapX?: number;
  gapY?: number;
}

/** Domains of panel (r, c) in a rows × cols grid, row 0 on top. */
function panelDomain(g: Grid, r: number, c: number): { x: [number, number]; y: [number, number] } {
  const gx = g.gapX ?? 0.07;
  const gy = g.gapY ?? 0.14;
  const w = (1 - gx * (g.cols - 1)) / g.cols;
  const h = (1 - gy * (g.rows - 1)) / g.rows;
  const x0 = c * (w + gx);
  const y1 = 1 - r * (h + gy);
  return { x: [x0, x0 + w], y: [y1 - h, y1] };
}

/** Layout entries for every panel of the grid, with per-panel extras. */
function gridAxes(g: Grid, extra: (i: number, r: number, c: number) => { x?: Record<string, unknown>; y?: Record<string, unknown> }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let r = 0; r < g.rows; r++) {
    for (let c = 0; c < g.cols; c++) {
      const i = r * g.cols + c;
      const d = panelDomain(g, r, c);
      const e = extra(i, r, c);
      out[axisKey(i, 'x')] = { domain: d.x, anchor: axisId(i, 'y'), gridcolor: '#eee', zeroline: false, ...(e.x ?? {}) };
      out[axisKey(i, 'y')] = { domain: d.y, anchor: axisId(i, 'x'), gridcolor: '#eee', ...(e.y ?? {}) };
    }
  }
  return out;
}

/** A bold label above panel i. */
function panelTitle(g: Grid, r: number, c: number, text: string): Record<string, unknown> {
  const d = panelDomain(g, r, c);
  return { text: `<b>${text}</b>`, xref: 'paper', yref: 'paper', x: (d.x[0] + d.x[1]) / 2, y: d.y[1] + 0.01, xanchor: 'center', yanchor: 'bottom', showarrow: false, font: { size: 13 } };
}

/** Mean line + shaded 95% band (+ legend entry on the mean line). */
function bandTraces(
  b: TrajectoryBand,
  color: string,
  name: string,
  panel: number,
  showlegend: boolean,
): Array<Record<string, unknown>> {
  return [
    {
      type: 'scatter',
      mode: 'lines',
      x: [...b.t, ...[...b.t].reverse()],
      y: [...b.hi, ...[...b.lo].reverse()],
      fill: 'toself',
      fillcolor: rgba(color, 0.2),
      line: { width: 0, color: rgba(color, 0) },
      hoverinfo: 'skip',
      showlegend: false,
      legendgroup: name,
      xaxis: axisId(panel, 'x'),
      yaxis: axisId(panel, 'y'),
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: `${name}: mean ± 95% CI`,
      x: b.t,
      y: b.mean,
      line: { color, width: 2.5 },
      legendgroup: name,
      showlegend,
      hovertemplate: `${name}<br>t = %{x}<br>mean %{y:.3f}<extra></extra>`,
      xaxis: axisId(panel, 'x'),
      yaxis: axisId(panel, 'y'),
    },
  ];
}

function faintTraces(rows: number[][], color: string, name: string, panel: number, showlegend: boolean): Array<Record<string, unknown>> {
  return rows.map((y, i) => ({
    type: 'scatter',
    mode: 'lines',
    name: `${name}: ${rows.length} single runs`,
    x: y.map((_, t) => t),
    y,
    line: { color: rgba(color, 0.28), width: 1 },
    legendgroup: `${name}-runs`,
    showlegend: showlegend && i === 0,
    hoverinfo: 'skip',
    xaxis: axisId(panel, 'x'),
    yaxis: axisId(panel, 'y'),
  }));
}

// ---------------------------------------------------------------------------------------------
// Exact-formula figures (no simulation, no seeds)

/** Step 2: the clipped objective min(ρÂ, clip(ρ)Â) and its derivative in ρ, for Â = +1 and −1. */
export function clipGradientSpec(eps = 0.2): FigureSpec {
  const provenance = `ours — exact formula (src/theory/clipGradient.ts), no simulation: ε = ${eps}, Â = ±1; band [1−ε, 1+ε] shaded; closed band at the kinks, as tfjs autograd has it`;
  const rho = Array.from({ length: 241 }, (_, i) => 0.4 + (1.2 * i) / 240);
  const clip = (r: number) => Math.min(Math.max(r, 1 - eps), 1 + eps);
  const g: Grid = { rows: 1, cols: 2, gapX: 0.1 };
  const data: Array<Record<string, unknown>> = [];
  const cases: Array<[number, string, string]> = [
    [1, 'Â = +1', CLIP_MODE_COLORS.clip],
    [-1, 'Â = −1', '#7c3aed'],
  ];
  for (const [a, name, color] of cases) {
    data.push({ type: 'scatter', mode: 'lines', name: `${name}: ρÂ (no clip)`, x: rho, y: rho.map((r) => r * a), line: { color, dash: 'dot', width: 1.5 }, legendgroup: name });
    data.push({ type: 'scatter', mode: 'lines', name: `${name}: min(ρÂ, clip(ρ)Â)`, x: rho, y: rho.map((r) => Math.min(r * a, clip(r) * a)), line: { color, width: 3 }, legendgroup: name });
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `${name}: ∂/∂ρ`,
      x: rho,
      y: rho.map((r) => clippedTermGradient(r, a, eps, eps)),
      line: { color, width: 3, shape: 'hv' },
      legendgroup: name,
      showlegend: false,
      xaxis: 'x2',
      yaxis: 'y2',
    });
  }
  const band = (i: number) => ({ type: 'rect', xref: axisId(i, 'x'), yref: `${axisId(i, 'y')} domain`, x0: 1 - eps, x1: 1 + eps, y0: 0, y1: 1, fillcolor: 'rgba(120,120,120,0.12)', line: { width: 0 }, layer: 'below' });
  return {
    data,
    layout: finishLayout(layoutWith({
      ...withHeader('Step 2 · the clipped term: Â > 0 loses its gradient above 1+ε, Â < 0 below 1−ε', provenance),
      ...gridAxes(g, (i) => ({
        x: { title: { text: 'ratio ρ = π/π_old' } },
        y: { title: { text: i === 0 ? 'per-token objective' : '∂ objective / ∂ρ' }, zeroline: true, zerolinecolor: '#999' },
      })),
      shapes: [band(0), band(1)],
      annotations: [panelTitle(g, 0, 0, 'objective'), panelTitle(g, 0, 1, 'its derivative (what multiplies ∇ρ)')],
      legend: { orientation: 'h', y: -0.27 },
      margin: { l: 70, r: 30, t: 130, b: 130 },
    })),
    width: 1000,
    height: 470,
    provenance,
  };
}

/** Steps 1 and 3: μ = P(Â>0)·E[Â|Â>0] as a function of γ (exact enumeration, advantage.ts). */
export function advantageMuSpec(groupSizes: readonly number[] = [4, 8, 16, 64], G = 16): FigureSpec {
  const provenance = `ours — exact enumeration over k ~ Binomial(G, γ) (src/theory/advantage.ts), no simulation: population-std group normalisation, Â = 0 for all-equal groups`;
  const gammas = Array.from({ length: 101 }, (_, i) => i / 100);
  const g: Grid = { rows: 1, cols: 2, gapX: 0.1 };
  const shades = ['#9ecae1', '#4292c6', CLIP_MODE_COLORS.clip, '#08306b'];
  const data: Array<Record<string, unknown>> = groupSizes.map((n, i) => ({
    type: 'scatter',
    mode: 'lines',
    name: `μ, G = ${n}`,
    x: gammas,
    y: gammas.map((gm) => advantageMoments(gm, n).mu),
    line: { color: n === G ? CLIP_MODE_COLORS.clip : shades[i % shades.length], width: n === G ? 3 : 1.5 },
  }));
  const m = gammas.map((gm) => advantageMoments(gm, G));
  data.push(
    { type: 'scatter', mode: 'lines', name: `P(Â > 0), G = ${G}`, x: gammas, y: m.map((v) => v.pPositive), line: { color: '#555', dash: 'dash' }, xaxis: 'x2', yaxis: 'y2' },
    { type: 'scatter', mode: 'lines', name: `E[Â | Â > 0], G = ${G}`, x: gammas, y: m.map((v) => v.meanPositive), line: { color: '#555', dash: 'dot' }, xaxis: 'x2', yaxis: 'y2' },
    { type: 'scatter', mode: 'lines', name: `μ = product, G = ${G}`, x: gammas, y: m.map((v) => v.mu), line: { color: CLIP_MODE_COLORS.clip, width: 3 }, xaxis: 'x2', yaxis: 'y2', showlegend: true },
    { type: 'scatter', mode: 'lines', name: `|E[Â]| (should be 0), G = ${G}`, x: gammas, y: m.map((v) => Math.abs(v.mean)), line: { color: '#2ca02c', width: 1.5 }, xaxis: 'x2', yaxis: 'y2' },
  );
  return {
    data,
    layout: finishLayout(layoutWith({
      ...withHeader('Steps 1 & 3 · E[Â] = 0 for every γ, but μ = P(Â>0)·E[Â|Â>0] > 0 unless γ ∈ {0, 1}', provenance),
      ...gridAxes(g, () => ({ x: { title: { text: 'reward rate γ = P(r = 1)' } }, y: { title: { text: 'value' }, rangemode: 'tozero' } })),
      annotations: [panelTitle(g, 0, 0, 'μ by group size'), panelTitle(g, 0, 1, `the two factors of μ (G = ${G})`)],
      legend: { orientation: 'h', y: -0.27 },
      margin: { l: 70, r: 30, t: 110, b: 140 },
    })),
    width: 1000,
    height: 480,
    provenance,
  };
}

/** Step 5: the band π_old(1 ± ε) in probability space and the threshold 1/(1+ε). */
export function clipBandSpec(eps = 0.2, marks: readonly number[] = [0.02, 0.5, 0.85]): FigureSpec {
  const provenance = `ours — exact formula (src/theory/band.ts), no simulation: ε = ${eps}; shaded = the π a sampled token may reach before its gradient is clipped`;
  const piOld = Array.from({ length: 201 }, (_, i) => Math.max(1e-3, i / 200));
  const thr = upperClipThreshold(eps);
  const bands = piOld.map((p) => probabilityBand(p, eps, eps));
  const data: Array<Record<string, unknown>> = [
    { type: 'scatter', mode: 'lines', x: piOld, y: bands.map((b) => b.lower), line: { color: '#7c3aed', width: 2 }, name: 'lower edge π_old(1−ε): Â<0 clipped below' },
    {
      type: 'scatter',
      mode: 'lines',
      x: piOld,
      y: bands.map((b) => Math.min(1, b.upper)),
      fill: 'tonexty',
      fillcolor: 'rgba(120,120,120,0.15)',
      line: { color: CLIP_MODE_COLORS.clip, width: 2 },
      name: 'upper edge π_old(1+ε), capped at π = 1',
    },
    { type: 'scatter', mode: 'lines', x: piOld, y: bands.map((b) => b.upper), line: { color: CLIP_MODE_COLORS.clip, width: 1, dash: 'dot' }, name: 'π_old(1+ε) beyond 1 (unreachable)' },
    { type: 'scatter', mode: 'lines', x: piOld, y: piOld, line: { color: '#444', width: 1, dash: 'dash' }, name: 'π = π_old (ρ = 1)' },
    {
      type: 'scatter',
      mode: 'markers',
      x: marks.flatMap((p) => [p, p]),
      y: marks.flatMap((p) => {
        const b = probabilityBand(p, eps, eps);
        return [b.lower, Math.min(1, b.upper)];
      }),
      marker: { color: '#111', size: 7 },
      name: `π_old ∈ {${marks.join(', ')}}`,
      hoverinfo: 'skip',
    },
  ];
  return {
    data,
    layout: finishLayout(layoutWith({
      ...withHeader(`Step 5 · the band scales with π_old; above π_old = 1/(1+ε) = ${thr.toFixed(3)} only the lower edge can bind`, provenance),
      xaxis: { title: { text: 'π_old (probability when sampled)' }, range: [0, 1.0], gridcolor: '#eee' },
      yaxis: { title: { text: 'π after the updates' }, range: [0, 1.1], gridcolor: '#eee' },
      shapes: [
        { type: 'line', x0: thr, x1: thr, y0: 0, y1: 1.1, line: { color: '#111', dash: 'dash', width: 1.5 } },
        { type: 'line', x0: 0, x1: 1, y0: 1, y1: 1, line: { color: '#111', width: 1 } },
        { type: 'rect', x0: thr, x1: 1, y0: 0, y1: 1.1, fillcolor: 'rgba(194,65,12,0.06)', line: { width: 0 }, layer: 'below' },
      ],
      annotations: [
        { x: thr, y: 1.07, text: `1/(1+ε) = ${thr.toFixed(3)}`, showarrow: false, xanchor: 'right', font: { size: 12 } },
        ...marks.map((p) => {
          const b = probabilityBand(p, eps, eps);
          const text = b.upperReachable
            ? `π_old = ${p}: band [${fmtNum(b.lower)}, ${fmtNum(b.upper)}]`
            : `π_old = ${p}: band [${fmtNum(b.lower)}, ${fmtNum(b.upper)}],<br>upper edge > 1 never binds`;
          return { x: p, y: Math.min(1, b.upper), text, showarrow: true, arrowhead: 2, ax: p > 0.7 ? -90 : 60, ay: p > 0.7 ? 50 : -40, xanchor: p > 0.7 ? 'right' : 'left', font: { size: 12 }, bgcolor: 'rgba(255,255,255,0.85)' };
        }),
      ],
      legend: { x: 0.99, y: 0.02, xanchor: 'right', yanchor: 'bottom', bgcolor: 'rgba(255,255,255,0.85)' },
      margin: { l: 70, r: 30, t: 100, b: 70 },
    })),
    width: 900,
    height: 560,
    provenance,
  };
}

// ---------------------------------------------------------------------------------------------
// Simulation figures

/**
 * Clip vs no clip over training: π_t(majority), the change of the centred majority logit (the
 * quantity that is a martingale without the clip), and the entropy; mean ± 95% CI over seeds and
 * `faintRuns` single runs per mode.
 */
export function clipTrajectorySpec(pair: ClipPair, faintRuns = 5): FigureSpec {
  const c = pair.clip.config;
  const provenance = simProvenance(c, [], `faint lines = seeds ${c.firstSeed}–${c.firstSeed + Math.min(faintRuns, c.seeds) - 1}`);
  const g: Grid = { rows: 1, cols: 3, gapX: 0.07 };
  const data: Array<Record<string, unknown>> = [];
  const panels: Array<{ get: (r: ClipSimResult) => Float64Array; relative: boolean; title: string; y: string }> = [
    { get: (r) => r.majorityProb, relative: false, title: `π_t(majority), π_0 = ${fmtNum(c.prior[pair.clip.majority])}`, y: 'probability' },
    { get: (r) => r.majorityLogit, relative: true, title: 'centred majority logit, change since t = 0', y: 'Δ logit' },
    { get: (r) => r.entropy, relative: false, title: 'entropy of π_t', y: 'nats' },
  ];
  panels.forEach((p, i) => {
    for (const mode of MODES) {
      const r = pair[mode];
      const runs = Array.from({ length: Math.min(faintRuns, r.config.seeds) }, (_, s) => runTrajectory(p.get(r), r.config.seeds, s, p.relative));
      data.push(...faintTraces(runs, CLIP_MODE_COLORS[mode], CLIP_MODE_LABELS[mode], i, i === 0));
    }
  });
  panels.forEach((p, i) => {
    for (const mode of MODES) {
      const r = pair[mode];
      data.push(...bandTraces(trajectoryBand(p.get(r), r.config.seeds, p.relative), CLIP_MODE_COLORS[mode], CLIP_MODE_LABELS[mode], i, i === 0));
    }
  });
  return {
    data,
    layout: finishLayout(layoutWith({
      ...withHeader('Random rewards, clip vs no clip: the majority\'s probability, its centred logit, and the entropy', provenance, 160),
      ...gridAxes(g, (i) => ({
        x: { title: { text: 'rollout phase t' } },
        y: { title: { text: panels[i].y }, ...(i === 0 ? { range: [0, 1] } : {}), zeroline: i === 1, zerolinecolor: '#999' },
      })),
      annotations: panels.map((p, i) => panelTitle(g, 0, i, p.title)),
      legend: { orientation: 'h', y: -0.3 },
      margin: { l: 60, r: 20, t: 150, b: 130 },
    })),
    width: 1150,
    height: 500,
    provenance,
  };
}

export interface SweepSpecOptions {
  title: string;
  xTitle: string;
  /** Keys of the swept parameters (left out of the fixed-parameter list) and how they vary. */
  varied: readonly string[];
  variedText: string;
  /** Maps x to the plotted position (e.g. log2 for k) and the tick labels to use. */
  xMap?: (x: number) => number;
  tickvals?: number[];
  ticktext?: string[];
  /** Horizontal distance between the clip and no-clip markers at one x (plotted units). */
  offset?: number;
  /** A dashed vertical reference line on every panel. */
  vline?: { x: number; label: string };
}

/**
 * Sweep results: row 1 = π_T(majority) − π_0, row 2 = change of the centred majority logit,
 * mean ± 95% CI over seeds, clip vs no clip; one column per facet.
 */
export function clipSweepSpec(cells: readonly ClipSweepCell[], o: SweepSpecOptions): FigureSpec {
  if (cells.length === 0) throw new Error('clipSweepSpec: no cells');
  const facets = [...new Set(cells.map((c) => c.facet))];
  const g: Grid = { rows: 2, cols: facets.length, gapX: facets.length > 1 ? 0.04 : 0.07, gapY: 0.16 };
  const map = o.xMap ?? ((x: number) => x);
  const offset = o.offset ?? 0;
  const metrics: Array<{ name: string; get: (s: ClipSimSummary) => MeanCI; shift: (s: ClipSimSummary) => number }> = [
    { name: 'π_T(majority) − π_0', get: (s) => s.pT, shift: (s) => s.p0 },
    { name: 'Δ centred majority logit', get: (s) => s.logitChange, shift: () => 0 },
  ];
  const data: Array<Record<string, unknown>> = [];
  metrics.forEach((m, r) => {
    facets.forEach((f, col) => {
      const panel = r * facets.length + col;
      for (const mode of MODES) {
        const pts = cells.filter((c) => c.facet === f && c.mode === mode).sort((a, b) => a.x - b.x);
        const v = pts.map((p) => m.get(p.summary));
        const sh = pts.map((p) => m.shift(p.summary));
        data.push({
          type: 'scatter',
          mode: 'lines+markers',
          name: CLIP_MODE_LABELS[mode],
          legendgroup: mode,
          showlegend: panel === 0,
          x: pts.map((p) => map(p.x) + (mode === 'clip' ? offset : -offset)),
          y: v.map((x, i) => x.mean - sh[i]),
          customdata: pts.map((p) => p.x),
          error_y: { type: 'data', symmetric: false, array: v.map((x) => x.hi - x.mean), arrayminus: v.map((x) => x.mean - x.lo), thickness: 1.5, width: 4 },
          line: { color: CLIP_MODE_COLORS[mode], width: 1.5 },
          marker: { color: CLIP_MODE_COLORS[mode], size: 7 },
          hovertemplate: `${CLIP_MODE_LABELS[mode]}${f ? `, ${f}` : ''}<br>x = %{customdata}<br>${m.name}: %{y:.3f}<extra></extra>`,
          xaxis: axisId(panel, 'x'),
          yaxis: axisId(panel, 'y'),
        });
      }
    });
  });
  const shapes: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  for (let r = 0; r < 2; r++) {
    for (let col = 0; col < facets.length; col++) {
      const panel = r * facets.length + col;
      shapes.push({ type: 'line', xref: `${axisId(panel, 'x')} domain`, yref: axisId(panel, 'y'), x0: 0, x1: 1, y0: 0, y1: 0, line: { color: '#999', width: 1 } });
      if (o.vline) {
        shapes.push({ type: 'line', xref: axisId(panel, 'x'), yref: `${axisId(panel, 'y')} domain`, x0: map(o.vline.x), x1: map(o.vline.x), y0: 0, y1: 1, line: { color: '#111', dash: 'dash', width: 1.2 } });
        if (r === 0) annotations.push({ xref: axisId(panel, 'x'), yref: `${axisId(panel, 'y')} domain`, x: map(o.vline.x), y: 1, text: o.vline.label, showarrow: false, xanchor: 'right', yanchor: 'top', font: { size: 11 } });
      }
      if (r === 0 && facets[col]) annotations.push(panelTitle(g, r, col, facets[col]));
    }
  }
  const provenance = simProvenance(cells[0].config, o.varied, o.variedText);
  return {
    data,
    layout: finishLayout(layoutWith({
      ...withHeader(o.title, provenance, 160),
      ...gridAxes(g, (i, r, c) => ({
        x: { title: { text: r === 1 ? o.xTitle : '' }, ...(o.tickvals ? { tickvals: o.tickvals, ticktext: o.ticktext } : {}) },
        y: { title: { text: c === 0 ? metrics[r].name : '' }, matches: c === 0 ? undefined : axisId(r * facets.length, 'y') },
      })),
      shapes,
      annotations,
      legend: { orientation: 'h', y: -0.2 },
      margin: { l: 80, r: 20, t: 150, b: 120 },
    })),
    width: Math.max(900, 260 * facets.length + 120),
    height: 640,
    provenance,
  };
}

/** Effect vs step size (panels) and updates per rollout phase (x). */
export function lrUpdatesSpec(cells: readonly ClipSweepCell[]): FigureSpec {
  const ks = [...new Set(cells.map((c) => c.x))].sort((a, b) => a - b);
  return clipSweepSpec(cells, {
    title: 'Clip vs no clip by step size η (panels) and updates per rollout phase k (k = 1: ρ = 1 at every update)',
    xTitle: 'updates per rollout phase k',
    varied: ['lr', 'updatesPerRollout'],
    variedText: `η ∈ {${[...new Set(cells.map((c) => c.config.lr))].join(', ')}} (panels), k ∈ {${ks.join(', ')}} mini-batch updates/rollout`,
    xMap: Math.log2,
    tickvals: ks.map(Math.log2),
    ticktext: ks.map(String),
    offset: 0.07,
  });
}

/** Effect vs reward rate γ (γ = 0 and 1: every group all-equal, Â ≡ 0). */
export function gammaSpec(cells: readonly ClipSweepCell[]): FigureSpec {
  return clipSweepSpec(cells, {
    title: 'Clip vs no clip by reward rate γ (γ = 0 or 1: every group all-equal, Â ≡ 0)',
    xTitle: 'reward rate γ',
    varied: ['gamma'],
    variedText: `γ ∈ {${cells.filter((c) => c.mode === 'clip').map((c) => c.x).join(', ')}}`,
    offset: 0.008,
  });
}

/** Effect vs the majority's prior probability, with the threshold 1/(1+ε). */
export function priorThresholdSpec(cells: readonly ClipSweepCell[]): FigureSpec {
  const eps = cells[0]?.config.epsHigh ?? 0.2;
  return clipSweepSpec(cells, {
    title: 'Clip vs no clip by the majority\'s prior π_0 (dashed: 1/(1+ε), above which upward clipping cannot bind)',
    xTitle: 'π_0 of the majority behaviour (prior [π_0, 1 − π_0])',
    varied: ['prior'],
    variedText: `prior [π_0, 1 − π_0], π_0 ∈ {${cells.filter((c) => c.mode === 'clip').map((c) => c.x).join(', ')}}`,
    offset: 0.006,
    vline: { x: upperClipThreshold(eps), label: `1/(1+ε) = ${upperClipThreshold(eps).toFixed(3)} ` },
  });
}

/**
 * Long-tail prior: per-behaviour change of the centred logit (head behaviours and each tail
 * behaviour), and the tail's total probability over training; clip vs no clip.
 */
export function longTailSpec(pair: ClipPair): FigureSpec {
  const c = pair.clip.config;
  const tailCount = c.prior.filter((p) => p < c.tailBelow).length;
  const provenance = simProvenance(
    c,
    ['prior'],
    `prior [${c.prior.filter((p) => p >= c.tailBelow).map(fmtNum).join(', ')}] + ${tailCount} tail behaviours of ${fmtNum(c.prior[c.prior.length - 1])} (tail = π_0 < ${c.tailBelow})`,
  );
  const g: Grid = { rows: 1, cols: 2, gapX: 0.09 };
  const labels = c.prior.map((p, j) => (p >= c.tailBelow ? `head ${fmtNum(p)}` : `tail ${j - (c.prior.length - tailCount) + 1}`));
  const data: Array<Record<string, unknown>> = [];
  for (const mode of MODES) {
    const ch = behaviourLogitChanges(pair[mode]);
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: CLIP_MODE_LABELS[mode],
      legendgroup: mode,
      x: labels,
      y: ch.map((m) => m.mean),
      error_y: { type: 'data', symmetric: false, array: ch.map((m) => m.hi - m.mean), arrayminus: ch.map((m) => m.mean - m.lo), thickness: 1.2, width: 3 },
      marker: { color: CLIP_MODE_COLORS[mode], size: 7, symbol: mode === 'clip' ? 'diamond' : 'circle' },
      offsetgroup: mode,
    });
  }
  for (const mode of MODES) {
    const r = pair[mode];
    data.push(...bandTraces(trajectoryBand(r.tailMass, r.config.seeds), CLIP_MODE_COLORS[mode], CLIP_MODE_LABELS[mode], 1, false));
  }
  return {
    data,
    layout: finishLayout(layoutWith({
      ...withHeader('Long-tail prior, clip vs no clip: which behaviours gain or lose logit, and the tail\'s probability mass', provenance, 160),
      scattermode: 'group',
      ...gridAxes(g, (i) =>
        i === 0
          ? { x: { title: { text: 'behaviour (π_0)' }, tickangle: -60, type: 'category' }, y: { title: { text: 'Δ centred logit, θ_T − θ_0' }, zeroline: true, zerolinecolor: '#999' } }
          : { x: { title: { text: 'rollout phase t' } }, y: { title: { text: `tail mass (Σ π over ${tailCount} tail behaviours)` }, rangemode: 'tozero' } },
      ),
      annotations: [panelTitle(g, 0, 0, 'per behaviour, end of training'), panelTitle(g, 0, 1, 'tail mass over training')],
      legend: { orientation: 'h', y: -0.42 },
      margin: { l: 70, r: 20, t: 150, b: 160 },
    })),
    width: 1150,
    height: 540,
    provenance,
  };
}

// ---------------------------------------------------------------------------------------------
// Tables

const ci = (m: MeanCI, d = 3): string => `${m.mean.toFixed(d)} ± ${((m.hi - m.lo) / 2).toFixed(d)}`;

/** One markdown table row per (label, run): the numbers of summariseClipSim, ± = 95% CI half-width. */
export function clipSummaryMarkdown(rows: ReadonlyArray<{ label: string; result: ClipSimResult }>): string {
  const withTail = rows.some((r) => r.result.config.prior.some((p) => p < r.result.config.tailBelow));
  const head =
    '| setting | mode | seeds | π_0 | π_T(majority) | Δ logit | majority still argmax | entropy drop (nats) | clipped hi / lo |' +
    (withTail ? ' tail mass Δ | tail logit Δ |' : '');
  const sep = `|${'---|'.repeat(9 + (withTail ? 2 : 0))}`;
  const lines = rows.map(({ label, result }) => {
    const s = summariseClipSim(result);
    const wins = `${s.majorityWins.p.toFixed(2)} [${s.majorityWins.lo.toFixed(2)}, ${s.majorityWins.hi.toFixed(2)}]`;
    const tail = withTail ? ` ${ci(s.tailMassChange)} | ${ci(s.tailLogitChange)} |` : '';
    return (
      `| ${label} | ${CLIP_MODE_LABELS[result.config.clipMode]} | ${result.config.seeds} | ${s.p0.toFixed(2)} | ${ci(s.pT)} | ${ci(s.logitChange, 2)} | ${wins} | ` +
      `${ci(s.entropyDrop)} | ${s.clipFracHigh.toFixed(4)} / ${s.clipFracLow.toFixed(4)} |${tail}`
    );
  });
  return [head, sep, ...lines].join('\n');
}

/** The sweep cells as a markdown table. */
export function clipSweepMarkdown(cells: readonly ClipSweepCell[], xName: string): string {
  const head = `| ${cells.some((c) => c.facet) ? 'panel | ' : ''}${xName} | mode | π_0 | π_T − π_0 | Δ logit | clipped hi / lo |`;
  const n = 6 + (cells.some((c) => c.facet) ? 1 : 0);
  const lines = cells.map((c) => {
    const s = c.summary;
    const d = { ...s.pT, mean: s.pT.mean - s.p0, lo: s.pT.lo - s.p0, hi: s.pT.hi - s.p0 };
    return `| ${c.facet ? `${c.facet} | ` : ''}${c.x} | ${CLIP_MODE_LABELS[c.mode]} | ${s.p0.toFixed(2)} | ${ci(d)} | ${ci(s.logitChange, 2)} | ${s.clipFracHigh.toFixed(4)} / ${s.clipFracLow.toFixed(4)} |`;
  });
  return [head, `|${'---|'.repeat(n)}`, ...lines].join('\n');
}

/** Sanity helper for resolveClipSim consumers: the config a figure run would use. */
export function clipFigureConfig(overrides: Partial<ClipSimConfig> = {}, seeds = clipFigureSeeds().main): ClipSimConfig {
  return resolveClipSim({ ...CLIP_FIGURE_BASE, seeds, ...overrides });
}
