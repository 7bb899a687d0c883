import { describeWithTool } from './helpers';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CHROMIUM_ARGS,
  FIGURE_CATALOG,
  REWARD_COLORS,
  chromiumPath,
  closeBrowser,
  figure1Spec,
  figureBundles,
  renderPng,
  rewardColor,
  saveFigure,
  summarizePng,
} from '../src/plot/index';
import { figure1Models } from '../src/paper/index';

describe('figure specs', () => {
  it('every catalog figure builds and is labelled with its provenance', () => {
    for (const e of FIGURE_CATALOG) {
      const fig = e.build();
      expect(fig.data.length).toBeGreaterThan(0);
      // Reported numbers say so (Paper A's, or Paper B's in notebook 07); our own figures start with "ours".
      expect(fig.provenance).toMatch(/^(reported by the paper \(v1|reported by Paper B \(|ours — )/);
      expect(JSON.stringify(fig.layout)).toMatch(/reported by the paper|reported by Paper B|ours — /);
    }
  });

  it('Fig. 1 uses the paper colours and bar height = base + gain', () => {
    const fig = figure1Spec(figure1Models());
    const gt = fig.data.find((t) => t.name === 'Ground Truth')!;
    expect((gt.marker as { color: string }).color).toBe(REWARD_COLORS.ground_truth);
    expect((gt.y as number[])[0]).toBeCloseTo(49.4 + 28.8, 6);
    expect(rewardColor('random')).toBe('#9a6ec1');
    expect(() => rewardColor('nonsense')).toThrow(/unknown reward/);
  });
});

const chromium = chromiumPath();
const describeBrowser = describeWithTool('Chromium', chromium !== null && chromium !== undefined, 'apt-get install chromium; see .ci/apt-packages.txt');

describeBrowser('PNG export in headless Chromium', () => {
  afterAll(() => closeBrowser());

  it('renders a non-blank PNG and writes html+png', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-fig-'));
    const fig = figure1Spec(figure1Models());
    const out = await saveFigure(fig, 'fig1-test', { dir, scale: 1 });
    const png = fs.readFileSync(out.png);
    const s = summarizePng(png);
    expect([s.width, s.height]).toEqual([fig.width, fig.height]);
    expect(s.distinctColors).toBeGreaterThan(50);
    expect(s.nonBackgroundFraction).toBeGreaterThan(0.05);
    const html = fs.readFileSync(out.html, 'utf8');
    expect(html).toContain('<script src="plotly.min.js"></script>');
    expect(fs.statSync(path.join(dir, 'plotly.min.js')).size).toBeGreaterThan(1_000_000);
    // the HTML opens offline (file://, plotly from beside it) and draws the bars
    const { chromium: pw } = require('playwright-core') as typeof import('playwright-core');
    const browser = await pw.launch({ executablePath: chromium!, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.route(/^https?:/, (route) => route.abort());
      await page.goto(`file://${out.html}`);
      await page.waitForSelector('#fig .main-svg', { timeout: 20000 });
      expect(await page.locator('#fig g.point').count()).toBeGreaterThanOrEqual(28);
    } finally {
      await browser.close();
    }
  }, 60000);

  it('an empty figure renders as (nearly) one colour, so the check above means something', async () => {
    const png = await renderPng({ data: [], layout: { xaxis: { visible: false }, yaxis: { visible: false } }, provenance: 'test', width: 300, height: 200 }, { scale: 1 });
    const s = summarizePng(png);
    expect(s.nonBackgroundFraction).toBeLessThan(0.01);
  }, 60000);

  it('notebook outputs: a real PNG once (png + text), then script-only html', async () => {
    const [still, live, ...rest] = await figureBundles(figure1Spec(figure1Models()));
    expect(rest).toEqual([]);
    expect(Object.keys(still).sort()).toEqual(['image/png', 'text/plain']);
    expect(summarizePng(Buffer.from(still['image/png'], 'base64')).nonBackgroundFraction).toBeGreaterThan(0.05);
    expect(still['text/plain']).toContain('reported by the paper (v1, Fig. 1)');
    expect(Object.keys(live)).toEqual(['text/html']);
    expect(live['text/html']).not.toContain('base64');
  }, 60000);

  it('the same figure renders to byte-identical PNGs (an unchanged re-run needs this)', async () => {
    const fig = figure1Spec(figure1Models());
    const a = (await figureBundles(fig))[0]['image/png'];
    const b = (await figureBundles(fig))[0]['image/png'];
    expect(b).toBe(a);
  }, 60000);
});
