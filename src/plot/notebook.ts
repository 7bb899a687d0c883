/**
 * Showing figures and tables in tslab notebooks.
 *
 * A figure becomes TWO display_data outputs, and the image data is stored once:
 *  1. image/png + text/plain: the static figure. No text/html in this bundle, because hosts that
 *     pick text/html first and strip scripts (GitHub, nbconvert HTML) would then show an empty div
 *     instead of the PNG.
 *  2. text/html only: an empty div plus a script that, in a live Jupyter (or any host that runs
 *     scripts), draws the interactive plotly chart there (plotly.js from window.Plotly, require.js
 *     or the plotly CDN) and then hides output 1. It carries the plotly spec, not the PNG. On GitHub
 *     it renders as nothing.
 * Div ids are a hash of the figure's html plus a per-kernel count of earlier displays of the same
 * figure, so re-executing a notebook writes byte-identical outputs for unchanged figures.
 * tslab's public `display` API sends one mimetype per output, so we call the kernel's
 * `lastWriteDisplayData` hook (what `display.raw` uses) with the whole bundle; if that hook is not
 * there (not inside a tslab kernel) the functions return the bundles without sending them.
 */
import { createHash } from 'crypto';
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

const ID_SLOT = '@@SRFIG_ID@@';
/** How many times each figure (by hash) was shown in this kernel; a fresh kernel starts at 0. */
const shownCount = new Map<string, number>();

/**
 * `html` with its ID_SLOTs filled by `srfig-<hash>-<n>`: the hash makes a changed figure change its
 * id and an unchanged one keep it (even when other figures are added before it); n keeps ids unique
 * when the same figure is shown twice in one notebook (or a cell is re-run in a live kernel).
 */
function withStableId(html: string): string {
  const hash = createHash('sha256').update(html).digest('hex').slice(0, 12);
  const n = (shownCount.get(hash) ?? 0) + 1;
  shownCount.set(hash, n);
  return html.split(ID_SLOT).join(`srfig-${hash}-${n}`);
}

/**
 * The text/html output of a figure: a div the script fills with the interactive plotly chart, after
 * which, when `hidesPng`, it hides the static PNG output just before it (JupyterLab / classic
 * notebook / nbconvert markup; elsewhere both stay visible). `fallback` is shown in the div until
 * plotly draws (used when there is no PNG).
 */
export function figureLiveHtml(fig: FigureSpec, opts: { width?: number; height?: number } = {}, hidesPng = true, fallback = ''): string {
  const width = opts.width ?? fig.width ?? 900;
  const height = opts.height ?? fig.height ?? 500;
  const cdn = `https://cdn.plot.ly/plotly-${plotlyVersion()}.min.js`;
  const config = { responsive: true, displaylogo: false, ...(fig.config ?? {}) };
  const html = `<div id="${ID_SLOT}" style="width:${width}px;max-width:100%">${fallback}</div>
<script type="text/javascript">
(function () {
  var el = document.getElementById(${scriptJson(ID_SLOT)});
  var data = ${scriptJson(fig.data)}, layout = ${scriptJson({ ...fig.layout, width, height })}, config = ${scriptJson(config)};
  var hidesPng = ${hidesPng};
  function hideStatic() {
    if (!hidesPng) return;
    var box = el.closest && el.closest('.jp-OutputArea-child, .output_area');
    var prev = box && box.previousElementSibling;
    if (prev && prev.querySelector('.jp-RenderedImage img, .output_png img')) prev.style.display = 'none';
  }
  function draw(P) { if (!P || !el) return; var keep = el.innerHTML; el.innerHTML = '';
    P.newPlot(el, data, layout, config).then(hideStatic, function () { el.innerHTML = keep; }); }
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
  return withStableId(html);
}

/**
 * The display_data bundles of a figure (see the header): [png + text, live html], or, without a
 * PNG, one bundle whose html shows a note until plotly draws. Deterministic given the figure, the
 * PNG and how often the same figure was shown before in this kernel.
 */
export function figureOutputs(fig: FigureSpec, pngBase64: string | null, opts: { width?: number; height?: number } = {}): MimeBundle[] {
  const text = `[figure] ${fig.provenance}`;
  if (!pngBase64) {
    const note = `<pre>${esc(fig.provenance)} (static image unavailable: no Chromium)</pre>`;
    return [{ 'text/html': figureLiveHtml(fig, opts, false, note), 'text/plain': text }];
  }
  return [{ 'image/png': pngBase64, 'text/plain': text }, { 'text/html': figureLiveHtml(fig, opts) }];
}

/** Builds a figure's output bundles (renders the PNG in headless Chromium when available). */
export async function figureBundles(fig: FigureSpec, opts: PngOptions = {}): Promise<MimeBundle[]> {
  let png: string | null = null;
  try {
    png = (await renderPng(fig, { scale: 1, ...opts })).toString('base64');
  } catch (e) {
    if (!/no Chromium found/.test(String(e))) throw e;
  }
  return figureOutputs(fig, png, opts);
}

/** Shows a figure in the notebook (static PNG + interactive upgrade; see figureOutputs). */
export async function showFigure(fig: FigureSpec, opts: PngOptions = {}): Promise<void> {
  const bundles = await figureBundles(fig, opts);
  if (!bundles.every((b) => displayBundle(b))) console.log(`[figure] ${fig.provenance}`);
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
