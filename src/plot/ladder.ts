/**
 * The update-size ladder's figures (notebook 08): the phase boundary — the primary endpoint
 * (random + clip minus the matched null, with its paired 95% interval) against the cumulative
 * relative update size, one point per cell and budget point, with the paper's run marked.
 */
import type { LadderContrast } from '../rl/ladderTable';
import { REWARD_COLORS } from './colors';
import { figureLayout } from './layout';
import type { FigureSpec } from './spec';

export function phaseBoundarySpec(points: readonly LadderContrast[], paperX: number | null, note: string): FigureSpec {
  const shown = points.filter((p) => p.clip_minus_null && p.update_rel_cum !== null);
  const ns = [...new Set(shown.map((p) => p.clip_minus_null!.n))].sort();
  const provenance = `ours — stand-in ${[...new Set(shown.map((p) => p.family))].join(' and ') || 'good-code-global'}, random(0.5), results/ladder; n per point (paired seeds): ${shown.map((p) => `${p.cell}@${p.at} n=${p.clip_minus_null!.n}`).join(', ') || '—'}; bars: paired 95% t interval. ${note}`;
  const half = (p: LadderContrast, side: 'hi' | 'lo') => {
    const s = p.clip_minus_null!;
    return s.hi === null || s.lo === null ? 0 : side === 'hi' ? s.hi - s.mean : s.mean - s.lo;
  };
  // One trace per model size, so the second size reads as its own set of points.
  const families = [...new Set(shown.map((p) => p.family))].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const data: Array<Record<string, unknown>> = families.map((family, i) => {
    const mine = shown.filter((p) => p.family === family);
    return {
      type: 'scatter', mode: 'markers+text', name: `clip − matched null · ${family}`,
      x: mine.map((p) => p.update_rel_cum), y: mine.map((p) => p.clip_minus_null!.mean),
      text: mine.map((p) => `${p.cell} @${p.at}`), textposition: 'top center',
      error_y: { type: 'data', symmetric: false, array: mine.map((p) => half(p, 'hi')), arrayminus: mine.map((p) => half(p, 'lo')), visible: true },
      marker: { size: 10, color: i === 0 ? REWARD_COLORS.random : '#444', symbol: i === 0 ? 'circle' : 'diamond' },
      hovertemplate: '%{text}: Σ‖Δθ‖/‖θ‖ = %{x:.3f}, clip − null %{y:+.1f} points<extra></extra>',
    };
  });
  const shapes: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  if (paperX !== null) {
    shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: paperX, x1: paperX, y0: 0, y1: 1, line: { dash: 'dash', color: '#666' } });
    annotations.push({ x: Math.log10(paperX), xref: 'x', y: 1, yref: 'paper', text: "paper's run (order of magnitude)", showarrow: false, yanchor: 'bottom' });
  }
  return {
    data,
    layout: figureLayout('When does a random reward help? The clip against an honest null, by cumulative update size', provenance, {
      xaxis: { title: { text: 'cumulative relative update size Σ‖Δθ‖/‖θ‖ (clip arm)' }, type: 'log', gridcolor: '#eee' },
      yaxis: { title: { text: 'Δ greedy accuracy, clip − matched null (points)' }, rangemode: 'tozero', zeroline: true, zerolinecolor: '#888', gridcolor: '#eee' },
      shapes, annotations,
    }),
    width: 820,
    height: 480,
    provenance,
  };
}
