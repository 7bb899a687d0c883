/** A plotly figure as plain JSON (what `Plotly.newPlot(div, data, layout, config)` takes). */
export interface FigureSpec {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
  /** Default export size in CSS pixels. */
  width?: number;
  height?: number;
  /** Where the numbers come from, e.g. 'reported by the paper (v1, Fig. 1)'. */
  provenance: string;
}

/** Standard title: main text plus the provenance line in smaller type. */
export function titleWithProvenance(title: string, provenance: string): Record<string, unknown> {
  return { text: `${title}<br><sup>${provenance}</sup>`, x: 0.02, xanchor: 'left' };
}

export const BASE_LAYOUT: Record<string, unknown> = {
  font: { family: 'Helvetica, Arial, sans-serif', size: 13, color: '#222' },
  paper_bgcolor: '#ffffff',
  plot_bgcolor: '#ffffff',
  margin: { l: 70, r: 30, t: 90, b: 70 },
};

export function layoutWith(extra: Record<string, unknown>): Record<string, unknown> {
  return { ...BASE_LAYOUT, ...extra };
}
