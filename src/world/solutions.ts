/**
 * Solution writers: the reasoning styles a family's pretraining corpus contains.
 *
 *   code             a ```python block that computes step by step, each line's value predicted
 *                    in a comment (like a model predicting its own code's output), an ```output
 *                    block and a final answer. With errorRate > 0 it is "sloppy code": a predicted
 *                    value is wrong at that rate per step and the error carries to the answer.
 *   language-careful natural-language steps "12+7=19. 19*3=57." ending in the answer (errorRate too).
 *   language-terse   jumps straight to the answer: the model must compute the chain in one go.
 *
 * Random errors (errorRate) make samples wrong but leave the most likely value right, so greedy
 * decoding averages them away. A *bug* is a writer's systematic misconception (e.g. "×3 is +3"):
 * every matching step is computed with the wrong operator, so the model learns it as the mode and
 * even greedy answers inherit it. Bugs are how a family is worse in one style than another.
 *
 * The final answer is boxed (`\boxed{52}`) or not ("The answer is 52.") — families differ in how
 * often they box, which gives the format reward something to act on.
 */
import { Rng } from '../engine/rng';
import { Op, Problem, applyOp } from './problems';
import { FORCED_CODE_PREFIX } from './vocab';

export type Writer = 'code' | 'language-careful' | 'language-terse';
export const WRITERS: readonly Writer[] = ['code', 'language-careful', 'language-terse'];

/** A systematic mistake: steps with `op` (and `operand`, if given) are computed with `writesOp`. */
export interface Bug {
  op: Op;
  operand?: number;
  writesOp: Op;
}

export interface WriterOptions {
  /** Probability that each predicted intermediate value is wrong (sloppy reasoning). */
  errorRate: number;
  /** Whether the final answer is written as \boxed{…}. */
  boxed: boolean;
  /** Code only: open with "Let's solve this using Python." (how pretraining text introduces code). */
  intro?: boolean;
  /** Systematic mistakes of this writer (default none). */
  bugs?: readonly Bug[];
}

export interface WrittenSolution {
  text: string;
  /** The answer the solution states (differs from the problem's when a step was wrong). */
  stated: string;
  writer: Writer;
}

/** A plausible wrong value near the right one (never negative, never equal). */
function corrupt(v: number, rng: Rng): number {
  for (;;) {
    const delta = (1 + rng.int(rng.bernoulli(0.5) ? 3 : 10)) * (rng.bernoulli(0.5) ? 1 : -1);
    const w = v + delta;
    if (w >= 0 && w !== v) return w;
  }
}

/** The values a solver predicts step by step: exact, buggy (systematic), or sloppy with errorRate per step. */
function predictedChain(p: Problem, errorRate: number, rng: Rng, bugs: readonly Bug[] = []): number[] {
  const values: number[] = [];
  let v = p.start;
  for (const st of p.steps) {
    const bug = bugs.find((b) => b.op === st.op && (b.operand === undefined || b.operand === st.operand));
    v = Math.max(0, applyOp(v, bug ? bug.writesOp : st.op, st.operand));
    if (errorRate > 0 && rng.bernoulli(errorRate)) v = corrupt(v, rng);
    values.push(v);
  }
  return values;
}

function finalLine(answer: string, boxed: boolean): string {
  return boxed ? `The answer is \\boxed{${answer}}.` : `The answer is ${answer}.`;
}

export function writeSolution(p: Problem, writer: Writer, opts: WriterOptions, rng: Rng): WrittenSolution {
  if (writer === 'language-terse') {
    // A terse solver guesses in one jump: its error is modelled by the network, not the data.
    return { text: finalLine(p.answer, opts.boxed), stated: p.answer, writer };
  }
  const values = predictedChain(p, opts.errorRate, rng, opts.bugs);
  const stated = String(values[values.length - 1]);
  if (writer === 'code') {
    const lines = opts.intro ? [FORCED_CODE_PREFIX.trimEnd(), '```python', `x=${p.start}`] : ['```python', `x=${p.start}`];
    p.steps.forEach((st, i) => lines.push(`x=x${st.op}${st.operand} # ${values[i]}`));
    lines.push('print(x)', '```', '```output', stated, '```', finalLine(stated, opts.boxed));
    return { text: lines.join('\n'), stated, writer };
  }
  if (writer === 'language-careful') {
    let prev = p.start;
    const parts = p.steps.map((st, i) => {
      const s = `${prev}${st.op}${st.operand}=${values[i]}.`;
      prev = values[i];
      return s;
    });
    return { text: `${parts.join(' ')} ${finalLine(stated, opts.boxed)}`, stated, writer };
  }
  throw new Error(`writeSolution: unknown writer '${writer as string}' (use ${WRITERS.join(', ')})`);
}
