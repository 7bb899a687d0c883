/**
 * Figures for notebook 04 (the clipping bias, Paper A Appendix B): plotly specs built from the
 * theory modules' outputs. Which simulations they show is src/theory/clipRuns.ts; their
 * provenance lines and tables are clipText.ts. Every figure here is OURS — an exact formula or a
 * toy simulation of a softmax policy — never a number from the paper, and its provenance line
 * says so, with seeds and what the bands/bars mean.
 */
import {
  CLIP_FIGURE_SEEDS_FAST,
  CLIP_FIGURE_SEEDS_FULL,
  CLIP_MODES,
  advantageMoments,
  behaviourLogitChanges,
  clippedTermGradient,
  probabilityBand,
  runTrajectory,
  trajectoryBand,
  upperClipThreshold,
  type ClipFigureSeeds,
  type ClipPair,
  type ClipSimResult,
  type ClipSimSummary,
  type ClipSweepCell,
  type MeanCI,
  type TrajectoryBand,
} from '../theory/index';
import { CLIP_MODE_LABELS, fmtNum, simProvenance } from './clipText';
import { CLIP_MODE_COLORS } from './colors';
import { axisId, bandTraces, faintLineTraces, figureLayout, gridAxes, panelTitle, type Grid } from './layout';
import { notebookFastMode } from './notebook';
import type { FigureSpec } from './spec';

// Notebook 04 imports the runners and trajectory statistics from src/plot; they live in src/theory.
export {
  CLIP_FIGURE_BASE, CLIP_FIGURE_SEEDS_FAST, CLIP_FIGURE_SEEDS_FULL, SWEEP_GAMMAS, SWEEP_LRS, SWEEP_MAJORITY, SWEEP_UPDATES,
  behaviourLogitChanges, clipFigureConfig, gammaSweep, longTailPair, lrUpdatesSweep, priorSweep, runClipPair, runClipSweep,
  runTrajectory, trajectoryBand,
} from '../theory/index';
export type { ClipFigureSeeds, ClipPair, ClipSweepCell, ClipSweepPoint, TrajectoryBand } from '../theory/index';

/** Seed counts for the notebook: the full ones, or far fewer in notebook fast mode (the notebook test). */
export function clipFigureSeeds(fast = notebookFastMode()): ClipFigureSeeds {
  return { ...(fast ? CLIP_FIGURE_SEEDS_FAST : CLIP_FIGURE_SEEDS_FULL) };
}

