/**
 * Every training signal of Paper A (Sec. 2–5), and Paper B's inverted and continuous rewards, as
 * pure functions of (prompt, response, label, rng) → reward in [0, 1] ({0, 1} for all but 'continuous').
 *
 *   ground-truth          extracted answer = true label
 *   majority-vote         extracted answer = most common answer of 64 samples of the starting model
 *   one-shot              ground truth, trained on a single example (the runner picks the data)
 *   format                response contains \boxed{…}
 *   incorrect             extracted answer = an incorrect majority-vote label (prompts whose
 *                         majority vote is correct are dropped, as the paper did)
 *   random                1 with probability γ, independent of the response
 *   python                response contains "python"
 *   <r>-no-python         r AND the response does not contain "python" (Fig. 9), r ∈ {format, incorrect, random}
 *   inverted              1 − ground truth (Paper B's inverted reward)
 *   continuous            Paper B's RandomCalculation reward 1 − ½·min(|a−b|, 1) − ½·min(|a−b|/(|b|+10⁻⁶), 1),
 *                         in [0, 1] rather than {0, 1}; 0 when no answer is stated
 *
 * Which label a reward compares against is part of its definition (`labelKind`); preparing the
 * labels (running majority votes) is the runner's job, done once and cached.
 */
import { Rng } from '../engine/rng';
import { isCodeReasoning } from '../analysis/codeReasoning';
import type { AnswerGrader } from '../contamination/accuracy';
import { calculationReward } from '../contamination/reward';
import { extractWorldAnswer, isBoxed, sameWorldAnswer } from '../world/grade';

export const REWARD_NAMES = [
  'ground-truth', 'majority-vote', 'one-shot', 'format', 'incorrect', 'random', 'python',
  'format-no-python', 'incorrect-no-python', 'random-no-python', 'inverted', 'continuous',
] as const;
export type RewardName = (typeof REWARD_NAMES)[number];

/** What the `label` argument holds for a reward. */
export type LabelKind = 'truth' | 'majority' | 'incorrect-majority' | 'none';

export interface RewardInput {
  prompt: string;
  response: string;
  /** The label this reward compares against (see labelKind), or null when it needs none. */
  label: string | null;
  rng: Rng;
}

export type RewardFn = (x: RewardInput) => number;

export interface RewardSpec {
  name: RewardName;
  /** γ, the success probability of the random reward (null for other rewards). */
  gamma: number | null;
  labelKind: LabelKind;
  /** True when the reward trains on a single example (one-shot RL). */
  singleExample: boolean;
  fn: RewardFn;
}

/** The stand-in world's verifier, the default grader of the answer-matching rewards. */
export const WORLD_GRADER: AnswerGrader = { extract: extractWorldAnswer, equal: sameWorldAnswer };

function answerMatches(grader: AnswerGrader, response: string, label: string | null): boolean {
  if (label === null) return false;
  const a = grader.extract(response);
  return a !== null && grader.equal(a, label);
}

const noPython = (fn: RewardFn): RewardFn => (x) => (isCodeReasoning(x.response) ? 0 : fn(x));

/**
 * Builds a reward from its name and parameters; unknown names and bad parameters are errors.
 * `grader` finds and compares answers for the answer-matching rewards: the world's verifier by
 * default, the MATH grader (contamination's MATH_ANSWER_GRADER) for real models.
 */
export function makeReward(name: string, params: { gamma?: number | null; grader?: AnswerGrader } = {}): RewardSpec {
  const grader = params.grader ?? WORLD_GRADER;
  if (!(REWARD_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown reward '${name}' (use one of ${REWARD_NAMES.join(', ')})`);
  }
  const n = name as RewardName;
  const usesGamma = n === 'random' || n === 'random-no-python';
  if (!usesGamma && params.gamma !== undefined && params.gamma !== null) {
    throw new Error(`reward '${n}' takes no gamma (got ${params.gamma}); gamma is for random rewards`);
  }
  let gamma: number | null = null;
  if (usesGamma) {
    gamma = params.gamma ?? 0.5;
    if (typeof gamma !== 'number' || !(gamma >= 0 && gamma <= 1)) throw new Error(`reward '${n}': gamma must be in [0, 1], got ${params.gamma}`);
  }
  const g = gamma ?? 0;
  const random: RewardFn = (x) => (x.rng.bernoulli(g) ? 1 : 0);
  const match: RewardFn = (x) => (answerMatches(grader, x.response, x.label) ? 1 : 0);
  const format: RewardFn = (x) => (isBoxed(x.response) ? 1 : 0);
  const table: Record<RewardName, [LabelKind, RewardFn]> = {
    'ground-truth': ['truth', match],
    'majority-vote': ['majority', match],
    'one-shot': ['truth', match],
    format: ['none', format],
    incorrect: ['incorrect-majority', match],
    random: ['none', random],
    python: ['none', (x) => (isCodeReasoning(x.response) ? 1 : 0)],
    'format-no-python': ['none', noPython(format)],
    'incorrect-no-python': ['incorrect-majority', noPython(match)],
    'random-no-python': ['none', noPython(random)],
    inverted: ['truth', (x) => 1 - match(x)],
    continuous: ['truth', (x) => { const a = grader.extract(x.response); return calculationReward(a === null ? null : Number(a), Number(x.label)); }],
  };
  const [labelKind, fn] = table[n];
  return { name: n, gamma, labelKind, singleExample: n === 'one-shot', fn };
}

/** Most common extracted answer among a prompt's samples (ties: the first to reach the count); null if none answered. */
export function majorityAnswer(responses: readonly string[]): string | null {
  const counts = new Map<string, number>();
  let best: string | null = null;
  let bestCount = 0;
  for (const r of responses) {
    const a = extractWorldAnswer(r);
    if (a === null) continue;
    const c = (counts.get(a) ?? 0) + 1;
    counts.set(a, c);
    if (c > bestCount) { best = a; bestCount = c; }
  }
  return best;
}

/**
 * Labels for each prompt under a label kind. `truth[i]` is the true answer, `majority[i]` the
 * cached majority vote. Returns null for prompts the reward cannot use (no majority answer, or, for
 * 'incorrect-majority', a majority vote that is correct — the paper drops those prompts).
 */
export function labelsFor(kind: LabelKind, truth: readonly string[], majority: readonly (string | null)[] | null): (string | null)[] {
  if (kind === 'truth') return [...truth];
  if (kind === 'none') return truth.map(() => '');
  if (!majority) throw new Error(`labels of kind '${kind}' need the cached majority votes`);
  if (kind === 'majority') return majority.map((m) => m);
  return majority.map((m, i) => (m !== null && Number(m) !== Number(truth[i]) ? m : null));
}
