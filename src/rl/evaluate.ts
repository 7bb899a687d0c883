/**
 * Evaluation during training, as the paper does it: greedy accuracy on the test set (MATH-500
 * analogue) plus avg@k at temperature 0.6 (the AMC avg@8 analogue), with code frequency, boxed
 * rate and response length of the greedy responses.
 */
import { ProbeStats, probeStats } from '../analysis/promptShares';
import { WorkerPool } from '../runtime/pool';
import { Rng } from '../engine/rng';
import { generate } from '../world/generate';
import { Problem } from '../world/problems';
import { worldTokenizer } from '../world/vocab';

export interface EvalResult {
  /** Greedy accuracy. */
  acc: number;
  /** Greedy responses containing "python". */
  code: number;
  boxed: number;
  /** Greedy responses that state an answer the verifier can read (H5's answer-parse rate); absent in logs written before it. */
  parsed?: number;
  /** Mean greedy response length, in tokens. */
  length: number;
  /** Mean accuracy over k samples at τ = 0.6 (null when disabled). */
  avg_at_k: number | null;
  n: number;
  /**
   * Per test problem, in order (first and last evaluation of a run only): '1'/'0' for whether the
   * greedy response contains "python" and whether it is correct — what strategy switching
   * (Fig. 7, Table 2) compares between the start and the end of training.
   */
  code_bits?: string;
  correct_bits?: string;
  /** Probe set at τ = 1 (runs with probeProblems/probeK): per-prompt code counts, sampled accuracy, pass@k. */
  probe?: ProbeStats;
  /**
   * Contamination runs (freshProblems set): per test problem, the mean probability (τ = 1) of the
   * final answer's tokens in the greedy response, null without a stated answer — Paper B's Fig. 9.
   */
  answer_probs?: (number | null)[];
  /** Contamination runs: greedy accuracy on fresh problems (RandomCalculation's role), with the same per-problem fields. */
  fresh?: { acc: number; n: number; correct_bits: string; answer_probs: (number | null)[] };
}

/**
 * Mean probability of the tokens that spell the final answer in a response, from the log-probs the
 * sampler recorded; `pieces` are the response's tokens decoded one by one (the world's tokenizer
 * has multi-character tokens such as "\\boxed{"). Null when no answer is stated.
 */
export function answerTokenProbability(pieces: readonly string[], logProbs: readonly number[]): number | null {
  if (pieces.length !== logProbs.length) return null;
  const response = pieces.join('');
  // The same answer the verifier reads (extractWorldAnswer): the last \boxed{…}, else the last "The answer is N.".
  const m = [...response.matchAll(/\\boxed\{(-?\d+)\}/g)].pop() ?? [...response.matchAll(/The answer is (-?\d+)\./g)].pop();
  if (!m) return null;
  const start = m.index! + m[0].indexOf(m[1]);
  const end = start + m[1].length;
  let at = 0;
  let sum = 0;
  let n = 0;
  pieces.forEach((piece, i) => {
    if (at < end && at + piece.length > start) { sum += Math.exp(logProbs[i]); n++; }
    at += piece.length;
  });
  return n ? +(sum / n).toFixed(3) : null;
}

export async function evaluatePolicy(pool: WorkerPool, test: readonly Problem[], avgSet: readonly Problem[], opts: { maxNewTokens: number; avgK: number; seed: number; perProblem?: boolean; probe?: { problems: readonly Problem[]; k: number }; fresh?: readonly Problem[] }): Promise<EvalResult> {
  const tok = worldTokenizer();
  const rng = new Rng(opts.seed);
  const g = await generate(pool, tok, test, null, { temperature: 0, k: 1, maxNewTokens: opts.maxNewTokens, rng });
  const frac = (f: (x: (typeof g)[number]) => boolean) => (g.length ? g.filter(f).length / g.length : 0);
  let avg: number | null = null;
  if (opts.avgK > 0 && avgSet.length > 0) {
    const s = await generate(pool, tok, avgSet, null, { temperature: 0.6, k: opts.avgK, maxNewTokens: opts.maxNewTokens, rng });
    avg = s.filter((x) => x.correct).length / s.length;
  }
  let probe: ProbeStats | undefined;
  if (opts.probe && opts.probe.problems.length > 0) {
    // Its own stream, drawn after the others, so adding a probe leaves greedy and avg@k unchanged.
    const s = await generate(pool, tok, opts.probe.problems, null, { temperature: 1, k: opts.probe.k, maxNewTokens: opts.maxNewTokens, rng: rng.fork() });
    probe = probeStats(s, opts.probe.k);
  }
  let contamination: Pick<EvalResult, 'answer_probs' | 'fresh'> = {};
  if (opts.fresh) {
    // Greedy decoding draws no random numbers, so this leaves every stream above unchanged.
    const f = await generate(pool, tok, opts.fresh, null, { temperature: 0, k: 1, maxNewTokens: opts.maxNewTokens, rng: new Rng(opts.seed) });
    const probs = (xs: typeof g) => xs.map((x) => answerTokenProbability(x.tokens.map((t) => tok.decode([t])), x.logProbs));
    contamination = {
      answer_probs: probs(g),
      fresh: { acc: f.length ? f.filter((x) => x.correct).length / f.length : 0, n: f.length, correct_bits: f.map((x) => (x.correct ? '1' : '0')).join(''), answer_probs: probs(f) },
    };
  }
  return {
    acc: frac((x) => x.correct),
    code: frac((x) => x.code),
    boxed: frac((x) => x.boxed),
    parsed: frac((x) => x.answer !== null),
    length: g.length ? g.reduce((a, x) => a + x.tokens.length, 0) / g.length : 0,
    avg_at_k: avg,
    n: g.length,
    ...(probe ? { probe } : {}),
    ...contamination,
    ...(opts.perProblem || opts.fresh ? { code_bits: g.map((x) => (x.code ? '1' : '0')).join(''), correct_bits: g.map((x) => (x.correct ? '1' : '0')).join('') } : {}),
  };
}
