/**
 * Showing figures and tables in tslab notebooks.
 *
 * A figure becomes ONE display_data output carrying three mimetypes:
 *  - text/html: a div holding the PNG as an <img>, plus a script that swaps in the interactive
 *    plotly chart (plotly.js from window.Plotly, require.js or the plotly CDN). Hosts that strip
 *    scripts (GitHub, nbviewer without JS) still show the <img>.
 *  - image/png: the same PNG, for hosts that prefer images.
 *  - text/plain: a one-line description.
 * tslab's public `display` API sends one mimetype per output, so we call the kernel's
 * `lastWriteDisplayData` hook (what `display.raw` uses) with the whole bundle; if that hook is not
 * there (not inside a tslab kernel) the functions return the bundle without sending it.
 */
import { randomBytes } from 'crypto';
import type { DataFrame } from '../paper/danfo';
import { plotlyVersion, renderPng, scriptJson, type PngOptions } from './render';
import type { FigureSpec } from './spec';

export type MimeBundle = Record<string, string>;

type WriteDisplayData = (data: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

function kernelWriter(): WriteDisplayData | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: WriteDisplayData | null };
    return jupyter.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

/** True inside a running tslab kernel (a cell is executing). */
export function inNotebook(): boolean {
  return kernelWriter() !== null;
}

/** Sends a mime bundle as one display_data output; returns false outside a kernel. */
export function displayBundle(bundle: MimeBundle): boolean {
  const write = kernelWriter();
  if (!write) return false;
  write({ data: bundle, metadata: {}, transient: {} }, false);
  return true;
}

/** SR_NOTEBOOK_FAST=1 asks notebooks for reduced live re-runs (used by the notebook test). */
export function notebookFastMode(): boolean {
  const v = process.env.SR_NOTEBOOK_FAST;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The text/html part of a figure output (PNG fallback + script that upgrades it to plotly). */
export function figureHtmlFragment(fig: FigureSpec, pngBase64: string | null, opts: { width?: number; height?: number } = {}): string {
  const id = `srfig-${randomBytes(6).toString('hex')}`;
  const width = opts.width ?? fig.width ?? 900;
  const height = opts.height ?? fig.height ?? 500;
  const cdn = `https://cdn.plot.ly/plotly-${plotlyVersion()}.min.js`;
  const img = pngBase64
    ? `<img alt="${esc(fig.provenance)}" src="data:image/png;base64,${pngBase64}" style="width:${width}px;max-width:100%"/>`
    : `<pre>${esc(fig.provenance)} (static image unavailable: no Chromium)</pre>`;
  const config = { responsive: true, displaylogo: false, ...(fig.config ?? {}) };
  return `<div id="${id}" style="width:${width}px;max-width:100%;min-height:${height}px">${img}</div>
<script type="text/javascript">
(function () {
  var el = document.getElementById(${scriptJson(id)});
  var data = ${scriptJson(fig.data)}, layout = ${scriptJson({ ...fig.layout, width, height })}, config = ${scriptJson(config)};
  function draw(P) { if (!P || !el) return; var keep = el.innerHTML; el.innerHTML = '';
    P.newPlot(el, data, layout, config).catch(function () { el.innerHTML = keep; }); }
  if (window.Plotly) { draw(window.Plotly); return; }
  if (typeof window.require === 'function' && window.requirejs && window.define && window.define.amd) {
    window.requirejs.config({ paths: { plotly: ${scriptJson(cdn.replace(/\.js$/, ''))} } });
    window.require(['plotly'], function (P) { window.Plotly = P; draw(P); }, function () {});
    return;
  }
  var s = document.createElement('script'); s.src = ${scriptJson(cdn)};
  s.onload = function () { draw(window.Plotly); }; document.head.appendChild(s);
})();
</script>`;
}

/** Builds the mime bundle for a figure (renders the PNG in headless Chromium when available). */
export async function figureBundle(fig: FigureSpec, opts: PngOptions = {}): Promise<MimeBundle> {
  let png: string | null = null;
  try {
    png = (await renderPng(fig, { scale: 1, ...opts })).toString('base64');
  } catch (e) {
    if (!/no Chromium found/.test(String(e))) throw e;
  }
  const bundle: MimeBundle = {
    'text/html': figureHtmlFragment(fig, png, opts),
    'text/plain': `[figure] ${fig.provenance}`,
  };
  if (png) bundle['image/png'] = png;
  return bundle;
}

/** Shows a figure in the notebook (interactive + PNG in one output; see figureBundle). */
export async function showFigure(fig: FigureSpec, opts: PngOptions = {}): Promise<void> {
  const bundle = await figureBundle(fig, opts);
  if (!displayBundle(bundle)) console.log(bundle['text/plain']);
}

type Cell = string | number | boolean | null | undefined;

/** HTML + text rendering of a danfojs DataFrame (all rows; numbers as given). */
export function frameBundle(df: DataFrame, caption?: string): MimeBundle {
  const cols = df.columns as string[];
  const values = df.values as Cell[][];
  const fmt = (v: Cell): string => (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v));
  const head = `<tr>${cols.map((c) => `<th style="text-align:left">${esc(c)}</th>`).join('')}</tr>`;
  const body = values
    .map((row) => `<tr>${row.map((v) => `<td style="text-align:${typeof v === 'number' ? 'right' : 'left'}">${esc(fmt(v))}</td>`).join('')}</tr>`)
    .join('\n');
  const cap = caption ? `<caption style="caption-side:top;text-align:left;color:#555">${esc(caption)}</caption>` : '';
  const html = `<table class="dataframe">${cap}<thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
  const widths = cols.map((c, j) => Math.max(c.length, ...values.map((r) => fmt(r[j]).length)));
  const line = (cells: string[]) => cells.map((s, j) => s.padEnd(widths[j])).join('  ').trimEnd();
  const text = [caption ?? '', line(cols), ...values.map((r) => line(r.map(fmt)))].filter((s, i) => i > 0 || s !== '').join('\n');
  return { 'text/html': html, 'text/plain': text };
}

/** Shows a danfojs DataFrame as an HTML table (with a plain-text twin). */
export function showFrame(df: DataFrame, caption?: string): void {
  const b = frameBundle(df, caption);
  if (!displayBundle(b)) console.log(b['text/plain']);
}

/** Shows markdown text in the notebook (falls back to stdout). */
export function showMarkdown(md: string): void {
  if (!displayBundle({ 'text/markdown': md, 'text/plain': md })) console.log(md);
}
