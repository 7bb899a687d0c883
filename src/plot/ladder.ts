/**
 * The update-size ladder's figures (notebook 08): the phase boundary — the primary endpoint
 * (random + clip minus the matched null, with its paired 95% interval) against the cumulative
 * relative update size, one point per cell and budget point, with the paper's run marked.
 */
import type { LadderContrast } from '../rl/ladderTable';
import { figureLayout } from './layout';
import type { FigureSpec } from './spec';

/** One colour per learning rate, highest first. */
const LR_PALETTE = ['#c2410c', '#9a6ec1', '#2563eb', '#0f766e', '#a16207', '#6b7280'];

export function phaseBoundarySpec(points: readonly LadderContrast[], paperX: number | null, note: string): FigureSpec {
  const shown = points.filter((p) => p.clip_minus_null && p.update_rel_cum !== null);
  const ns = [...new Set(shown.map((p) => p.clip_minus_null!.n))].sort();
  const provenance = `ours — stand-in ${[...new Set(shown.map((p) => p.family))].join(' and ') || 'good-code-global'}, random(0.5), results/ladder; n per point (paired seeds): ${shown.map((p) => `${p.cell}@${p.at} n=${p.clip_minus_null!.n}`).join(', ') || '—'}; bars: paired 95% t interval. ${note}`;
  const half = (p: LadderContrast, side: 'hi' | 'lo') => {
    const s = p.clip_minus_null!;
    return s.hi === null || s.lo === null ? 0 : side === 'hi' ? s.hi - s.mean : s.mean - s.lo;
  };
  // One trace per point, named in the legend: the rungs share x by design (fixed lr·N), so text
  // labels beside the markers would overlap. Colour: the lr; shape: the model size; open: 2N.
  const lrs = [...new Set(shown.map((p) => p.lr))].sort((a, b) => b - a);
  const families = [...new Set(shown.map((p) => p.family))].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const data: Array<Record<string, unknown>> = shown.map((p) => {
    const shape = families.indexOf(p.family) === 0 ? 'circle' : 'diamond';
    return {
      type: 'scatter', mode: 'markers', name: `${p.cell} @${p.at} (n ${p.clip_minus_null!.n})`,
      x: [p.update_rel_cum], y: [p.clip_minus_null!.mean],
      error_y: { type: 'data', symmetric: false, array: [half(p, 'hi')], arrayminus: [half(p, 'lo')], visible: true, color: LR_PALETTE[lrs.indexOf(p.lr) % LR_PALETTE.length] },
      marker: { size: 11, color: LR_PALETTE[lrs.indexOf(p.lr) % LR_PALETTE.length], symbol: p.at > p.budget ? `${shape}-open` : shape, line: { width: 2 } },
      hovertemplate: `${p.cell} @${p.at} (${p.family}): Σ‖Δθ‖/‖θ‖ = %{x:.3f}, clip − null %{y:+.1f} points<extra></extra>`,
    };
  });
  const xs = [...shown.map((p) => p.update_rel_cum!), ...(paperX === null ? [] : [paperX])];
  const xRange = xs.length ? [Math.log10(Math.min(...xs) / 1.6), Math.log10(Math.max(...xs) * 1.6)] : undefined;
  const shapes: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  if (paperX !== null) {
    shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: paperX, x1: paperX, y0: 0, y1: 1, line: { dash: 'dash', color: '#666' } });
    annotations.push({ x: Math.log10(paperX), xref: 'x', y: 1, yref: 'paper', text: "paper's run (order of magnitude)", showarrow: false, yanchor: 'bottom' });
  }
  return {
    data,
    layout: figureLayout('When does a random reward help? The clip against an honest null, by cumulative update size', provenance, {
      xaxis: { title: { text: 'cumulative relative update size Σ‖Δθ‖/‖θ‖ (clip arm; ○ 1×, ◇ x4, open: 2N)' }, type: 'log', gridcolor: '#eee', ...(xRange ? { range: xRange } : {}) },
      yaxis: { title: { text: 'Δ greedy accuracy, clip − matched null (points)' }, rangemode: 'tozero', zeroline: true, zerolinecolor: '#888', gridcolor: '#eee' },
      shapes, annotations,
    }),
    width: 820,
    height: 480,
    provenance,
  };
}
