/**
 * Paper B's reported numbers (Wu et al., "Reasoning or Memorization?", arXiv 2507.10532 v3), as
 * transcribed in the fact sheet PAPER-B-NOTES.md: the partial-prompt tables, the chat-template
 * effect, similarity before/after RL, other contamination checks and the setup. Typed views fail
 * on a malformed row with `datasets/paper/<file>.csv:<line>: <reason>`.
 */
import { CsvFormatError } from './csv';
import { loadReportedFile, type ReportedRow } from './reported';

/** Paper B's tables in `datasets/paper/`, by short name (kept apart from PAPER_TABLES, Paper A's set). */
export const PAPER_B_TABLES = {
  table2: 'paper_b_table2_rouge_em.csv',
  table3: 'paper_b_table3_rl_similarity.csv',
  table4: 'paper_b_table4_template.csv',
  table5: 'paper_b_table5_answer_accuracy.csv',
  other: 'paper_b_other_contamination.csv',
  setup: 'paper_b_setup.csv',
} as const;
export type PaperBTableName = keyof typeof PAPER_B_TABLES;

/** Benchmarks of the partial-prompt tables, in the paper's column order (MinervaMath left out, see `other`). */
export const PAPER_B_BENCHMARKS = ['math500', 'amc', 'aime2024', 'aime2025', 'livemathbench'] as const;
export type PaperBBenchmark = (typeof PAPER_B_BENCHMARKS)[number];
export const PAPER_B_PREFIXES = [40, 60, 80, 100] as const;

type Source = ReportedRow['source'];

function fail(r: ReportedRow, reason: string): never {
  throw new CsvFormatError(r.source.file, r.source.line, reason);
}

/** Rows of one Paper B table, validated as every reported-numbers file and required to be paper B. */
export function loadPaperB(table: PaperBTableName): ReportedRow[] {
  const rows = loadReportedFile(PAPER_B_TABLES[table]);
  for (const r of rows) if (r.paper !== 'B') fail(r, `paper must be B in a Paper B table, got "${r.paper}"`);
  return rows;
}

export function loadAllPaperB(): ReportedRow[] {
  return (Object.keys(PAPER_B_TABLES) as PaperBTableName[]).flatMap((t) => loadPaperB(t));
}

function checkRange(r: ReportedRow): void {
  const max = r.unit === 'pct' ? 100 : r.unit === 'fraction' ? 1 : Infinity;
  if (r.value < 0 || r.value > max) fail(r, `value ${r.value} outside [0, ${max}] for unit ${r.unit}`);
}

/** `math500_prefix60` → benchmark and prefix (%); the benchmark must be one of `benchmarks` when given. */
function prefixKey(r: ReportedRow, benchmarks?: readonly string[]): { benchmark: string; prefix: number } {
  const m = /^([a-z0-9]+)_prefix(\d+)$/.exec(r.rewardOrMetric);
  if (!m) fail(r, `reward_or_metric must look like <benchmark>_prefix<percent>, got "${r.rewardOrMetric}"`);
  const prefix = Number(m[2]);
  if (!(PAPER_B_PREFIXES as readonly number[]).includes(prefix)) fail(r, `prefix must be one of ${PAPER_B_PREFIXES.join('/')}, got ${prefix}`);
  if (benchmarks && !benchmarks.includes(m[1])) fail(r, `unknown benchmark "${m[1]}"`);
  return { benchmark: m[1], prefix };
}

export interface PartialPromptCell {
  model: string;
  benchmark: PaperBBenchmark;
  /** Share of the question given, in percent (40, 60, 80). */
  prefix: number;
  /** ROUGE-L of the continuation against the rest of the question, % (Greedy, no template). */
  rougeL: number;
  /** Share of items reproduced exactly (ROUGE-L = 1), %. */
  exactMatch: number;
  sources: Source[];
}

