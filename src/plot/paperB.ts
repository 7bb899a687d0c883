/**
 * Figure specs for the numbers Paper B reports (Wu et al. 2025, "Reasoning or Memorization?",
 * arXiv 2507.10532 v3) — notebook 07. Pure functions of the typed tables in src/paper/paperB.ts;
 * every provenance starts "reported by Paper B (…, Table N)" so no one mistakes them for ours.
 */
import {
  PAPER_B_BENCHMARK_LABELS,
  PAPER_B_MODELS,
  PAPER_B_RL_REWARDS,
  PAPER_B_SIMILARITY_DATASETS,
  type AnswerAccuracyCell,
  type PaperBBenchmark,
  type PartialPromptCell,
  type SimilarityCell,
  type TemplateCell,
} from '../paper/paperB';
import { REWARD_COLORS, familyColor } from './colors';
import { axisId, figureLayout, gridAxes, panelTitle, type Grid } from './layout';
import type { FigureSpec } from './spec';

const reportedB = (table: string): string => `reported by Paper B (Wu et al. 2025, arXiv 2507.10532 v3, ${table})`;

/**
 * Items per benchmark, as PAPER-B-NOTES.md sec. 3 lists them: the n behind each reported
 * percentage. Paper B reports one pass per model and item, with no seeds or spread.
 */
export const PAPER_B_ITEMS: Readonly<Record<PaperBBenchmark, number>> = Object.freeze({ math500: 500, amc: 83, aime2024: 30, aime2025: 30, livemathbench: 100 });

/** "n per point: MATH-500 500 items, LiveMathBench 100 items per model; one pass, no spread reported". */
function itemsText(benchmarks: readonly PaperBBenchmark[]): string {
  return `n per point: ${benchmarks.map((b) => `${PAPER_B_BENCHMARK_LABELS[b]} ${PAPER_B_ITEMS[b]} items`).join(', ')} per model; one greedy pass per item, no seeds or spread reported`;
}

/**
 * Each model takes the colour of the stand-in family that plays its part elsewhere in the
 * workbook, so "Qwen2.5-Math-7B" looks the same in every notebook.
 */
export const PAPER_B_MODEL_COLORS: Readonly<Record<(typeof PAPER_B_MODELS)[number], string>> = Object.freeze({
  'Qwen2.5-Math-7B': familyColor('good-code'),
  'Qwen2.5-7B': familyColor('bad-code'),
  'Llama3.1-8B': familyColor('no-code'),
});

/** Colour of a Paper B model; throws on unknown names so a typo does not silently reuse a colour. */
export function paperBModelColor(model: string): string {
  const c = (PAPER_B_MODEL_COLORS as Readonly<Record<string, string>>)[model];
  if (c === undefined) throw new Error(`paperBModelColor: unknown model "${model}" (known: ${PAPER_B_MODELS.join(', ')})`);
  return c;
}

/** Line style per benchmark: solid = MATH-500 (in pretraining data, per the paper), dotted = the post-release LiveMathBench. */
const BENCHMARK_STYLE: Readonly<Record<PaperBBenchmark, { dash: string; symbol: string }>> = {
  math500: { dash: 'solid', symbol: 'circle' },
  amc: { dash: 'dash', symbol: 'square' },
  aime2024: { dash: 'dashdot', symbol: 'diamond' },
  aime2025: { dash: 'longdash', symbol: 'triangle-up' },
  livemathbench: { dash: 'dot', symbol: 'circle-open' },
};

const DEFAULT_BENCHMARKS: readonly PaperBBenchmark[] = ['math500', 'livemathbench'];

