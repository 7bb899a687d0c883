/**
 * Cheap bucketing keys for all-pairs equivalence checks over many answers: two answers that the
 * full comparator could call equivalent always share a key, so only pairs inside a bucket need
 * the full comparison. The key is the numeric value (rounded) of a constant answer, or the
 * answer's shape for anything else.
 */
import { normalizeAnswer } from './normalize';
import { parseAnswer, type Answer } from './structure';
import { unwrapSingle } from './compare';
import { evaluateNode, freeVariables, parseLatex } from './toMath';

/** Bucket key of one answer (never throws; unparsable answers get key "unparsable"). */
export function equivalenceBucket(answer: string): string {
  try {
    const n = normalizeAnswer(answer);
    return keyOf(parseAnswer(n));
  } catch {
    return 'unparsable';
  }
}

/**
 * Keys that can match answers in other buckets (percentages may equal value/100, symbolic
 * expressions may simplify to constants); pair these with every answer.
 */
export const WILDCARD_BUCKETS: ReadonlySet<string> = new Set(['percent', 'symbolic', 'unparsable']);

function keyOf(answer: Answer): string {
  const a = unwrapSingle(answer);
  if (a !== answer) return keyOf(a);
  switch (a.kind) {
    case 'set':
      return `set/${a.items.length}`;
    case 'equation':
      return `equation/${a.sides.length}`;
    case 'tuple':
    case 'matrix':
      return 'ordered'; // column vectors may equal tuples
    case 'expr': {
      const node = parseLatex(a.tex);
      if (!node) return 'unparsable';
      if (freeVariables(node).length > 0) return 'symbolic';
      if (a.percent) return 'percent';
      const v = evaluateNode(node, {});
      if (!v) return 'unparsable';
      return `value/${v[0].toPrecision(6)}/${v[1].toPrecision(6)}`;
    }
    default:
      return a.kind;
  }
}
