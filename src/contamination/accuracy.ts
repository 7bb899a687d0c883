/**
 * Partial-prompt answer accuracy (Paper B Table 5): the final answer extracted from the model's
 * continuation, graded against the gold answer. The paper describes it as the continuation
 * "embedding" the correct answer; the official code extracts and grades, and so do we. Only the
 * continuation is searched, never the prefix, so an answer quoted in the problem text cannot count.
 */
import { extractAnswer, isEquivalent } from '../grader/index';

/**
 * How a continuation's final answer is found and compared. The stand-in world passes its own
 * verifier (extractWorldAnswer / sameWorldAnswer), which lives in a layer above this one.
 */
export interface AnswerGrader {
  extract: (response: string) => string | null;
  equal: (answer: string, gold: string) => boolean;
}

/**
 * The project's MATH grader. The official code uses Qwen's parser (last \boxed{}, then "the answer
 * is", then the last number) and math_grade.grade_answer; extractAnswer follows the same order.
 */
export const MATH_ANSWER_GRADER: AnswerGrader = { extract: extractAnswer, equal: isEquivalent };

export interface GradedContinuation {
  extracted: string | null;
  correct: boolean;
}

export function gradeContinuation(continuation: string, gold: string, grader: AnswerGrader = MATH_ANSWER_GRADER): GradedContinuation {
  const extracted = grader.extract(continuation);
  return { extracted, correct: extracted !== null && grader.equal(extracted, gold) };
}

/** Fraction (0–1) of items whose continuation's final answer equals their gold answer. */
export function answerAccuracy(items: readonly { continuation: string; gold: string }[], grader: AnswerGrader = MATH_ANSWER_GRADER): number {
  if (items.length === 0) throw new Error('answerAccuracy: no items');
  let hits = 0;
  for (const it of items) if (gradeContinuation(it.continuation, it.gold, grader).correct) hits++;
  return hits / items.length;
}
