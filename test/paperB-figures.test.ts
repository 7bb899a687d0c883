import {
  FIGURE_CATALOG,
  FAMILY_COLORS,
  catalogFigure,
  paperBAnswerAccuracySpec,
  paperBModelColor,
  paperBRougeEmSpec,
  paperBSimilaritySpec,
  paperBTemplateSpec,
  type FigureSpec,
} from '../src/plot/index';
import { paperBRougeFrame, paperBTable2, paperBTable3, paperBTable4, paperBTable5, type TemplateCell } from '../src/paper/index';

// Expected values are typed by hand from ../shared/reference/PAPER-B-NOTES.md, section 4.

type Trace = Record<string, unknown> & { x: unknown[]; y: unknown[]; name?: string };
const traces = (fig: FigureSpec): Trace[] => fig.data as Trace[];

/** The y value at x of the trace named `name` (on the panel whose axis is `yaxis`, when given). */
function yAt(fig: FigureSpec, name: string, x: unknown, yaxis?: string): number {
  const t = traces(fig).find((d) => d.name === name && (yaxis === undefined || (d.yaxis ?? 'y') === yaxis));
  if (!t) throw new Error(`no trace "${name}"${yaxis ? ` on ${yaxis}` : ''} (have: ${traces(fig).map((d) => d.name).join(', ')})`);
  const i = t.x.indexOf(x);
  if (i < 0) throw new Error(`trace "${name}" has no x = ${String(x)}`);
  return t.y[i] as number;
}

function expectWellFormed(fig: FigureSpec, table: string): void {
  expect(fig.provenance).toMatch(new RegExp(`^reported by Paper B \\(Wu et al\\. 2025, arXiv 2507\\.10532 v3, ${table}\\)`));
  // The header annotation carries the same words, so a PNG shows where its numbers come from.
  expect(JSON.stringify(fig.layout.annotations)).toContain(`reported by Paper B (Wu et al. 2025, arXiv 2507.10532 v3, ${table})`);
  expect(fig.data.length).toBeGreaterThan(0);
  for (const t of traces(fig)) {
    expect(Array.isArray(t.x) && Array.isArray(t.y)).toBe(true);
    expect(t.x.length).toBe(t.y.length);
    expect(t.x.length).toBeGreaterThan(0);
    for (const v of t.y) expect(Number.isFinite(v)).toBe(true);
    if (Array.isArray(t.text)) expect(t.text.length).toBe(t.y.length);
  }
}