/** Models present in `models`, in the paper's order (unknown ones after, alphabetically). */
function orderedModels(models: Iterable<string>): string[] {
  const rank = (m: string) => {
    const i = (PAPER_B_MODELS as readonly string[]).indexOf(m);
    return i < 0 ? PAPER_B_MODELS.length : i;
  };
  return [...new Set(models)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** One line per model × benchmark that has cells, each sorted by prefix. */
function lineGroups<C extends { model: string; benchmark: PaperBBenchmark; prefix: number }>(
  cells: readonly C[],
  benchmarks: readonly PaperBBenchmark[],
): Array<{ model: string; benchmark: PaperBBenchmark; cells: C[] }> {
  const groups: Array<{ model: string; benchmark: PaperBBenchmark; cells: C[] }> = [];
  for (const model of orderedModels(cells.map((c) => c.model))) {
    for (const benchmark of benchmarks) {
      const mine = cells.filter((c) => c.model === model && c.benchmark === benchmark).sort((a, b) => a.prefix - b.prefix);
      if (mine.length) groups.push({ model, benchmark, cells: mine });
    }
  }
  if (!groups.length) throw new Error(`Paper B figure: no cells for benchmarks ${benchmarks.join(', ')}`);
  return groups;
}

const lineName = (model: string, benchmark: PaperBBenchmark) => `${model} · ${PAPER_B_BENCHMARK_LABELS[benchmark]}`;

function lineTrace(model: string, benchmark: PaperBBenchmark, x: number[], y: number[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const style = BENCHMARK_STYLE[benchmark];
  const color = paperBModelColor(model);
  return {
    type: 'scatter',
    mode: 'lines+markers',
    name: lineName(model, benchmark),
    legendgroup: lineName(model, benchmark),
    x,
    y,
    line: { color, width: benchmark === 'math500' ? 2.8 : 2, dash: style.dash },
    marker: { color, size: 8, symbol: style.symbol, line: { color, width: 1.5 } },
    ...extra,
  };
}

const prefixAxis = (prefixes: readonly number[], title: string): Record<string, unknown> => ({
  title: { text: title },
  tickmode: 'array',
  tickvals: [...prefixes],
  ticktext: prefixes.map((p) => `${p}%`),
  range: [Math.min(...prefixes) - 6, Math.max(...prefixes) + 6],
});

/**
 * Table 2: ROUGE-L (left) and exact match (right) of the greedy continuation against the rest of
 * the question, by prefix; one line per model × benchmark (solid = MATH-500, dotted = LiveMathBench).
 * MATH-500 points of the EM panel carry their values: that is where Qwen and Llama part ways.
 */
export function paperBRougeEmSpec(cells: readonly PartialPromptCell[], benchmarks: readonly PaperBBenchmark[] = DEFAULT_BENCHMARKS): FigureSpec {
  const provenance =
    `${reportedB('Table 2')} — greedy continuation of the first 40/60/80% of each question, no chat template; ` +
    'ROUGE-L against the rest of the question, EM = share of items reproduced exactly; ' +
    'LiveMathBench was released after the Qwen2.5 models; ' +
    itemsText(benchmarks.filter((b) => cells.some((c) => c.benchmark === b)));
  const groups = lineGroups(cells, benchmarks);
  const labelled = benchmarks[0];
  const data: Array<Record<string, unknown>> = [];
  for (const g of groups) {
    const x = g.cells.map((c) => c.prefix);
    const name = lineName(g.model, g.benchmark);
    data.push(
      lineTrace(g.model, g.benchmark, x, g.cells.map((c) => c.rougeL), {
        xaxis: axisId(0, 'x'),
        yaxis: axisId(0, 'y'),
        hovertemplate: `${name}<br>prefix %{x}%: ROUGE-L %{y:.2f}<extra></extra>`,
      }),
      lineTrace(g.model, g.benchmark, x, g.cells.map((c) => c.exactMatch), {
        xaxis: axisId(1, 'x'),
        yaxis: axisId(1, 'y'),
        showlegend: false,
        ...(g.benchmark === labelled
          ? { mode: 'lines+markers+text', text: g.cells.map((c) => c.exactMatch.toFixed(1)), textposition: 'top left', textfont: { size: 11, color: paperBModelColor(g.model) } }
          : {}),
        hovertemplate: `${name}<br>prefix %{x}%: EM %{y:.2f}<extra></extra>`,
      }),
    );
  }
  const prefixes = [...new Set(groups.flatMap((g) => g.cells.map((c) => c.prefix)))].sort((a, b) => a - b);
  const grid: Grid = { rows: 1, cols: 2, gapX: 0.09 };
  return {
    data,
    layout: figureLayout('Qwen reconstructs MATH-500, not LiveMathBench; Llama reconstructs neither', provenance, {
      ...gridAxes(grid, (i) => ({
        x: prefixAxis(prefixes, 'share of the question given'),
        y: { title: { text: i === 0 ? 'ROUGE-L (%)' : 'exact match (%)' }, range: [0, 100] },
      })),
      annotations: [panelTitle(grid, 0, 0, 'ROUGE-L of the continuation'), panelTitle(grid, 0, 1, 'Exact reconstruction (EM)')],
      legend: { orientation: 'h', y: -0.2 },
      margin: { b: 130 },
    }),
    width: 1000,
    height: 540,
    provenance,
  };
}

/**
 * Table 5: share of items whose continuation of a partial question ends with the correct answer,
 * by prefix (100% = the full question); one line per model × benchmark where the paper reports it.
 */
export function paperBAnswerAccuracySpec(cells: readonly AnswerAccuracyCell[], benchmarks: readonly PaperBBenchmark[] = DEFAULT_BENCHMARKS): FigureSpec {
  const groups = lineGroups(cells, benchmarks);
  const models = orderedModels(groups.map((g) => g.model));
  // Table 5 does not cover every model on every benchmark; say which lines are missing.
  const gaps = benchmarks
    .map((b) => ({ b, have: models.filter((m) => groups.some((g) => g.model === m && g.benchmark === b)) }))
    .filter(({ have }) => have.length > 0 && have.length < models.length)
    .map(({ b, have }) => `${PAPER_B_BENCHMARK_LABELS[b]} reported for ${have.join(' and ')} only`);
  const provenance = [
    `${reportedB('Table 5')} — share of items whose greedy continuation of the partial question gives the correct final answer, no chat template`,
    ...gaps,
    itemsText(benchmarks.filter((b) => cells.some((c) => c.benchmark === b))),
  ].join('; ');
  const labelled = benchmarks[0];
  const data = groups.map((g) => {
    const name = lineName(g.model, g.benchmark);
    return lineTrace(
      g.model,
      g.benchmark,
      g.cells.map((c) => c.prefix),
      g.cells.map((c) => c.accuracy),
      {
        ...(g.benchmark === labelled
          ? { mode: 'lines+markers+text', text: g.cells.map((c) => c.accuracy.toFixed(1)), textposition: 'top left', textfont: { size: 11, color: paperBModelColor(g.model) } }
          : {}),
        hovertemplate: `${name}<br>prefix %{x}%: answer accuracy %{y:.1f}<extra></extra>`,
      },
    );
  });
  const prefixes = [...new Set(groups.flatMap((g) => g.cells.map((c) => c.prefix)))].sort((a, b) => a - b);
  return {
    data,
    layout: figureLayout('Qwen answers MATH-500 questions it saw only part of; LiveMathBench stays near zero', provenance, {
      xaxis: { ...prefixAxis(prefixes, 'share of the question given (100% = the full question)'), gridcolor: '#eee', zeroline: false },
      yaxis: { title: { text: 'correct final answer (%)' }, range: [0, Math.max(80, ...cells.map((c) => c.accuracy)) + 5], gridcolor: '#eee' },
      legend: { orientation: 'h', y: -0.2 },
      margin: { b: 130 },
    }),
    width: 900,
    height: 520,
    provenance,
  };
}

const DECODING_LABEL: Record<TemplateCell['decoding'], string> = { greedy: 'Greedy', avg16: 'Avg@16' };

/**
 * Table 4: MATH-500 accuracy on the full question without (solid) and with (hatched) the chat
 * template, per decoding; the "with" bar is labelled with its change.
 */
export function paperBTemplateSpec(cells: readonly TemplateCell[]): FigureSpec {
  const provenance =
    `${reportedB('Table 4')} — MATH-500, full question; ` +
    'Greedy = 1 sample (top-k 1), Avg@16 = mean of 16 samples (T 0.7, top-p 0.8, top-k 20); ' +
    'with template = the official chat template around one user message; ' +
    `n per bar: ${PAPER_B_ITEMS.math500} MATH-500 items (Greedy: one pass each, Avg@16: 16 samples each), no seeds or spread reported`;
  const models = orderedModels(cells.map((c) => c.model));
  const decodings = (['greedy', 'avg16'] as const).filter((d) => cells.some((c) => c.decoding === d));
  const cats: Array<{ model: string; decoding: TemplateCell['decoding']; label: string }> = [];
  for (const model of models) {
    for (const decoding of decodings) cats.push({ model, decoding, label: models.length > 1 ? `${model} · ${DECODING_LABEL[decoding]}` : DECODING_LABEL[decoding] });
  }
  const find = (model: string, decoding: string, chatTemplate: boolean) => cells.find((c) => c.model === model && c.decoding === decoding && c.chatTemplate === chatTemplate);
  // Only categories with both bars, so every drop is a real difference.
  const pairs = cats.flatMap((k) => {
    const without = find(k.model, k.decoding, false);
    const withT = find(k.model, k.decoding, true);
    return without && withT ? [{ ...k, without: without.accuracy, with: withT.accuracy }] : [];
  });
  if (!pairs.length) throw new Error('paperBTemplateSpec: no model × decoding has both a with- and a without-template cell');
  const x = pairs.map((p) => p.label);
  const colors = pairs.map((p) => paperBModelColor(p.model));
  const drops = pairs.map((p) => p.without - p.with);
  const signed = (v: number) => (v >= 0 ? `+${v.toFixed(1)}` : `−${Math.abs(v).toFixed(1)}`);
  const title = drops.every((d) => d > 0)
    ? `The chat template costs ${models.join(', ')} ${Math.min(...drops).toFixed(1)}–${Math.max(...drops).toFixed(1)} MATH-500 points`
    : 'MATH-500 accuracy with and without the chat template';
  return {
    data: [
      {
        type: 'bar',
        name: 'without chat template',
        x,
        y: pairs.map((p) => p.without),
        text: pairs.map((p) => p.without.toFixed(1)),
        textposition: 'outside',
        marker: { color: colors },
        hovertemplate: '%{x}, without template: %{y:.1f}<extra></extra>',
      },
      {
        type: 'bar',
        name: 'with chat template',
        x,
        y: pairs.map((p) => p.with),
        text: pairs.map((p) => `${p.with.toFixed(1)} (${signed(p.with - p.without)})`),
        textposition: 'outside',
        marker: { color: colors, opacity: 0.55, pattern: { shape: '/', fgcolor: '#333', solidity: 0.25 } },
        hovertemplate: '%{x}, with template: %{y:.1f}<extra></extra>',
      },
    ],
    layout: figureLayout(title, provenance, {
      barmode: 'group',
      bargap: 0.3,
      yaxis: { title: { text: 'MATH-500 accuracy (%)' }, range: [0, Math.max(85, ...pairs.map((p) => p.without)) + 8], gridcolor: '#eee' },
      legend: { orientation: 'h', y: -0.15 },
    }),
    width: 760,
    height: 480,
    provenance,
  };
}

const DATASET_LABEL: Record<SimilarityCell['dataset'], string> = {
  math500: 'MATH-500',
  randomcalc5: 'RandomCalculation, 5 steps',
  randomcalc10: 'RandomCalculation, 10 steps',
};
const RL_REWARD_STYLE: Record<SimilarityCell['reward'], { name: string; color: string }> = {
  correct: { name: 'Correct', color: REWARD_COLORS.ground_truth },
  random: { name: 'Random', color: REWARD_COLORS.random },
  mv_incorrect: { name: 'Mv-incorrect', color: REWARD_COLORS.incorrect },
};

/** Table 3: ROUGE-L between outputs before and after RL (high = RL changed little), by dataset and reward. */
export function paperBSimilaritySpec(cells: readonly SimilarityCell[]): FigureSpec {
  const provenance =
    `${reportedB('Table 3')} — ROUGE-L between a model's outputs before and after RL (1 = unchanged); ` +
    'the model is not named in PAPER-B-NOTES.md; ' +
    'n: the items and RL runs behind each value are not stated there, and no spread is reported';
  const datasets = PAPER_B_SIMILARITY_DATASETS.filter((d) => cells.some((c) => c.dataset === d));
  if (!datasets.length) throw new Error('paperBSimilaritySpec: no cells');
  const data = PAPER_B_RL_REWARDS.filter((r) => cells.some((c) => c.reward === r)).map((reward) => {
    const mine = datasets.flatMap((d) => cells.filter((c) => c.dataset === d && c.reward === reward));
    return {
      type: 'bar',
      name: RL_REWARD_STYLE[reward].name,
      x: mine.map((c) => DATASET_LABEL[c.dataset]),
      y: mine.map((c) => c.rougeL),
      text: mine.map((c) => c.rougeL.toFixed(3)),
      textposition: 'outside',
      marker: { color: RL_REWARD_STYLE[reward].color },
      hovertemplate: `%{x}, ${RL_REWARD_STYLE[reward].name} reward: ROUGE-L %{y:.3f}<extra></extra>`,
    };
  });
  return {
    data,
    layout: figureLayout('RL changes MATH-500 outputs least: similarity before vs after RL', provenance, {
      barmode: 'group',
      xaxis: { categoryorder: 'array', categoryarray: datasets.map((d) => DATASET_LABEL[d]) },
      yaxis: { title: { text: 'ROUGE-L, before vs after RL' }, range: [0, Math.max(0.75, ...cells.map((c) => c.rougeL)) + 0.05], gridcolor: '#eee' },
      legend: { orientation: 'h', y: -0.15, title: { text: 'RL reward: ' } },
    }),
    width: 860,
    height: 480,
    provenance,
  };
}
