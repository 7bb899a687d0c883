/**
 * A real checkpoint on a benchmark of datasets/benchmarks/ (MATH-500, AMC, AIME), graded by the
 * project's MATH grader: the final answer is the last \boxed{…} (then "the answer is …", then the
 * last number), compared with the gold answer by isEquivalent. Greedy by default, as Paper A
 * evaluates MATH-500 (temperature 0, one sample, up to 3072 new tokens).
 *
 * Reported: accuracy, the answer-parse rate (a final answer could be extracted at all), the boxed
 * rate, the code-reasoning rate (response contains "python"), the truncation rate and the number
 * of problems.
 */
import { BENCHMARKS, BenchmarkName, BenchmarkProblem, loadBenchmark } from '../benchmarks/index';
import { isCodeReasoning } from '../analysis/codeReasoning';
import { MATH_ANSWER_GRADER } from '../contamination/accuracy';
import { Progress } from '../engine/progress';
import { Rng } from '../engine/rng';
import { isBoxed } from '../world/grade';
import { generate } from './generate';
import { RealModel } from './model';
import { PromptFormat, promptIds } from './prompts';
import { RealTokenizer } from './tokenizer';

export interface RealEvalOptions {
  bench: BenchmarkName;
  template: PromptFormat;
  /** Evaluate only the first `limit` problems (0 or undefined: all). */
  limit?: number;
  /** Default 3072 (the paper's). */
  maxNewTokens?: number;
  /** 0 (default) is greedy. */
  temperature?: number;
  /** Seeds sampling when temperature > 0. */
  seed?: number;
  /** Ids that end a response. */
  stopIds: number[];
  /** Progress bar with ETA (default on, to stderr); false for none. */
  progress?: boolean;
  progressStream?: NodeJS.WriteStream;
}

export interface RealEvalRecord {
  id: string;
  gold: string;
  extracted: string | null;
  correct: boolean;
  boxed: boolean;
  code: boolean;
  /** Generated tokens (including a final stop token). */
  tokens: number;
  /** Hit maxNewTokens without a stop token. */
  truncated: boolean;
  response: string;
}

export interface RealEvalResult {
  benchmark: BenchmarkName;
  title: string;
  template: PromptFormat;
  problems: number;
  correct: number;
  accuracy: number;
  parseRate: number;
  boxedRate: number;
  codeRate: number;
  truncatedRate: number;
  meanResponseTokens: number;
  temperature: number;
  maxNewTokens: number;
  seconds: number;
  records: RealEvalRecord[];
}

/** The response text: the generated tokens without a final stop token, special tokens dropped. */
export function responseText(tokenizer: RealTokenizer, tokens: readonly number[], stopIds: readonly number[]): { text: string; stopped: boolean } {
  const stopped = tokens.length > 0 && stopIds.includes(tokens[tokens.length - 1]);
  return { text: tokenizer.decode(stopped ? tokens.slice(0, -1) : tokens), stopped };
}

/** Grades one response against a gold answer with the project's MATH grader. */
export function gradeMathResponse(response: string, gold: string): { extracted: string | null; correct: boolean } {
  const extracted = MATH_ANSWER_GRADER.extract(response);
  return { extracted, correct: extracted !== null && MATH_ANSWER_GRADER.equal(extracted, gold) };
}

export function selectProblems(bench: BenchmarkName, limit?: number): BenchmarkProblem[] {
  const all = loadBenchmark(bench);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new Error(`--limit must be a non-negative integer, got ${limit}`);
  return limit ? all.slice(0, limit) : all;
}

export async function evaluateReal(model: RealModel, tokenizer: RealTokenizer, opts: RealEvalOptions): Promise<RealEvalResult> {
  const maxNewTokens = opts.maxNewTokens ?? 3072;
  const temperature = opts.temperature ?? 0;
  const problems = selectProblems(opts.bench, opts.limit);
  const title = BENCHMARKS[opts.bench].title;
  const rng = new Rng(opts.seed ?? 0);
  const bar = opts.progress === false ? null : new Progress({ label: `eval ${title} (${opts.template})`, total: problems.length, stream: opts.progressStream, everySeconds: 30 });
  const t0 = Date.now();
  const records: RealEvalRecord[] = [];
  let correct = 0;
  for (const p of problems) {
    const ids = promptIds(opts.template, p.prompt, tokenizer);
    const gen = await generate(model, ids, 1, { maxNewTokens, temperature, eosIds: opts.stopIds, rng: () => rng.next() });
    const tokens = gen.tokens[0];
    const { text, stopped } = responseText(tokenizer, tokens, opts.stopIds);
    const g = gradeMathResponse(text, p.answer);
    if (g.correct) correct++;
    records.push({ id: p.id, gold: p.answer, extracted: g.extracted, correct: g.correct, boxed: isBoxed(text), code: isCodeReasoning(text), tokens: tokens.length, truncated: !stopped && tokens.length >= maxNewTokens, response: text });
    bar?.update(records.length, `acc ${(correct / records.length).toFixed(3)}`);
  }
  const n = records.length;
  const rate = (f: (r: RealEvalRecord) => boolean) => (n ? records.filter(f).length / n : 0);
  return {
    benchmark: opts.bench,
    title,
    template: opts.template,
    problems: n,
    correct,
    accuracy: n ? correct / n : 0,
    parseRate: rate((r) => r.extracted !== null),
    boxedRate: rate((r) => r.boxed),
    codeRate: rate((r) => r.code),
    truncatedRate: rate((r) => r.truncated),
    meanResponseTokens: n ? records.reduce((a, r) => a + r.tokens, 0) / n : 0,
    temperature,
    maxNewTokens,
    seconds: (Date.now() - t0) / 1000,
    records,
  };
}

/** One line: "MATH-500 (chat, greedy): accuracy 0.494 (247/500), parsed 0.97, boxed 0.90, code 0.65, truncated 0.02, 612 tokens/response". */
export function formatEvalResult(r: RealEvalResult): string {
  const mode = r.temperature === 0 ? 'greedy' : `τ = ${r.temperature}`;
  return `${r.title} (${r.template}, ${mode}, ${r.problems} problems): accuracy ${r.accuracy.toFixed(3)} (${r.correct}/${r.problems}), answer parsed ${r.parseRate.toFixed(2)}, boxed ${r.boxedRate.toFixed(2)}, code ${r.codeRate.toFixed(2)}, truncated ${r.truncatedRate.toFixed(2)}, ${r.meanResponseTokens.toFixed(0)} tokens/response, ${r.seconds.toFixed(1)} s`;
}
