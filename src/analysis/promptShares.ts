/**
 * The per-prompt view of a prior (phase map): for each problem of a fixed probe set, the share of
 * its k sampled responses that reason in code. Greedy decoding shows only each prompt's majority;
 * this shows the whole distribution, so the clip's amplification of per-prompt majorities is seen
 * even where no prompt's greedy answer flips.
 */

/** One sampled response of a probe problem. */
export interface ProbeSample {
  problemId: string;
  code: boolean;
  correct: boolean;
}

export interface ProbeStats {
  /** Samples per problem. */
  k: number;
  /** Problems, in order of first appearance. */
  n: number;
  /** Per problem, how many of its k samples use code. */
  code_counts: number[];
  /** Mean code share over all samples. */
  code: number;
  /** Fraction of problems whose code share is above 0.5. */
  majority_code: number;
  /** Mean accuracy over all samples (avg@k at τ = 1). */
  acc: number;
  /** Fraction of problems with at least one correct sample. */
  pass_at_k: number;
}

/** Per-problem code counts and sampled accuracy; every problem must have exactly k samples. */
export function probeStats(samples: readonly ProbeSample[], k: number): ProbeStats {
  if (!(Number.isInteger(k) && k > 0)) throw new Error(`probeStats: k must be a positive integer, got ${k}`);
  const byProblem = new Map<string, ProbeSample[]>();
  for (const s of samples) byProblem.set(s.problemId, [...(byProblem.get(s.problemId) ?? []), s]);
  for (const [id, xs] of byProblem) if (xs.length !== k) throw new Error(`probeStats: problem '${id}' has ${xs.length} samples, expected k = ${k}`);
  const groups = [...byProblem.values()];
  const n = groups.length;
  const counts = groups.map((xs) => xs.filter((x) => x.code).length);
  const frac = (m: number) => (n ? m / n : 0);
  return {
    k,
    n,
    code_counts: counts,
    code: n ? counts.reduce((a, c) => a + c, 0) / (n * k) : 0,
    majority_code: frac(counts.filter((c) => c / k > 0.5).length),
    acc: n ? samples.filter((s) => s.correct).length / (n * k) : 0,
    pass_at_k: frac(groups.filter((xs) => xs.some((x) => x.correct)).length),
  };
}

/** Histogram of per-problem code shares: bins[j] = problems with exactly j of k samples in code. */
export function codeShareHistogram(codeCounts: readonly number[], k: number): number[] {
  const bins = new Array<number>(k + 1).fill(0);
  for (const c of codeCounts) {
    if (!(Number.isInteger(c) && c >= 0 && c <= k)) throw new Error(`codeShareHistogram: count ${c} is outside 0..${k}`);
    bins[c]++;
  }
  return bins;
}
