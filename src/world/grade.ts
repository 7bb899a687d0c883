/**
 * The stand-in world's verifier: the final answer is the last \boxed{…} or, failing that, the
 * last "The answer is N." — the two ways our solution writers state an answer; a response that
 * states neither has no answer (like the paper's verifier, no credit for a number left lying around).
 */
import { isCodeReasoning } from '../analysis/codeReasoning';

export function extractWorldAnswer(response: string): string | null {
  const boxed = [...response.matchAll(/\\boxed\{(-?\d+)\}/g)];
  if (boxed.length) return boxed[boxed.length - 1][1];
  const stated = [...response.matchAll(/The answer is (-?\d+)\./g)];
  return stated.length ? stated[stated.length - 1][1] : null;
}

export function isBoxed(response: string): boolean {
  return /\\boxed\{[^}]*\}/.test(response);
}

export interface WorldGraded {
  problemId: string;
  response: string;
  answer: string | null;
  correct: boolean;
  /** Code reasoning as the paper defines it: the response contains "python". */
  code: boolean;
  boxed: boolean;
  /** Response length in characters. */
  length: number;
}

export function gradeWorldResponse(problemId: string, response: string, label: string): WorldGraded {
  const answer = extractWorldAnswer(response);
  return { problemId, response, answer, correct: answer !== null && Number(answer) === Number(label), code: isCodeReasoning(response), boxed: isBoxed(response), length: response.length };
}
