/** The grader's entry point: normalise → parse structure → compare. */
import { answersEqual } from './compare';
import { normalizeAnswer } from './normalize';
import { describeAnswer, parseAnswer } from './structure';

const MAX_PARSED_LENGTH = 2000;

/**
 * True when `prediction` and `gold` denote the same answer. Either may still carry `\boxed{}`
 * or `$…$`. Never throws: anything unparsable compares as not equivalent.
 */
export function isEquivalent(prediction: string, gold: string): boolean {
  try {
    if (typeof prediction !== 'string' || typeof gold !== 'string') return false;
    const p = normalizeAnswer(prediction);
    const g = normalizeAnswer(gold);
    if (p.text === '' || g.text === '') return false;
    if (p.text === g.text && p.percent === g.percent) return true;
    // past this length an "answer" is a whole derivation or garbage: exact text only, no parsing
    if (p.text.length > MAX_PARSED_LENGTH || g.text.length > MAX_PARSED_LENGTH) return false;
    return answersEqual(parseAnswer(p), parseAnswer(g));
  } catch {
    return false;
  }
}

/** Verdict plus each side's normalised text and parsed shape (for the CLI and debugging). */
export interface GradeExplanation {
  equivalent: boolean;
  prediction: { normalized: string; parsed: string };
  gold: { normalized: string; parsed: string };
}

/** Like {@link isEquivalent} but also reports the normalised forms. Never throws. */
export function explainEquivalence(prediction: string, gold: string): GradeExplanation {
  const side = (s: string): { normalized: string; parsed: string } => {
    try {
      const n = normalizeAnswer(s);
      return { normalized: n.text + (n.percent ? ' (percent)' : ''), parsed: describeAnswer(parseAnswer(n)) };
    } catch (e) {
      return { normalized: '<error>', parsed: String((e as Error).message) };
    }
  };
  return { equivalent: isEquivalent(prediction, gold), prediction: side(prediction), gold: side(gold) };
}
