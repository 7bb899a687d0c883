/**
 * Code-reasoning analysis of graded responses (Paper A, v1, Sec. 4: Table 1, Fig. 6–7, Table 2).
 *
 * Definition (Paper A v1, Sec. 4.2): "Code reasoning frequency: the percentage of model responses
 * containing the string “python”" — the string is typeset in lowercase. We therefore match the
 * lowercase substring `python`, case-sensitively, by default: a response with a ```python block
 * or a `python` mention counts; one that only says "Python" (capitalised) does not. Pass
 * `{ caseSensitive: false }` for the looser variant. All rates are fractions in [0, 1] (the paper
 * prints percentages); a rate over an empty subset is null.
 */

/** A graded response; extra fields (problem id, reward, …) are carried along untouched. */
export interface GradedResponse {
  response: string;
  correct: boolean;
  [extra: string]: unknown;
}

export interface CodeReasoningOptions {
  /** Match only lowercase "python" (the paper's definition). Default true. */
  caseSensitive?: boolean;
}

/** True when the response contains the string "python" (the paper's definition of code reasoning). */
export function isCodeReasoning(response: string, options: CodeReasoningOptions = {}): boolean {
  if (typeof response !== 'string') return false;
  return options.caseSensitive === false ? response.toLowerCase().includes('python') : response.includes('python');
}

/** Fraction of responses that use code reasoning; null for an empty list. */
export function codeFrequency(responses: readonly GradedResponse[], options: CodeReasoningOptions = {}): number | null {
  if (responses.length === 0) return null;
  return responses.filter((r) => isCodeReasoning(r.response, options)).length / responses.length;
}

/** Table 1 of Paper A for one model: code frequency and accuracy split by reasoning mode. */
export interface CodeAccuracySummary {
  /** Number of responses. */
  n: number;
  /** Responses containing "python". */
  nCode: number;
  /** Responses without "python" (language-only reasoning). */
  nLanguage: number;
  /** nCode / n, or null when n = 0. */
  codeFrequency: number | null;
  /** Overall accuracy, or null when n = 0. */
  accuracy: number | null;
  /** Accuracy among code responses ("Acc. w/ Code"), null when there are none. */
  accuracyWithCode: number | null;
  /** Accuracy among language-only responses ("Acc. w/ Lang"), null when there are none. */
  accuracyLanguageOnly: number | null;
}

/** Code frequency and accuracy with code / language only (Paper A, Table 1). */
export function codeAccuracySummary(
  responses: readonly GradedResponse[],
  options: CodeReasoningOptions = {},
): CodeAccuracySummary {
  const code = responses.filter((r) => isCodeReasoning(r.response, options));
  const lang = responses.filter((r) => !isCodeReasoning(r.response, options));
  return {
    n: responses.length,
    nCode: code.length,
    nLanguage: lang.length,
    codeFrequency: ratio(code.length, responses.length),
    accuracy: responseAccuracy(responses),
    accuracyWithCode: responseAccuracy(code),
    accuracyLanguageOnly: responseAccuracy(lang),
  };
}

/** Fraction correct, or null for an empty list. */
export function responseAccuracy(responses: readonly GradedResponse[]): number | null {
  return ratio(responses.filter((r) => r.correct).length, responses.length);
}

/** The four strategy-switch subsets of Paper A (Fig. 7, Table 2): before → after. */
export type StrategySwitch = 'Code→Code' | 'Code→Lang' | 'Lang→Code' | 'Lang→Lang';

export const STRATEGY_SWITCHES: readonly StrategySwitch[] = ['Code→Code', 'Code→Lang', 'Lang→Code', 'Lang→Lang'];

/** One subset of problems, grouped by reasoning mode before and after training. */
export interface SwitchSubset {
  /** Number of problems in the subset. */
  size: number;
  /** size / total number of problems, null when there are no problems. */
  fraction: number | null;
  /** Correct answers in the subset at the first checkpoint. */
  correctBefore: number;
  /** Correct answers in the subset at the second checkpoint. */
  correctAfter: number;
  /** correctBefore / size, null for an empty subset. */
  accuracyBefore: number | null;
  /** correctAfter / size, null for an empty subset. */
  accuracyAfter: number | null;
  /** correctAfter − correctBefore (net gain in correctly answered problems). */
  netGain: number;
  /**
   * Partial Contribution Score C_d = netGain(d) / netGain(all). Null when the total net gain is
   * 0 (the ratio is undefined). C_d can be negative or exceed 1 when other subsets lose answers;
   * the four scores always sum to 1 when defined.
   */
  partialContribution: number | null;
}

