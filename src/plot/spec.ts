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
