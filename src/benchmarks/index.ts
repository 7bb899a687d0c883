/**
 * Loaders for the evaluation benchmarks in `datasets/benchmarks/` (see its README for provenance).
 * Every record is validated; a malformed one raises a one-line error naming the file, the record
 * index and the field.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { projectPath } from '../engine/paths';

/** Benchmark names accepted by {@link loadBenchmark}. */
export type BenchmarkName = 'math500' | 'amc' | 'aime2024' | 'aime2025';

/** One test problem, exactly as stored in the JSON files. */
export interface BenchmarkProblem {
  /** Problem statement (LaTeX in `$…$`), no chat template. */
  readonly prompt: string;
  /** Gold final answer; compare with `isEquivalent`, not `===`. */
  readonly answer: string;
  /** Benchmark tag: `math`, `amc`, `aime`, `aime2025`. */
  readonly source: string;
  /** Identifier inside the benchmark (MATH path or running index). */
  readonly id: string;
}

/** File name, expected record count and display name of each benchmark. */
export const BENCHMARKS: Readonly<Record<BenchmarkName, { file: string; count: number; title: string }>> = {
  math500: { file: 'MATH-TTT.test.json', count: 500, title: 'MATH-500' },
  amc: { file: 'AMC-TTT.test.json', count: 83, title: 'AMC' },
  aime2024: { file: 'AIME-TTT.test.json', count: 30, title: 'AIME 2024' },
  aime2025: { file: 'AIME2025-TTT.test.json', count: 30, title: 'AIME 2025' },
};

/** Names of all benchmarks, in the order the paper reports them. */
export const BENCHMARK_NAMES: readonly BenchmarkName[] = ['math500', 'amc', 'aime2024', 'aime2025'];

/** Directory holding the benchmark JSON files (repository-relative `datasets/benchmarks`). */
export const BENCHMARK_DIR = projectPath('datasets', 'benchmarks');

const FIELDS = ['prompt', 'answer', 'source', 'id'] as const;

/**
 * Validate parsed JSON as a list of benchmark problems. `label` names the file in error messages.
 * Throws `Error("<label>: record <i>: field \"<f>\" …")` on the first malformed record.
 */
export function parseBenchmark(data: unknown, label: string): BenchmarkProblem[] {
  if (!Array.isArray(data)) throw new Error(`${label}: expected a JSON array of records, got ${describe(data)}`);
  return data.map((rec: unknown, i: number) => {
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      throw new Error(`${label}: record ${i}: expected an object, got ${describe(rec)}`);
    }
    const r = rec as Record<string, unknown>;
    for (const f of FIELDS) {
      if (!(f in r)) throw new Error(`${label}: record ${i}: field "${f}" is missing`);
      if (typeof r[f] !== 'string') throw new Error(`${label}: record ${i}: field "${f}" must be a string, got ${describe(r[f])}`);
    }
    if ((r.answer as string).trim() === '') throw new Error(`${label}: record ${i}: field "answer" is empty`);
    return { prompt: r.prompt as string, answer: r.answer as string, source: r.source as string, id: r.id as string };
  });
}

/** Read and validate one benchmark file from an explicit path. */
export function loadBenchmarkFile(file: string): BenchmarkProblem[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as Error).message.split('\n')[0]})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: invalid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  return parseBenchmark(data, file);
}

/** Load a benchmark by name, e.g. `loadBenchmark('math500')` → 500 problems. */
export function loadBenchmark(name: BenchmarkName): BenchmarkProblem[] {
  const meta = (BENCHMARKS as Record<string, { file: string } | undefined>)[name];
  if (!meta) throw new Error(`unknown benchmark "${String(name)}"; expected one of ${BENCHMARK_NAMES.join(', ')}`);
  return loadBenchmarkFile(path.join(BENCHMARK_DIR, meta.file));
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}
