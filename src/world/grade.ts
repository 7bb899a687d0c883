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

/** A world answer: an integer (or decimal), optionally negative; nothing else counts as a number. */
const NUMERIC = /^-?\d+(?:\.\d+)?$/;

/**
 * Whether an extracted answer equals a label: both numeric and numerically equal ('07' = '7').
 * Null, empty and non-numeric strings never match anything (`Number('')` is 0, which would
 * credit the answer 0 against an empty label).
 */
export function sameWorldAnswer(answer: string | null | undefined, label: string | null | undefined): boolean {
  if (answer == null || label == null) return false;
  const a = answer.trim();
  const b = label.trim();
  return NUMERIC.test(a) && NUMERIC.test(b) && Number(a) === Number(b);
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
  return { problemId, response, answer, correct: sameWorldAnswer(answer, label), code: isCodeReasoning(response), boxed: isBoxed(response), length: response.length };
}

/**
 * Arithmetic skill, separate from the final answer: the stated steps of a response that are
 * right given their own inputs. Language steps "a+b=c." and code lines "x=x+b # c" (whose input is
 * the previous line's value) are checked; returns counts over the steps found.
 */
export function checkedSteps(response: string): { steps: number; correct: number } {
  let steps = 0;
  let correct = 0;
  const apply = (a: number, op: string, b: number) => (op === '+' ? a + b : op === '-' ? a - b : a * b);
  for (const m of response.matchAll(/(\d+)([+\-*])(\d+)=(\d+)\./g)) {
    steps++;
    if (apply(+m[1], m[2], +m[3]) === +m[4]) correct++;
  }
  let prev: number | null = null;
  for (const line of response.split('\n')) {
    const start = /^x=(\d+)$/.exec(line);
    if (start) { prev = +start[1]; continue; }
    const m = /^x=x([+\-*])(\d+) # (\d+)$/.exec(line);
    if (m && prev !== null) {
      steps++;
      if (apply(prev, m[1], +m[2]) === +m[3]) correct++;
      prev = +m[3];
    }
  }
  return { steps, correct };
}
