/**
 * Rendering figure specs: interactive HTML (plotly.js shipped beside it, so it opens offline) and
 * PNG rendered by plotly inside a real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core). One browser and one page with plotly loaded are reused for every figure.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../engine/paths';
import type { FigureSpec } from './spec';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Chromium executable: $SR_CHROMIUM, else the first of the usual Debian/Ubuntu paths that exists. */
export function chromiumPath(): string | null {
  const candidates = [process.env.SR_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  return null;
}

/** The minified plotly.js bundle from node_modules (plotly.js-dist-min). */
export function plotlySourcePath(): string {
  return require.resolve('plotly.js-dist-min/plotly.min.js', { paths: [projectRoot()] });
}

export function plotlyVersion(): string {
  const pkg = require.resolve('plotly.js-dist-min/package.json', { paths: [projectRoot()] });
  return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
}

interface Session {
  browser: Browser;
  page: Page;
}
let session: Promise<Session> | null = null;

async function openSession(): Promise<Session> {
  const exe = chromiumPath();
  if (!exe) throw new Error('renderPng: no Chromium found (install the Debian package "chromium" or set SR_CHROMIUM)');
  // Loaded lazily so that importing the library does not require playwright-core.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.setContent('<!doctype html><html><body style="margin:0;background:#fff"></body></html>');
  await page.addScriptTag({ path: plotlySourcePath() });
  // (No DOM types here: tslab compiles the library without lib.dom, so page code goes through globalThis.)
  await page.waitForFunction(() => typeof (globalThis as { Plotly?: unknown }).Plotly !== 'undefined');
  return { browser, page };
}

function getSession(): Promise<Session> {
  if (!session) {
    session = openSession();
    session.catch(() => {
      session = null;
    });
  }
  return session;
}

/** Closes the shared browser (call at the end of scripts; notebooks may leave it to process exit). */
export async function closeBrowser(): Promise<void> {
  const s = session;
  session = null;
  if (s) {
    try {
      await (await s).browser.close();
    } catch {
      /* already gone */
    }
  }
}

export interface PngOptions {
  width?: number;
  height?: number;
  /** Device-pixel scale of the PNG (2 = retina). */
  scale?: number;
}

/** Renders `fig` to PNG bytes in headless Chromium via Plotly.toImage. */
export async function renderPng(fig: FigureSpec, opts: PngOptions = {}): Promise<Buffer> {
  const { page } = await getSession();
  const width = opts.width ?? fig.width ?? 900;
  const height = opts.height ?? fig.height ?? 500;
  const scale = opts.scale ?? 2;
  const dataUrl = await page.evaluate(
    async ({ spec, width, height, scale }) => {
      const g = globalThis as any; // eslint-disable-line @typescript-eslint/no-explicit-any
      const P = g.Plotly;
      const div = g.document.createElement('div');
      g.document.body.appendChild(div);
      try {
        await P.newPlot(div, spec.data, { ...spec.layout, width, height }, { staticPlot: true });
        return (await P.toImage(div, { format: 'png', width, height, scale })) as string;
      } finally {
        P.purge(div);
        div.remove();
      }
    },
    { spec: { data: fig.data, layout: fig.layout }, width, height, scale },
  );
  const prefix = 'data:image/png;base64,';
  if (!dataUrl.startsWith(prefix)) throw new Error('renderPng: plotly did not return a PNG data URL');
  return Buffer.from(dataUrl.slice(prefix.length), 'base64');
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON safe to embed inside a <script> element. */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A standalone HTML page for `fig`; `plotlySrc` is the script URL (relative path for figures/). */
export function figureHtmlPage(fig: FigureSpec, title: string, plotlySrc = 'plotly.min.js'): string {
  const config = { responsive: true, displaylogo: false, ...(fig.config ?? {}) };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<script src="${escapeHtml(plotlySrc)}"></script>
<style>body{margin:0;font-family:Helvetica,Arial,sans-serif;background:#fff} #fig{width:${fig.width ?? 900}px;height:${fig.height ?? 500}px;max-width:100vw}</style>
</head>
<body>
<div id="fig"></div>
<p style="margin:4px 12px;color:#666;font-size:12px">${escapeHtml(fig.provenance)}</p>
<script>
Plotly.newPlot('fig', ${scriptJson(fig.data)}, ${scriptJson(fig.layout)}, ${scriptJson(config)});
</script>
</body>
</html>
`;
}

/** Writes figures/plotly.min.js (plotly.js-dist-min's bundle) if missing or from another version. */
export async function ensurePlotlyBeside(dir: string): Promise<string> {
  const target = path.join(dir, 'plotly.min.js');
  const stamp = `/* plotly.js ${plotlyVersion()} (from plotly.js-dist-min) */\n`;
  if (fs.existsSync(target)) {
    const head = fs.readFileSync(target, 'utf8').slice(0, stamp.length);
    if (head === stamp) return target;
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(target, stamp + fs.readFileSync(plotlySourcePath(), 'utf8'));
  return target;
}

export function figuresDir(): string {
  return path.join(projectRoot(), 'figures');
}

export interface SavedFigure {
  html: string;
  png: string;
}

/**
 * Writes `<dir>/<name>.html` (interactive; loads ./plotly.min.js beside it, so it opens offline)
 * and `<dir>/<name>.png` (rendered in headless Chromium). `dir` defaults to figures/.
 */
export async function saveFigure(fig: FigureSpec, name: string, opts: PngOptions & { dir?: string } = {}): Promise<SavedFigure> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`saveFigure: bad figure name "${name}"`);
  const dir = opts.dir ?? figuresDir();
  fs.mkdirSync(dir, { recursive: true });
  await ensurePlotlyBeside(dir);
  const html = path.join(dir, `${name}.html`);
  fs.writeFileSync(html, figureHtmlPage(fig, name));
  const png = path.join(dir, `${name}.png`);
  fs.writeFileSync(png, await renderPng(fig, opts));
  return { html, png };
}
