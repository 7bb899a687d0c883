/**
 * Notebook figure outputs (src/plot/notebook.ts) without Chromium: a fixed PNG stands in for the
 * rendered one. Each "run" loads the module afresh, as a new kernel does when a notebook is
 * re-executed, so the per-kernel display counts start again.
 */
import type { FigureSpec } from '../src/plot/spec';
import type { MimeBundle } from '../src/plot/notebook';

type NotebookModule = typeof import('../src/plot/notebook');

// A real 1x1 PNG; its base64 text is what must appear exactly once per figure.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

function spec(y: number[], title = 'test figure'): FigureSpec {
  return { data: [{ type: 'bar', x: y.map((_, i) => `arm ${i}`), y }], layout: { title: { text: title } }, width: 400, height: 300, provenance: 'ours — unit test' };
}

/** Shows `figs` in a fresh module instance (a fresh kernel) and returns every output bundle. */
function run(figs: FigureSpec[], png: (i: number) => string | null = () => PNG): MimeBundle[] {
  let out: MimeBundle[] = [];
  jest.isolateModules(() => {
    const nb = require('../src/plot/notebook') as NotebookModule;
    out = figs.flatMap((f, i) => nb.figureOutputs(f, png(i)));
  });
  return out;
}

const occurrences = (hay: string, needle: string): number => hay.split(needle).length - 1;
const ids = (bundles: MimeBundle[]): string[] => bundles.flatMap((b) => [...(b['text/html'] ?? '').matchAll(/id="([^"]+)"/g)].map((m) => m[1]));

describe('notebook figure outputs', () => {
  it('the same figures displayed in two runs give byte-identical outputs', () => {
    const figs = [spec([1, 2, 3]), spec([4, 5]), spec([1, 2, 3])];
    const first = JSON.stringify(run(figs));
    const second = JSON.stringify(run(figs));
    expect(second).toBe(first);
  });

  it('a figure shown twice in one run gets two distinct div ids (<hash>-1, <hash>-2)', () => {
    const a = run([spec([1, 2, 3]), spec([1, 2, 3])]);
    const [id1, id2] = ids(a);
    expect(id1).toMatch(/^srfig-[0-9a-f]{12}-1$/);
    expect(id2).toBe(id1.replace(/-1$/, '-2'));
  });

  it('an unchanged figure keeps its bytes when another figure is added before it', () => {
    const alone = run([spec([7, 8])]);
    const after = run([spec([9, 9, 9]), spec([7, 8])]);
    expect(JSON.stringify(after.slice(2))).toBe(JSON.stringify(alone));
  });

  it('a changed figure (data, layout or PNG) gives a different output and id', () => {
    const base = run([spec([1, 2, 3])]);
    const data = run([spec([1, 2, 4])]);
    const layout = run([spec([1, 2, 3], 'another title')]);
    expect(ids(data)[0]).not.toBe(ids(base)[0]);
    expect(ids(layout)[0]).not.toBe(ids(base)[0]);
    expect(JSON.stringify(data)).not.toBe(JSON.stringify(base));
    const otherPng = run([spec([1, 2, 3])], () => PNG.replace('X8jx0g', 'X8jx0h'));
    expect(JSON.stringify(otherPng)).not.toBe(JSON.stringify(base));
  });

  it('holds exactly one copy of the image data, in image/png, with no html beside it', () => {
    const out = run([spec([1, 2, 3])]);
    expect(occurrences(JSON.stringify(out), PNG)).toBe(1);
    expect(occurrences(JSON.stringify(out), 'base64')).toBe(0);
    // GitHub (and nbconvert HTML) prefer text/html over image/png and strip scripts: the PNG's
    // bundle must have no html, and the html bundle must carry no image.
    expect(out).toHaveLength(2);
    expect(Object.keys(out[0]).sort()).toEqual(['image/png', 'text/plain']);
    expect(out[0]['image/png']).toBe(PNG);
    expect(Object.keys(out[1])).toEqual(['text/html']);
    expect(out[1]['text/html']).toContain('newPlot');
    expect(out[1]['text/html']).not.toMatch(/<img|data:image/);
  });

  it('without a PNG there is one html output with a note and no PNG hiding', () => {
    const [only, ...rest] = run([spec([1, 2, 3])], () => null);
    expect(rest).toEqual([]);
    expect(only['text/html']).toContain('static image unavailable');
    expect(only['text/html']).toContain('var hidesPng = false;');
    expect(only['image/png']).toBeUndefined();
  });

  it('showFigure-style display sends each bundle as its own display_data through tslab', () => {
    jest.isolateModules(() => {
      const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: unknown };
      const sent: Array<{ data: MimeBundle }> = [];
      jupyter.lastWriteDisplayData = (d: { data: MimeBundle }) => sent.push(d);
      try {
        const nb = require('../src/plot/notebook') as NotebookModule;
        const bundles = nb.figureOutputs(spec([1, 2]), PNG);
        expect(bundles.every((b) => nb.displayBundle(b))).toBe(true);
        expect(sent.map((d) => d.data)).toEqual(bundles);
      } finally {
        jupyter.lastWriteDisplayData = null;
      }
    });
  });
});
