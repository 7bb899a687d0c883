/**
 * The plotly layout kit every figure builder shares: the base look, one title + provenance
 * header, panel grids, and mean ± interval band traces.
 */

export const BASE_LAYOUT: Readonly<Record<string, unknown>> = Object.freeze({
  font: { family: 'Helvetica, Arial, sans-serif', size: 13, color: '#222' },
  paper_bgcolor: '#ffffff',
  plot_bgcolor: '#ffffff',
  margin: { l: 70, r: 30, t: 90, b: 70 },
});

/** Splits the provenance at '; ' into lines of at most ~maxChars characters. */
export function wrapProvenance(provenance: string, maxChars: number): string[] {
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
 * A figure's layout: the base look, `extra`, the title (one line, top left) and the provenance in
 * small grey type just above the plotting area, wrapped at '; '. The provenance is an annotation
 * because plotly mis-anchors multi-line titles; the top margin grows to fit its lines.
 */
export function figureLayout(title: string, provenance: string, extra: Record<string, unknown> = {}, maxChars = 150): Record<string, unknown> {
  const lines = wrapProvenance(provenance, maxChars);
  const margin = { ...(BASE_LAYOUT.margin as Record<string, number>), ...((extra.margin as Record<string, number> | undefined) ?? {}) };
  margin.t = Math.max(margin.t, 56 + 15 * lines.length);
  const header = {
    text: lines.join('<br>'),
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
  };
  return {
    ...BASE_LAYOUT,
    ...extra,
    margin,
    title: { text: title, x: 0.02, xanchor: 'left', yref: 'container', y: 0.985, yanchor: 'top', font: { size: 17 } },
    annotations: [...((extra.annotations as unknown[] | undefined) ?? []), header],
  };
}

export function rgba(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Axis ids for panel i (0-based): 'x', 'x2', …; layout keys 'xaxis', 'xaxis2', …. */
export const axisId = (i: number, a: 'x' | 'y'): string => (i === 0 ? a : `${a}${i + 1}`);
export const axisKey = (i: number, a: 'x' | 'y'): string => (i === 0 ? `${a}axis` : `${a}axis${i + 1}`);

export interface Grid {
  rows: number;
  cols: number;
  gapX?: number;
  gapY?: number;
}

/** Domains of panel (r, c) in a rows × cols grid, row 0 on top. */
export function panelDomain(g: Grid, r: number, c: number): { x: [number, number]; y: [number, number] } {
  const gx = g.gapX ?? 0.07;
  const gy = g.gapY ?? 0.14;
  const w = (1 - gx * (g.cols - 1)) / g.cols;
  const h = (1 - gy * (g.rows - 1)) / g.rows;
  const x0 = c * (w + gx);
  const y1 = 1 - r * (h + gy);
  return { x: [x0, x0 + w], y: [y1 - h, y1] };
}

/** Layout entries for every panel of the grid, with per-panel extras. */
export function gridAxes(g: Grid, extra: (i: number, r: number, c: number) => { x?: Record<string, unknown>; y?: Record<string, unknown> }): Record<string, unknown> {
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

/** A bold label above panel (r, c). */
export function panelTitle(g: Grid, r: number, c: number, text: string): Record<string, unknown> {
  const d = panelDomain(g, r, c);
  return { text: `<b>${text}</b>`, xref: 'paper', yref: 'paper', x: (d.x[0] + d.x[1]) / 2, y: d.y[1] + 0.01, xanchor: 'center', yanchor: 'bottom', showarrow: false, font: { size: 13 } };
}

/** A line with its interval: x, the central value and the band's lower and upper edges. */
export interface Band {
  x: number[];
  mid: number[];
  lo: number[];
  hi: number[];
}

/**
 * Shaded band (no legend entry of its own) + the central line on panel `panel`; `trace` overrides
 * fields of the line (mode, line style, hover). Band and line share a legend group, so they toggle together.
 */
export function bandTraces(
  b: Band,
  color: string,
  o: { name: string; legendgroup?: string; panel?: number; showlegend?: boolean; alpha?: number; trace?: Record<string, unknown> },
): Array<Record<string, unknown>> {
  const common = { legendgroup: o.legendgroup ?? o.name, xaxis: axisId(o.panel ?? 0, 'x'), yaxis: axisId(o.panel ?? 0, 'y') };
  return [
    {
      type: 'scatter',
      mode: 'lines',
      x: [...b.x, ...[...b.x].reverse()],
      y: [...b.hi, ...[...b.lo].reverse()],
      fill: 'toself',
      fillcolor: rgba(color, o.alpha ?? 0.2),
      line: { width: 0, color: rgba(color, 0) },
      hoverinfo: 'skip',
      showlegend: false,
      ...common,
    },
    { type: 'scatter', mode: 'lines', name: o.name, x: b.x, y: b.mid, line: { color, width: 2.5 }, showlegend: o.showlegend ?? true, ...common, ...(o.trace ?? {}) },
  ];
}

/** Thin translucent lines, one per row (e.g. single seeds under a mean band); one legend entry for all. */
export function faintLineTraces(rows: readonly number[][], color: string, o: { name: string; legendgroup: string; panel?: number; showlegend?: boolean }): Array<Record<string, unknown>> {
  return rows.map((y, i) => ({
    type: 'scatter',
    mode: 'lines',
    name: o.name,
    x: y.map((_, t) => t),
    y,
    line: { color: rgba(color, 0.28), width: 1 },
    legendgroup: o.legendgroup,
    showlegend: (o.showlegend ?? true) && i === 0,
    hoverinfo: 'skip',
    xaxis: axisId(o.panel ?? 0, 'x'),
    yaxis: axisId(o.panel ?? 0, 'y'),
  }));
}