/** Strategy switching between two checkpoints on the same problems. */
export interface StrategySwitchReport {
  /** Number of problems. */
  total: number;
  correctBefore: number;
  correctAfter: number;
  /** correctAfter − correctBefore over the whole test set. */
  totalNetGain: number;
  subsets: Record<StrategySwitch, SwitchSubset>;
}

/**
 * Group problems by code/language reasoning before and after, with accuracy before/after and the
 * Partial Contribution Score per subset (Paper A, Fig. 7 and Table 2). `before[k]` and `after[k]`
 * must be responses to the same problem k (one response per problem per checkpoint).
 * Throws a one-line error when the two lists differ in length.
 */
export function strategySwitching(
  before: readonly GradedResponse[],
  after: readonly GradedResponse[],
  options: CodeReasoningOptions = {},
): StrategySwitchReport {
  return strategySwitchingFlags(
    before.map((r) => ({ code: isCodeReasoning(r.response, options), correct: r.correct })),
    after.map((r) => ({ code: isCodeReasoning(r.response, options), correct: r.correct })),
  );
}

/** A response reduced to what strategy switching needs. */
export interface StrategyFlags {
  code: boolean;
  correct: boolean;
}

/** {@link strategySwitching} on already-classified responses (e.g. the bit strings of a run log). */
export function strategySwitchingFlags(before: readonly StrategyFlags[], after: readonly StrategyFlags[]): StrategySwitchReport {
  if (before.length !== after.length) {
    throw new Error(`strategySwitching: before has ${before.length} responses but after has ${after.length}; they must be aligned per problem`);
  }
  const acc: Record<StrategySwitch, { size: number; cb: number; ca: number }> = {
    'Code→Code': { size: 0, cb: 0, ca: 0 },
    'Code→Lang': { size: 0, cb: 0, ca: 0 },
    'Lang→Code': { size: 0, cb: 0, ca: 0 },
    'Lang→Lang': { size: 0, cb: 0, ca: 0 },
  };
  before.forEach((b, k) => {
    const a = after[k];
    const key = `${b.code ? 'Code' : 'Lang'}→${a.code ? 'Code' : 'Lang'}` as StrategySwitch;
    acc[key].size++;
    if (b.correct) acc[key].cb++;
    if (a.correct) acc[key].ca++;
  });
  const correctBefore = before.filter((r) => r.correct).length;
  const correctAfter = after.filter((r) => r.correct).length;
  const totalNetGain = correctAfter - correctBefore;
  const subsets = {} as Record<StrategySwitch, SwitchSubset>;
  for (const d of STRATEGY_SWITCHES) {
    const { size, cb, ca } = acc[d];
    subsets[d] = {
      size,
      fraction: ratio(size, before.length),
      correctBefore: cb,
      correctAfter: ca,
      accuracyBefore: ratio(cb, size),
      accuracyAfter: ratio(ca, size),
      netGain: ca - cb,
      partialContribution: totalNetGain === 0 ? null : (ca - cb) / totalNetGain,
    };
  }
  return { total: before.length, correctBefore, correctAfter, totalNetGain, subsets };
}

/** Just the Partial Contribution Scores C_d of {@link strategySwitching} (null when total gain is 0). */
export function partialContributionScores(
  before: readonly GradedResponse[],
  after: readonly GradedResponse[],
  options: CodeReasoningOptions = {},
): Record<StrategySwitch, number | null> {
  const r = strategySwitching(before, after, options);
  const out = {} as Record<StrategySwitch, number | null>;
  for (const d of STRATEGY_SWITCHES) out[d] = r.subsets[d].partialContribution;
  return out;
}

function ratio(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}
