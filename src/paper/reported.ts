import * as fs from 'fs';
import * as path from 'path';
import { CsvFormatError, parseCsv } from './csv';
import { dfd, type DataFrame } from './danfo';
import { projectPath } from '../engine/paths';

/** `datasets/paper/` under the project root. */
export function paperDataDir(): string {
  return projectPath('datasets', 'paper');
}

/** Paper A = Spurious Rewards (Shao et al.); Paper B = Reasoning or Memorization? (Wu et al.). */
export type PaperId = 'A' | 'B';

/** One number reported by a paper, with where it was read. */
export interface ReportedRow {
  paper: PaperId;
  /** 'v1', 'v2', 'v3' or 'unknown' (version not recorded). */
  version: string;
  /** e.g. 'Fig. 1', 'Table 2', 'Abstract', 'Sec. 4.2'. */
  figureOrTable: string;
  model: string;
  /** A reward (ground_truth, random, ...) or a condition/metric name (acc_with_code, ...). */
  rewardOrMetric: string;
  /** What the value measures (gain_after_150_steps, accuracy, partial_contribution, ...). */
  quantity: string;
  value: number;
  /** pct, abs_points, pct_of_gain, problems, ... */
  unit: string;
  /** How the value was read off the paper. */
  note: string;
  /** Source file (relative to the project) and 1-based line, for provenance. */
  source: { file: string; line: number };
}

export const REPORTED_COLUMNS = [
  'paper',
  'version',
  'figure_or_table',
  'model',
  'reward_or_metric',
  'quantity',
  'value',
  'unit',
  'note',
] as const;

/** The tables in `datasets/paper/`, by short name. */
export const PAPER_TABLES = {
  fig1: 'fig1_math500.csv',
  headline: 'headline_v1_v2.csv',
  table1: 'table1_code_reasoning.csv',
  table2: 'table2_partial_contribution.csv',
  table3: 'table3_code_prompt.csv',
  fig7: 'fig7_strategy_switching.csv',
  textFacts: 'text_facts.csv',
  setup: 'training_setup.csv',
  paperB: 'paper_b_contamination.csv',
} as const;
export type PaperTableName = keyof typeof PAPER_TABLES;

const VERSION_RE = /^(v\d+|unknown)$/;
const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses the text of one reported-numbers CSV. Any malformed row throws a CsvFormatError whose
 * message is one line: `<file>:<line>: <reason>`.
 */
export function parseReportedCsv(text: string, file: string): ReportedRow[] {
  const records = parseCsv(text, file);
  if (records.length === 0) throw new CsvFormatError(file, 1, 'empty file (expected a header row)');
  const header = records[0];
  const expected = REPORTED_COLUMNS.join(',');
  if (header.fields.join(',') !== expected) {
    throw new CsvFormatError(file, header.line, `bad header "${header.fields.join(',')}", expected "${expected}"`);
  }
  const rows: ReportedRow[] = [];
  const seen = new Map<string, number>();
  for (const rec of records.slice(1)) {
    const f = rec.fields;
    const bad = (reason: string): never => {
      throw new CsvFormatError(file, rec.line, reason);
    };
    if (f.length !== REPORTED_COLUMNS.length) bad(`expected ${REPORTED_COLUMNS.length} fields, got ${f.length}`);
    const [paper, version, figureOrTable, model, rewardOrMetric, quantity, valueText, unit, note] = f.map((s) => s.trim());
    if (paper !== 'A' && paper !== 'B') bad(`paper must be A or B, got "${paper}"`);
    if (!VERSION_RE.test(version)) bad(`version must look like v1/v2/unknown, got "${version}"`);
    REPORTED_COLUMNS.forEach((col, k) => {
      if (col !== 'value' && f[k].trim() === '') bad(`empty ${col}`);
    });
    if (!NUMBER_RE.test(valueText)) bad(`value is not a number: "${valueText}"`);
    const value = Number(valueText);
    if (!Number.isFinite(value)) bad(`value is not finite: "${valueText}"`);
    const key = [paper, version, figureOrTable, model, rewardOrMetric, quantity].join('|');
    const prev = seen.get(key);
    if (prev !== undefined) bad(`duplicate of line ${prev} (${key})`);
    seen.set(key, rec.line);
    rows.push({
      paper: paper as PaperId,
      version,
      figureOrTable,
      model,
      rewardOrMetric,
      quantity,
      value,
      unit,
      note,
      source: { file, line: rec.line },
    });
  }
  return rows;
}

/** Reads and validates one file; `file` may be a table name, a file name in datasets/paper, or a path. */
export function loadReportedFile(file: string): ReportedRow[] {
  const p = path.isAbsolute(file) || file.includes('/') ? path.resolve(file) : path.join(paperDataDir(), file);
  const shown = path.relative(path.dirname(paperDataDir()), p).startsWith('..')
    ? p
    : path.join('datasets', path.relative(path.dirname(paperDataDir()), p));
  return parseReportedCsv(fs.readFileSync(p, 'utf8'), shown);
}

/** Rows of one named table (e.g. `loadReported('fig1')`). */
export function loadReported(table: PaperTableName): ReportedRow[] {
  return loadReportedFile(PAPER_TABLES[table]);
}

/** Every row of every table in datasets/paper/. */
export function loadAllReported(): ReportedRow[] {
  return (Object.keys(PAPER_TABLES) as PaperTableName[]).flatMap((t) => loadReported(t));
}

/** Rows as a danfojs DataFrame with the CSV's columns (snake_case), value numeric. */
export function reportedFrame(rows: readonly ReportedRow[], columns: readonly (typeof REPORTED_COLUMNS)[number][] = REPORTED_COLUMNS): DataFrame {
  const records = rows.map((r) => {
    const full: Record<(typeof REPORTED_COLUMNS)[number], string | number> = {
      paper: r.paper,
      version: r.version,
      figure_or_table: r.figureOrTable,
      model: r.model,
      reward_or_metric: r.rewardOrMetric,
      quantity: r.quantity,
      value: r.value,
      unit: r.unit,
      note: r.note,
    };
    const o: Record<string, string | number> = {};
    for (const c of columns) o[c] = full[c];
    return o;
  });
  if (records.length === 0) return new dfd.DataFrame([], { columns: [...columns] });
  return new dfd.DataFrame(records);
}

/** A wide table as a DataFrame: one row per `rowKey`, one column per `colKey`, cells = value. */
export function pivotFrame(
  rows: readonly ReportedRow[],
  rowKey: (r: ReportedRow) => string,
  colKey: (r: ReportedRow) => string,
  rowLabel = 'model',
): DataFrame {
  const rowOrder: string[] = [];
  const colOrder: string[] = [];
  const cells = new Map<string, number>();
  for (const r of rows) {
    const rk = rowKey(r);
    const ck = colKey(r);
    if (!rowOrder.includes(rk)) rowOrder.push(rk);
    if (!colOrder.includes(ck)) colOrder.push(ck);
    cells.set(`${rk}\u0000${ck}`, r.value);
  }
  const data = rowOrder.map((rk) => {
    const o: Record<string, string | number | null> = { [rowLabel]: rk };
    for (const ck of colOrder) o[ck] = cells.get(`${rk}\u0000${ck}`) ?? null;
    return o;
  });
  return new dfd.DataFrame(data);
}