describe("Paper B's reported numbers as figures", () => {
  it('Table 2 figure: EM and ROUGE-L per model × benchmark × prefix, two panels', () => {
    const fig = paperBRougeEmSpec(paperBTable2());
    expectWellFormed(fig, 'Table 2');
    expect(fig.provenance).toContain('n per point: MATH-500 500 items, LiveMathBench 100 items per model');
    // 3 models × 2 benchmarks × 2 panels; only MATH-500 and LiveMathBench by default.
    expect(traces(fig)).toHaveLength(12);
    expect(new Set(traces(fig).map((t) => t.name))).toEqual(
      new Set(['Qwen2.5-Math-7B', 'Qwen2.5-7B', 'Llama3.1-8B'].flatMap((m) => [`${m} · MATH-500`, `${m} · LiveMathBench`])),
    );
    for (const t of traces(fig)) expect(t.x).toEqual([40, 60, 80]);
    const em = (name: string, p: number) => yAt(fig, name, p, 'y2');
    const rouge = (name: string, p: number) => yAt(fig, name, p, 'y');
    expect(em('Qwen2.5-Math-7B · MATH-500', 60)).toBe(54.6);
    expect(em('Qwen2.5-Math-7B · MATH-500', 80)).toBe(65.8);
    expect(em('Qwen2.5-Math-7B · MATH-500', 40)).toBe(39.2);
    expect(em('Llama3.1-8B · MATH-500', 60)).toBe(3.8);
    expect(em('Qwen2.5-7B · MATH-500', 60)).toBe(21.2);
    expect(em('Qwen2.5-Math-7B · LiveMathBench', 60)).toBe(0);
    expect(em('Qwen2.5-Math-7B · LiveMathBench', 80)).toBe(5);
    expect(rouge('Qwen2.5-Math-7B · MATH-500', 60)).toBe(78.06);
    expect(rouge('Llama3.1-8B · LiveMathBench', 80)).toBe(35.55);
    expect(rouge('Qwen2.5-7B · LiveMathBench', 40)).toBe(27.95);
    // The figure's point, read off its own data: Qwen-Math's MATH-500 EM is far above LiveMathBench and above Llama's.
    for (const p of [40, 60, 80]) {
      expect(em('Qwen2.5-Math-7B · MATH-500', p)).toBeGreaterThan(em('Qwen2.5-Math-7B · LiveMathBench', p) + 30);
      expect(em('Qwen2.5-Math-7B · MATH-500', p)).toBeGreaterThan(em('Llama3.1-8B · MATH-500', p) + 30);
    }
    expect(fig.layout.title).toMatchObject({ text: expect.stringMatching(/MATH-500.*LiveMathBench.*Llama/) });
  });

  it('Table 2 figure: colour per model, dash per benchmark, one legend entry per line', () => {
    const fig = paperBRougeEmSpec(paperBTable2());
    const line = (name: string, yaxis: string) => traces(fig).find((t) => t.name === name && (t.yaxis ?? 'y') === yaxis)!.line as { color: string; dash: string };
    expect(line('Qwen2.5-Math-7B · MATH-500', 'y').color).toBe(FAMILY_COLORS['good-code']);
    expect(line('Llama3.1-8B · MATH-500', 'y2').color).toBe(FAMILY_COLORS['no-code']);
    expect(line('Qwen2.5-7B · MATH-500', 'y').dash).toBe('solid');
    expect(line('Qwen2.5-7B · LiveMathBench', 'y').dash).toBe('dot');
    expect(traces(fig).filter((t) => t.showlegend !== false)).toHaveLength(6);
    expect(() => paperBModelColor('GPT-5')).toThrow(/unknown model "GPT-5"/);
    // Other benchmarks can be asked for; an empty selection is an error, not a blank figure.
    const amc = paperBRougeEmSpec(paperBTable2(), ['amc']);
    expect(yAt(amc, 'Qwen2.5-Math-7B · AMC', 40, 'y')).toBe(75.17);
    expect(() => paperBRougeEmSpec([], ['math500'])).toThrow(/no cells/);
  });

  it('Table 5 figure: answer accuracy vs prefix, LiveMathBench only where reported', () => {
    const fig = paperBAnswerAccuracySpec(paperBTable5());
    expectWellFormed(fig, 'Table 5');
    expect(traces(fig).map((t) => t.name)).toEqual([
      'Qwen2.5-Math-7B · MATH-500',
      'Qwen2.5-Math-7B · LiveMathBench',
      'Qwen2.5-7B · MATH-500',
      'Llama3.1-8B · MATH-500',
      'Llama3.1-8B · LiveMathBench',
    ]);
    const row = (name: string) => [40, 60, 80, 100].map((p) => yAt(fig, name, p));
    expect(row('Qwen2.5-Math-7B · MATH-500')).toEqual([41.2, 53.6, 63.8, 72.2]);
    expect(row('Qwen2.5-7B · MATH-500')).toEqual([18.4, 30.8, 49.6, 67.6]);
    expect(row('Llama3.1-8B · MATH-500')).toEqual([2.0, 2.4, 2.0, 1.6]);
    expect(row('Qwen2.5-Math-7B · LiveMathBench')).toEqual([3, 2, 9, 7]);
    expect(row('Llama3.1-8B · LiveMathBench')).toEqual([1, 1, 2, 0]);
    expect(fig.provenance).toContain('LiveMathBench reported for Qwen2.5-Math-7B and Llama3.1-8B only');
  });

  it('Table 4 figure: 72.2 → 50.6 greedy, 68.5 → 48.8 Avg@16', () => {
    const fig = paperBTemplateSpec(paperBTable4());
    expectWellFormed(fig, 'Table 4');
    expect(yAt(fig, 'without chat template', 'Greedy')).toBe(72.2);
    expect(yAt(fig, 'with chat template', 'Greedy')).toBe(50.6);
    expect(yAt(fig, 'without chat template', 'Avg@16')).toBe(68.5);
    expect(yAt(fig, 'with chat template', 'Avg@16')).toBe(48.8);
    // The subtitle names the n behind each bar (PAPER-B-NOTES.md sec. 3: MATH-500 has 500 items).
    expect(fig.provenance).toContain('n per bar: 500 MATH-500 items');
    expect(traces(fig).find((t) => t.name === 'with chat template')!.text).toEqual(['50.6 (−21.6)', '48.8 (−19.7)']);
    expect(fig.layout.title).toMatchObject({ text: 'The chat template costs Qwen2.5-Math-7B 19.7–21.6 MATH-500 points' });
    // A decoding with only one of the two bars is left out rather than drawn against nothing.
    const greedyOnly: TemplateCell[] = paperBTable4().filter((c) => c.decoding === 'greedy' || c.chatTemplate);
    expect(traces(paperBTemplateSpec(greedyOnly))[0].x).toEqual(['Greedy']);
    expect(() => paperBTemplateSpec(paperBTable4().filter((c) => c.chatTemplate))).toThrow(/both a with- and a without-template/);
  });

  it('Table 3 figure: similarity before vs after RL by dataset and reward', () => {
    const fig = paperBSimilaritySpec(paperBTable3());
    expectWellFormed(fig, 'Table 3');
    expect(fig.provenance).toContain('the items and RL runs behind each value are not stated');
    expect(traces(fig).map((t) => t.name)).toEqual(['Correct', 'Random', 'Mv-incorrect']);
    expect(yAt(fig, 'Correct', 'MATH-500')).toBe(0.555);
    expect(yAt(fig, 'Random', 'MATH-500')).toBe(0.601);
    expect(yAt(fig, 'Mv-incorrect', 'MATH-500')).toBe(0.563);
    expect(yAt(fig, 'Correct', 'RandomCalculation, 5 steps')).toBe(0.225);
    expect(yAt(fig, 'Mv-incorrect', 'RandomCalculation, 10 steps')).toBe(0.279);
    for (const t of traces(fig)) expect(t.x).toEqual(['MATH-500', 'RandomCalculation, 5 steps', 'RandomCalculation, 10 steps']);
  });

  it('Table 2 as tidy rows, sorted model → benchmark → prefix', () => {
    const rows = paperBRougeFrame();
    expect(rows).toHaveLength(45);
    expect(rows[0]).toEqual({ model: 'Qwen2.5-Math-7B', benchmark: 'math500', prefix: 40, rougeL: 69.01, em: 39.2 });
    expect(rows.find((r) => r.model === 'Llama3.1-8B' && r.benchmark === 'math500' && r.prefix === 60)).toEqual({
      model: 'Llama3.1-8B',
      benchmark: 'math500',
      prefix: 60,
      rougeL: 40.55,
      em: 3.8,
    });
    const two = paperBRougeFrame(paperBTable2(), ['math500', 'livemathbench']);
    expect(two).toHaveLength(18);
    expect(two.map((r) => `${r.model}|${r.benchmark}`).filter((k, i, a) => a.indexOf(k) === i)).toEqual([
      'Qwen2.5-Math-7B|math500',
      'Qwen2.5-Math-7B|livemathbench',
      'Qwen2.5-7B|math500',
      'Qwen2.5-7B|livemathbench',
      'Llama3.1-8B|math500',
      'Llama3.1-8B|livemathbench',
    ]);
  });

  it('the catalog registers them for notebook 07, after every earlier entry', () => {
    const names = ['07-paperb-rouge-em', '07-paperb-answer-accuracy', '07-paperb-template', '07-paperb-similarity'];
    const mine = FIGURE_CATALOG.filter((e) => e.name.startsWith('07-paperb-'));
    expect(mine.map((e) => e.name)).toEqual(names);
    for (const e of mine) expect(e.notebook).toBe('07-reasoning-or-memorization');
    const idx = FIGURE_CATALOG.findIndex((e) => e.name === names[0]);
    expect(FIGURE_CATALOG.slice(0, idx).some((e) => e.name.startsWith('07-paperb-'))).toBe(false);
    expect(yAt(catalogFigure('07-paperb-rouge-em'), 'Qwen2.5-Math-7B · MATH-500', 60, 'y2')).toBe(54.6);
    expect(yAt(catalogFigure('07-paperb-template'), 'with chat template', 'Greedy')).toBe(50.6);
    expectWellFormed(catalogFigure('07-paperb-answer-accuracy'), 'Table 5');
    expectWellFormed(catalogFigure('07-paperb-similarity'), 'Table 3');
  });
});