/** Table 2: ROUGE-L and EM per model × benchmark × prefix; each cell needs both numbers. */
export function paperBTable2(rows: readonly ReportedRow[] = loadPaperB('table2')): PartialPromptCell[] {
  const cells = new Map<string, { cell: Partial<PartialPromptCell> & { sources: Source[] }; first: ReportedRow }>();
  for (const r of rows) {
    checkRange(r);
    const { benchmark, prefix } = prefixKey(r, PAPER_B_BENCHMARKS);
    if (prefix === 100) fail(r, 'Table 2 has no 100% prefix (nothing left to reproduce)');
    const key = `${r.model}|${benchmark}|${prefix}`;
    const slot = cells.get(key) ?? { cell: { model: r.model, benchmark: benchmark as PaperBBenchmark, prefix, sources: [] }, first: r };
    cells.set(key, slot);
    if (r.quantity === 'rouge_l') slot.cell.rougeL = r.value;
    else if (r.quantity === 'exact_match') slot.cell.exactMatch = r.value;
    else fail(r, `quantity must be rouge_l or exact_match, got "${r.quantity}"`);
    slot.cell.sources.push(r.source);
  }
  return [...cells.values()].map(({ cell, first }) => {
    if (cell.rougeL === undefined || cell.exactMatch === undefined) fail(first, `${cell.model} ${cell.benchmark} ${cell.prefix}%: needs both rouge_l and exact_match`);
    return cell as PartialPromptCell;
  });
}

export interface AnswerAccuracyCell {
  model: string;
  benchmark: PaperBBenchmark;
  /** 100 = the full question. */
  prefix: number;
  /** Share of items whose continuation's final answer is correct, % (Greedy, no template). */
  accuracy: number;
  source: Source;
}

/** Table 5: answer accuracy from partial prompts. */
export function paperBTable5(rows: readonly ReportedRow[] = loadPaperB('table5')): AnswerAccuracyCell[] {
  return rows.map((r) => {
    checkRange(r);
    if (r.quantity !== 'answer_accuracy') fail(r, `quantity must be answer_accuracy, got "${r.quantity}"`);
    const { benchmark, prefix } = prefixKey(r, PAPER_B_BENCHMARKS);
    return { model: r.model, benchmark: benchmark as PaperBBenchmark, prefix, accuracy: r.value, source: r.source };
  });
}

export interface TemplateCell {
  model: string;
  decoding: 'greedy' | 'avg16';
  chatTemplate: boolean;
  /** MATH-500 accuracy on the full question, %. */
  accuracy: number;
  source: Source;
}

/** Table 4: MATH-500 accuracy with and without the chat template, greedy and Avg@16. */
export function paperBTable4(rows: readonly ReportedRow[] = loadPaperB('table4')): TemplateCell[] {
  return rows.map((r) => {
    checkRange(r);
    if (r.quantity !== 'math500_accuracy') fail(r, `quantity must be math500_accuracy, got "${r.quantity}"`);
    const m = /^(greedy|avg16)_(no|with)_template$/.exec(r.rewardOrMetric);
    if (!m) fail(r, `reward_or_metric must be (greedy|avg16)_(no|with)_template, got "${r.rewardOrMetric}"`);
    return { model: r.model, decoding: m[1] as 'greedy' | 'avg16', chatTemplate: m[2] === 'with', accuracy: r.value, source: r.source };
  });
}

export const PAPER_B_SIMILARITY_DATASETS = ['math500', 'randomcalc5', 'randomcalc10'] as const;
export const PAPER_B_RL_REWARDS = ['correct', 'random', 'mv_incorrect'] as const;

export interface SimilarityCell {
  dataset: (typeof PAPER_B_SIMILARITY_DATASETS)[number];
  reward: (typeof PAPER_B_RL_REWARDS)[number];
  /** ROUGE-L between outputs before and after RL, 0–1. */
  rougeL: number;
  source: Source;
}

/** Table 3: how much RL changed the outputs, per dataset and reward (high = little change). */
export function paperBTable3(rows: readonly ReportedRow[] = loadPaperB('table3')): SimilarityCell[] {
  return rows.map((r) => {
    checkRange(r);
    if (r.quantity !== 'rouge_l_before_vs_after_rl') fail(r, `quantity must be rouge_l_before_vs_after_rl, got "${r.quantity}"`);
    const m = /^(math500|randomcalc5|randomcalc10)_(correct|random|mv_incorrect)$/.exec(r.rewardOrMetric);
    if (!m) fail(r, `reward_or_metric must be <dataset>_<reward>, got "${r.rewardOrMetric}"`);
    return { dataset: m[1] as SimilarityCell['dataset'], reward: m[2] as SimilarityCell['reward'], rougeL: r.value, source: r.source };
  });
}

