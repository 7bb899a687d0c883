/**
 * The stand-in world's math problems: a chain of 2–4 integer operands combined left to right
 * with +, −, × (the analogue of a multi-step competition problem, small enough for a ~1M-parameter
 * transformer to solve step by step but not in one jump). Each problem has two surface forms:
 * a bare expression and a short narrative word problem (the paper notes that narrative rewording
 * switches Qwen2.5-Math away from code; our families' style mix depends on the form).
 */
import { Rng } from '../engine/rng';

export type Op = '+' | '-' | '*';
export type Surface = 'bare' | 'narrative';

export interface Step {
  op: Op;
  operand: number;
  /** Value after applying this step. */
  value: number;
}

export interface Problem {
  /** Stable id, e.g. "test-0042". */
  id: string;
  surface: Surface;
  start: number;
  steps: Step[];
  /** The prompt the model sees (ends with a newline). */
  prompt: string;
  /** Final value, as the label string. */
  answer: string;
}

export interface ProblemRanges {
  /** Operands in the chain, including the start value (2–4). */
  minOperands: number;
  maxOperands: number;
  /** Start value range (inclusive). */
  start: [number, number];
  /** Range of + and − operands. */
  addend: [number, number];
  /** Range of × operands. */
  factor: [number, number];
  /** Every intermediate value stays in [0, maxValue]. */
  maxValue: number;
  /** Probability of each op, in order +, −, ×. */
  opWeights: [number, number, number];
  /** Share of narrative problems. */
  narrativeShare: number;
}

export const DEFAULT_RANGES: Readonly<ProblemRanges> = Object.freeze({
  minOperands: 2,
  maxOperands: 4,
  start: [1, 12] as [number, number],
  addend: [1, 9] as [number, number],
  factor: [2, 3] as [number, number],
  maxValue: 40,
  opWeights: [0.4, 0.3, 0.3] as [number, number, number],
  narrativeShare: 0.4,
});

export function applyOp(a: number, op: Op, b: number): number {
  return op === '+' ? a + b : op === '-' ? a - b : a * b;
}

function between(rng: Rng, [lo, hi]: [number, number]): number {
  return lo + rng.int(hi - lo + 1);
}

function pickOp(rng: Rng, w: [number, number, number]): Op {
  const u = rng.next() * (w[0] + w[1] + w[2]);
  return u < w[0] ? '+' : u < w[0] + w[1] ? '-' : '*';
}

/** Bare form with the parentheses that left-to-right evaluation needs, e.g. "(12+7)*3-5". */
export function bareExpression(start: number, steps: readonly Step[]): string {
  let s = String(start);
  let topAdditive = false; // does s have a + or − outside parentheses?
  for (const st of steps) {
    if (st.op === '*' && topAdditive) s = `(${s})`;
    s += `${st.op}${st.operand}`;
    topAdditive = st.op === '*' ? false : true;
  }
  return s;
}

export const NAMES = ['Ann', 'Ben', 'Cat', 'Dan', 'Eve', 'Max', 'Mia', 'Sam', 'Tom', 'Zoe'];
export const THINGS = ['apples', 'pens', 'coins', 'cards', 'shells', 'stamps', 'books', 'rocks'];

function narrative(rng: Rng, start: number, steps: readonly Step[]): string {
  const name = NAMES[rng.int(NAMES.length)];
  const thing = THINGS[rng.int(THINGS.length)];
  const parts = steps.map((st) => {
    if (st.op === '+') return rng.bernoulli(0.5) ? `gets ${st.operand} more` : `finds ${st.operand} more`;
    if (st.op === '-') return rng.bernoulli(0.5) ? `loses ${st.operand}` : `gives away ${st.operand}`;
    return `gets ${st.operand} times as many`;
  });
  return `${name} has ${start} ${thing}, ${parts.join(', ')}. How many now?`;
}

/** Draws one problem; deterministic given the rng state. */
export function generateProblem(rng: Rng, id: string, ranges: ProblemRanges = DEFAULT_RANGES, surface?: Surface): Problem {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const nOps = between(rng, [ranges.minOperands, ranges.maxOperands]) - 1;
    const start = between(rng, ranges.start);
    const steps: Step[] = [];
    let v = start;
    let ok = true;
    for (let i = 0; i < nOps; i++) {
      const op = pickOp(rng, ranges.opWeights);
      const operand = op === '*' ? between(rng, ranges.factor) : between(rng, ranges.addend);
      v = applyOp(v, op, operand);
      if (v < 0 || v > ranges.maxValue) { ok = false; break; }
      steps.push({ op, operand, value: v });
    }
    const form: Surface = surface ?? (rng.bernoulli(ranges.narrativeShare) ? 'narrative' : 'bare');
    const text = form === 'bare' ? `Compute ${bareExpression(start, steps)}.` : narrative(rng, start, steps);
    if (!ok) continue;
    return { id, surface: form, start, steps, prompt: `${text}\n`, answer: String(v) };
  }
  throw new Error(`generateProblem: no problem satisfies the ranges after 1000 attempts (maxValue ${ranges.maxValue} too small?)`);
}

/** Canonical key of a problem's arithmetic (surface-independent), for disjointness checks. */
export function problemKey(p: Pick<Problem, 'start' | 'steps'>): string {
  return `${p.start}${p.steps.map((s) => s.op + s.operand).join('')}`;
}

/**
 * The fixed test set (MATH-500 analogue) and a disjoint training pool (DeepScaleR analogue):
 * training problems whose arithmetic equals a test problem's are redrawn.
 */
export function generateSplits(seed: number, nTest: number, nTrain: number, ranges: ProblemRanges = DEFAULT_RANGES): { test: Problem[]; train: Problem[] } {
  const rng = new Rng(seed);
  const test: Problem[] = [];
  const testKeys = new Set<string>();
  for (let i = 0; test.length < nTest; i++) {
    const p = generateProblem(rng, `test-${String(test.length).padStart(4, '0')}`, ranges);
    if (testKeys.has(problemKey(p))) continue;
    testKeys.add(problemKey(p));
    test.push(p);
  }
  const train: Problem[] = [];
  while (train.length < nTrain) {
    const p = generateProblem(rng, `train-${String(train.length).padStart(5, '0')}`, ranges);
    if (!testKeys.has(problemKey(p))) train.push(p);
  }
  return { test, train };
}

/**
 * Fresh problems in the spirit of Paper B's RandomCalculation: drawn from their own seeded stream
 * and disjoint from every key in `exclude` (pass the shipped test and train splits), ids
 * `fresh-NNNN`. Pretraining draws its documents from the same distribution as the splits, so with
 * the default ranges "fresh" means "not a shipped problem"; wider `ranges` (more operands, larger
 * values) give problems no family can have seen. Throws if the ranges cannot supply `n`.
 */
export function generateFreshProblems(seed: number, n: number, exclude: ReadonlySet<string>, ranges: ProblemRanges = DEFAULT_RANGES): Problem[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`generateFreshProblems: n must be a non-negative integer, got ${n}`);
  const rng = new Rng(seed);
  const seen = new Set<string>(exclude);
  const out: Problem[] = [];
  for (let tries = 0; out.length < n; tries++) {
    if (tries > 200 * (n + 10)) throw new Error(`generateFreshProblems: only ${out.length} of ${n} fresh problems found; widen the ranges`);
    const p = generateProblem(rng, `fresh-${String(out.length).padStart(4, '0')}`, ranges);
    const key = problemKey(p);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}