/** Mean line + shaded 95% band of a trajectory (+ legend entry on the mean line). */
function trajectoryTraces(b: TrajectoryBand, color: string, name: string, panel: number, showlegend: boolean): Array<Record<string, unknown>> {
  return bandTraces({ x: b.t, mid: b.mean, lo: b.lo, hi: b.hi }, color, {
    name: `${name}: mean ± 95% CI`,
    legendgroup: name,
    panel,
    showlegend,
    trace: { hovertemplate: `${name}<br>t = %{x}<br>mean %{y:.3f}<extra></extra>` },
  });
}



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
    layout: figureLayout('Step 2 · the clipped term: Â > 0 loses its gradient above 1+ε, Â < 0 below 1−ε', provenance, {
      ...gridAxes(g, (i) => ({
        x: { title: { text: 'ratio ρ = π/π_old' } },
        y: { title: { text: i === 0 ? 'per-token objective' : '∂ objective / ∂ρ' }, zeroline: true, zerolinecolor: '#999' },
      })),
      shapes: [band(0), band(1)],
      annotations: [panelTitle(g, 0, 0, 'objective'), panelTitle(g, 0, 1, 'its derivative (what multiplies ∇ρ)')],
      legend: { orientation: 'h', y: -0.27 },
      margin: { l: 70, r: 30, t: 130, b: 130 },
    }),
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
    layout: figureLayout('Steps 1 & 3 · E[Â] = 0 for every γ, but μ = P(Â>0)·E[Â|Â>0] > 0 unless γ ∈ {0, 1}', provenance, {
      ...gridAxes(g, () => ({ x: { title: { text: 'reward rate γ = P(r = 1)' } }, y: { title: { text: 'value' }, rangemode: 'tozero' } })),
      annotations: [panelTitle(g, 0, 0, 'μ by group size'), panelTitle(g, 0, 1, `the two factors of μ (G = ${G})`)],
      legend: { orientation: 'h', y: -0.27 },
      margin: { l: 70, r: 30, t: 110, b: 140 },
    }),
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
    layout: figureLayout(`Step 5 · the band scales with π_old; above π_old = 1/(1+ε) = ${thr.toFixed(3)} only the lower edge can bind`, provenance, {
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
    }),
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
    for (const mode of CLIP_MODES) {
      const r = pair[mode];
      const runs = Array.from({ length: Math.min(faintRuns, r.config.seeds) }, (_, s) => runTrajectory(p.get(r), r.config.seeds, s, p.relative));
      data.push(...faintLineTraces(runs, CLIP_MODE_COLORS[mode], { name: `${CLIP_MODE_LABELS[mode]}: ${runs.length} single runs`, legendgroup: `${CLIP_MODE_LABELS[mode]}-runs`, panel: i, showlegend: i === 0 }));
    }
  });
  panels.forEach((p, i) => {
    for (const mode of CLIP_MODES) {
      const r = pair[mode];
      data.push(...trajectoryTraces(trajectoryBand(p.get(r), r.config.seeds, p.relative), CLIP_MODE_COLORS[mode], CLIP_MODE_LABELS[mode], i, i === 0));
    }
  });
  return {
    data,
    layout: figureLayout('Random rewards, clip vs no clip: the majority\'s probability, its centred logit, and the entropy', provenance, {
      ...gridAxes(g, (i) => ({
        x: { title: { text: 'rollout phase t' } },
        y: { title: { text: panels[i].y }, ...(i === 0 ? { range: [0, 1] } : {}), zeroline: i === 1, zerolinecolor: '#999' },
      })),
      annotations: panels.map((p, i) => panelTitle(g, 0, i, p.title)),
      legend: { orientation: 'h', y: -0.3 },
      margin: { l: 60, r: 20, t: 150, b: 130 },
    }, 160),
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
      for (const mode of CLIP_MODES) {
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
    layout: figureLayout(o.title, provenance, {
      ...gridAxes(g, (i, r, c) => ({
        x: { title: { text: r === 1 ? o.xTitle : '' }, ...(o.tickvals ? { tickvals: o.tickvals, ticktext: o.ticktext } : {}) },
        y: { title: { text: c === 0 ? metrics[r].name : '' }, matches: c === 0 ? undefined : axisId(r * facets.length, 'y') },
      })),
      shapes,
      annotations,
      legend: { orientation: 'h', y: -0.2 },
      margin: { l: 80, r: 20, t: 150, b: 120 },
    }, 160),
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
  for (const mode of CLIP_MODES) {
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
  for (const mode of CLIP_MODES) {
    const r = pair[mode];
    data.push(...trajectoryTraces(trajectoryBand(r.tailMass, r.config.seeds), CLIP_MODE_COLORS[mode], CLIP_MODE_LABELS[mode], 1, false));
  }
  return {
    data,
    layout: figureLayout('Long-tail prior, clip vs no clip: which behaviours gain or lose logit, and the tail\'s probability mass', provenance, {
      scattermode: 'group',
      ...gridAxes(g, (i) =>
        i === 0
          ? { x: { title: { text: 'behaviour (π_0)' }, tickangle: -60, type: 'category' }, y: { title: { text: 'Δ centred logit, θ_T − θ_0' }, zeroline: true, zerolinecolor: '#999' } }
          : { x: { title: { text: 'rollout phase t' } }, y: { title: { text: `tail mass (Σ π over ${tailCount} tail behaviours)` }, rangemode: 'tozero' } },
      ),
      annotations: [panelTitle(g, 0, 0, 'per behaviour, end of training'), panelTitle(g, 0, 1, 'tail mass over training')],
      legend: { orientation: 'h', y: -0.42 },
      margin: { l: 70, r: 20, t: 150, b: 160 },
    }, 160),
    width: 1150,
    height: 540,
    provenance,
  };
}