export interface ContaminationCell {
  /** 'Table 9', 'Table 14', ... */
  table: string;
  model: string;
  benchmark: string;
  /** Prefix in percent; null for a statement over every prefix. */
  prefix: number | null;
  /** exact_match, or exact_match_max for an upper bound. */
  quantity: string;
  value: number;
  source: Source;
}

/** Tables 9 and 14 (Qwen3 on MATH-500, LiveCodeBench) and the MinervaMath EM bound. */
export function paperBOtherContamination(rows: readonly ReportedRow[] = loadPaperB('other')): ContaminationCell[] {
  return rows.map((r) => {
    checkRange(r);
    if (r.quantity !== 'exact_match' && r.quantity !== 'exact_match_max') fail(r, `quantity must be exact_match or exact_match_max, got "${r.quantity}"`);
    const any = /^([a-z0-9]+)_any_prefix$/.exec(r.rewardOrMetric);
    const { benchmark, prefix } = any ? { benchmark: any[1], prefix: null } : prefixKey(r);
    return { table: r.figureOrTable, model: r.model, benchmark, prefix, quantity: r.quantity, value: r.value, source: r.source };
  });
}

/** One number of the setup table (hyper-parameters, decoding, benchmark sizes) by reward_or_metric and quantity. */
export function paperBSetting(group: string, quantity: string, rows: readonly ReportedRow[] = loadPaperB('setup')): ReportedRow {
  const hit = rows.find((r) => r.rewardOrMetric === group && r.quantity === quantity);
  if (!hit) throw new Error(`datasets/paper/${PAPER_B_TABLES.setup}: no row ${group}/${quantity}`);
  return hit;
}

/** The three models of Tables 2 and 5, in the paper's row order. */
export const PAPER_B_MODELS = ['Qwen2.5-Math-7B', 'Qwen2.5-7B', 'Llama3.1-8B'] as const;

/** Benchmark names as the paper prints them. */
export const PAPER_B_BENCHMARK_LABELS: Readonly<Record<PaperBBenchmark, string>> = Object.freeze({
  math500: 'MATH-500',
  amc: 'AMC',
  aime2024: 'AIME 2024',
  aime2025: 'AIME 2025',
  livemathbench: 'LiveMathBench',
});

/** One Table 2 cell as a flat row, for showing as a table. */
export interface PaperBRougeRow {
  model: string;
  benchmark: PaperBBenchmark;
  prefix: number;
  rougeL: number;
  em: number;
}

/** Position of `v` in `order`, unknown values last (so an extra model still shows, after the paper's). */
const rank = (order: readonly string[], v: string): number => {
  const i = order.indexOf(v);
  return i < 0 ? order.length : i;
};

/**
 * Table 2 as tidy rows sorted like the paper reads (model, then benchmark, then prefix ascending);
 * `benchmarks` keeps only those benchmarks.
 */
export function paperBRougeFrame(cells: readonly PartialPromptCell[] = paperBTable2(), benchmarks?: readonly PaperBBenchmark[]): PaperBRougeRow[] {
  return cells
    .filter((c) => !benchmarks || benchmarks.includes(c.benchmark))
    .map((c) => ({ model: c.model, benchmark: c.benchmark, prefix: c.prefix, rougeL: c.rougeL, em: c.exactMatch }))
    .sort(
      (a, b) =>
        rank(PAPER_B_MODELS, a.model) - rank(PAPER_B_MODELS, b.model) ||
        a.model.localeCompare(b.model) ||
        rank(PAPER_B_BENCHMARKS, a.benchmark) - rank(PAPER_B_BENCHMARKS, b.benchmark) ||
        a.prefix - b.prefix,
    );
}
