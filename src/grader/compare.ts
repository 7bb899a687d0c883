/**
 * Structural comparison of parsed answers. Numbers are compared by value (relative tolerance
 * 1e-8, rechecked in 64-digit decimals so distinct integers never match); expressions with
 * variables are compared by evaluating both at fixed pseudo-random points (relative tolerance
 * 1e-6). Tuples and intervals are ordered and bracket types must match; sets, lists and unions
 * are unordered; an equation `x = v` or `(p,q) = v` with a variable side matches the bare value
 * `v`, but two differently labelled equations never match; equations match when (lhs − rhs) are
 * proportional; relations match up to operator spelling, direction and a positive factor.
 */
import type { MathNode } from 'mathjs';
import type { Answer, RelOp } from './structure';
import { evaluateNode, exactDifference, freeVariables, parseLatex, type Value } from './toMath';

/** Relative tolerance for constant expressions. */
export const NUMERIC_REL_TOL = 1e-8;
/** Relative tolerance at each random evaluation point for expressions with variables. */
export const SYMBOLIC_REL_TOL = 1e-6;
const SAMPLE_POINTS = 8;
const MIN_VALID_POINTS = 3;

/** True when two parsed answers denote the same mathematical object. */
export function answersEqual(a: Answer, b: Answer): boolean {
  // "x=5" vs "y=5": both name what they solve for, and not the same thing
  const la = labelOf(a);
  const lb = labelOf(b);
  if (la !== null && lb !== null && la !== lb) return false;
  // {1,3} ∪ {2,4} is the set {1,2,3,4}
  if (a.kind === 'union' && a.parts.every((p) => p.kind === 'set')) return answersEqual(flattenSets(a.parts), b);
  if (b.kind === 'union' && b.parts.every((p) => p.kind === 'set')) return answersEqual(a, flattenSets(b.parts));
  // two equations may match as equations (y = -x/2 + 3/4 vs 2x + 4y - 3 = 0) before unwrapping
  if (a.kind === 'equation' && b.kind === 'equation' && equationsEqual(a.sides, b.sides)) return true;
  // unwrap one-element sets and single-variable equations so "x=3", "{3}" and "3" meet
  const ua = unwrapSingle(a);
  const ub = unwrapSingle(b);
  if (ua !== a || ub !== b) return answersEqual(ua, ub);

  switch (a.kind) {
    case 'choice':
      return b.kind === 'choice' && a.letter === b.letter;
    case 'text':
      return b.kind === 'text' && a.text === b.text;
    case 'relation':
      if (b.kind === 'tuple') return answersEqual(b, a);
      return b.kind === 'relation' && relationsEqual(a, b);
    case 'expr':
      return b.kind === 'expr' && exprEqual(a.tex, b.tex, a.percent, b.percent);
    case 'set':
      return b.kind === 'set' && unorderedEqual(a.items, b.items);
    case 'union':
      return b.kind === 'union' && unorderedEqual(a.parts, b.parts);
    case 'tuple':
      if (b.kind === 'relation') {
        // "-2 \le x \le 7" and "x > 3" as the intervals [-2,7] and (3,\infty)
        const iv = relationAsInterval(b);
        return iv !== null && answersEqual(a, iv);
      }
      if (b.kind === 'tuple') {
        return a.open === b.open && a.close === b.close && orderedEqual(a.items, b.items);
      }
      if (b.kind === 'matrix') return vectorMatches(b, a);
      return false;
    case 'matrix':
      if (b.kind === 'matrix') {
        return a.rows.length === b.rows.length && a.rows.every((r, k) => orderedEqual(r, b.rows[k]));
      }
      if (b.kind === 'tuple') return vectorMatches(a, b);
      return false;
    case 'equation':
      return b.kind === 'equation' && equationsEqual(a.sides, b.sides);
  }
}

/**
 * `{v}` → v; `x = v` (or `v = x`) with a single variable, or `(p,q) = (3,2)` with a tuple of
 * variables, → the value. Otherwise the answer itself.
 */
export function unwrapSingle(a: Answer): Answer {
  if (a.kind === 'set' && a.items.length === 1) return a.items[0];
  const side = labelSide(a);
  if (a.kind === 'equation' && side !== null) return side === 'first' ? a.sides[a.sides.length - 1] : a.sides[0];
  return a;
}

/** Which side of an equation is the label (`x`, `f(x)`, `(p,q)`), or null when neither is. */
function labelSide(a: Answer): 'first' | 'last' | null {
  if (a.kind !== 'equation' || a.sides.length < 2) return null;
  const first = a.sides[0];
  const last = a.sides[a.sides.length - 1];
  if (isLabel(first) && !isLabel(last)) return 'first';
  if (a.sides.length === 2 && isLabel(last) && !isLabel(first)) return 'last';
  return null;
}

/** The label of a labelled equation, spaces removed; null for anything else. */
function labelOf(a: Answer): string | null {
  const side = labelSide(a);
  if (a.kind !== 'equation' || side === null) return null;
  const l = side === 'first' ? a.sides[0] : a.sides[a.sides.length - 1];
  return describeLabel(l);
}

function describeLabel(a: Answer): string {
  if (a.kind === 'expr') return a.tex.replace(/\s+/g, '');
  if (a.kind === 'tuple') return `(${a.items.map(describeLabel).join(',')})`;
  return '';
}

/** A variable name: `x`, `a_1`, `f(x)`, `\theta`, or a tuple of them as in `(p,q)`. */
function isLabel(a: Answer): boolean {
  if (a.kind === 'tuple') return a.open === '(' && a.close === ')' && a.items.every(isSingleVariable);
  return isSingleVariable(a);
}

function isSingleVariable(a: Answer): boolean {
  return (
    a.kind === 'expr' &&
    /^([A-Za-z]|\\[a-zA-Z]+)(_\{?[A-Za-z0-9]+\}?)?(\s*\(\s*[A-Za-z]\s*\))?$/.test(a.tex.trim()) &&
    !/^\\(pi|infty|infinity)$/.test(a.tex.trim())
  );
}

function flattenSets(parts: Answer[]): Answer {
  return { kind: 'set', items: parts.flatMap((p) => (p.kind === 'set' ? p.items : [p])) };
}

const FLIP: Record<RelOp, RelOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '!=': '!=' };

/**
 * Relations match when written the same way up to spelling (`\ge`, `>=`, `≥`), with the chain
 * read backwards (`x > 3` vs `3 < x`), or — for a single comparison with variables — when
 * lhs − rhs of one is a positive multiple of the other's (`x < 1` vs `-x > -1`).
 */
function relationsEqual(a: Extract<Answer, { kind: 'relation' }>, b: Extract<Answer, { kind: 'relation' }>): boolean {
  if (a.sides.length === 0 || b.sides.length === 0) return a.text === b.text;
  const sameChain = (s1: Answer[], o1: RelOp[], s2: Answer[], o2: RelOp[]): boolean =>
    o1.length === o2.length && o1.every((o, k) => o === o2[k]) && orderedEqual(s1, s2);
  if (sameChain(a.sides, a.ops, b.sides, b.ops)) return true;
  if (sameChain(a.sides, a.ops, [...b.sides].reverse(), [...b.ops].reverse().map((o) => FLIP[o]))) return true;
  if (a.ops.length !== 1 || b.ops.length !== 1) return false;
  const [da, oa] = lessForm(a.sides, a.ops[0]);
  const [db, ob] = lessForm(b.sides, b.ops[0]);
  if (oa !== ob || da === null || db === null) return false;
  const r = constantRatio(da, db);
  return r !== null && (oa === '!=' || r > 0);
}

/** A one-variable inequality (`x > 3`, `-2 \le x < 7`) as the interval it describes; else null. */
function relationAsInterval(r: Extract<Answer, { kind: 'relation' }>): Answer | null {
  let sides = r.sides;
  let ops = r.ops;
  if (ops.length === 0 || ops.length > 2) return null;
  if (ops.every((o) => o === '>' || o === '>=')) {
    sides = [...sides].reverse();
    ops = [...ops].reverse().map((o) => FLIP[o]);
  }
  if (!ops.every((o) => o === '<' || o === '<=')) return null;
  const bound = (tex: string): Answer => ({ kind: 'expr', tex, percent: false });
  const open = (o: RelOp): string => (o === '<' ? '(' : '[');
  const close = (o: RelOp): string => (o === '<' ? ')' : ']');
  const v = (a: Answer): boolean => isSingleVariable(a);
  if (sides.length === 3 && v(sides[1]) && !v(sides[0]) && !v(sides[2])) {
    return { kind: 'tuple', open: open(ops[0]), close: close(ops[1]), items: [sides[0], sides[2]] };
  }
  if (sides.length === 2 && v(sides[0]) && !v(sides[1])) {
    return { kind: 'tuple', open: '(', close: close(ops[0]), items: [bound('-\\infty'), sides[1]] };
  }
  if (sides.length === 2 && v(sides[1]) && !v(sides[0])) {
    return { kind: 'tuple', open: open(ops[0]), close: ')', items: [sides[0], bound('\\infty')] };
  }
  return null;
}

/** `l op r` as `d op' 0` with op' in {<, <=, !=}, d as LaTeX (null when a side is not an expression). */
function lessForm(sides: Answer[], op: RelOp): [string | null, RelOp] {
  const [l, r] = sides;
  if (l.kind !== 'expr' || r.kind !== 'expr') return [null, op];
  if (op === '>' || op === '>=') return [`(${r.tex})-(${l.tex})`, FLIP[op]];
  return [`(${l.tex})-(${r.tex})`, op];
}

/** A column or row matrix equals a parenthesised tuple with the same entries. */
function vectorMatches(m: Extract<Answer, { kind: 'matrix' }>, t: Extract<Answer, { kind: 'tuple' }>): boolean {
  if (t.open !== '(' || t.close !== ')') return false;
  const flat = m.rows.every((r) => r.length === 1) ? m.rows.map((r) => r[0]) : m.rows.length === 1 ? m.rows[0] : null;
  return flat !== null && orderedEqual(flat, t.items);
}

function orderedEqual(a: Answer[], b: Answer[]): boolean {
  return a.length === b.length && a.every((x, k) => answersEqual(x, b[k]));
}

/** Longest list compared item by item in any order (n² comparisons); longer lists must match in order. */
const MAX_UNORDERED_ITEMS = 64;

/**
 * Multiset equality as a perfect bipartite matching (augmenting paths, polynomial): plain
 * backtracking is factorial when a near-miss list fails only at its last item.
 */
function unorderedEqual(a: Answer[], b: Answer[]): boolean {
  if (a.length !== b.length) return false;
  if (orderedEqual(a, b)) return true;
  if (a.length > MAX_UNORDERED_ITEMS) return false;
  const n = a.length;
  const eq: (boolean | undefined)[][] = a.map(() => new Array<boolean | undefined>(n));
  const edge = (i: number, j: number): boolean => (eq[i][j] ??= answersEqual(a[i], b[j]));
  const owner = new Array<number>(n).fill(-1); // owner[j] = index in a matched to b[j]
  const augment = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < n; j++) {
      if (seen[j] || !edge(i, j)) continue;
      seen[j] = true;
      if (owner[j] < 0 || augment(owner[j], seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < n; i++) if (!augment(i, new Array<boolean>(n).fill(false))) return false;
  return true;
}

function equationsEqual(a: Answer[], b: Answer[]): boolean {
  if (a.length === b.length && orderedEqual(a, b)) return true;
  if (a.length === 2 && b.length === 2) {
    if (orderedEqual(a, [b[1], b[0]])) return true;
    if (a.every((x) => x.kind === 'expr') && b.every((x) => x.kind === 'expr')) {
      const da = difference(a);
      const db = difference(b);
      if (da !== null && db !== null) return proportional(da, db);
    }
  }
  return false;
}

/** lhs − rhs as LaTeX, for proportionality of equations. */
function difference(sides: Answer[]): string | null {
  const [l, r] = sides;
  if (l.kind !== 'expr' || r.kind !== 'expr') return null;
  return `(${l.tex})-(${r.tex})`;
}

/** f and g (LaTeX) are equal up to one nonzero constant factor on the sample points. */
function proportional(f: string, g: string): boolean {
  return constantRatio(f, g) !== null;
}

/** The real constant f/g when f and g (LaTeX, with variables) are proportional; else null. */
function constantRatio(f: string, g: string): number | null {
  const r = ratioOnSamples(f, g);
  return r !== null && Math.abs(r[1]) <= SYMBOLIC_REL_TOL * Math.abs(r[0]) ? r[0] : null;
}

function ratioOnSamples(f: string, g: string): Value | null {
  const nf = parseLatex(f);
  const ng = parseLatex(g);
  if (!nf || !ng) return null;
  const vars = union(freeVariables(nf), freeVariables(ng));
  if (vars.length === 0) return null;
  let ratio: Value | null = null;
  let valid = 0;
  for (const scope of samplePoints(vars)) {
    const x = evaluateNode(nf, scope);
    const y = evaluateNode(ng, scope);
    if (!x || !y || !finite(x) || !finite(y)) continue;
    if (magnitude(y) < 1e-9 || magnitude(x) < 1e-9) {
      if (magnitude(y) < 1e-9 && magnitude(x) < 1e-9) continue;
      return null;
    }
    const r = divide(x, y);
    if (ratio === null) ratio = r;
    else if (!close(r, ratio, SYMBOLIC_REL_TOL)) return null;
    valid++;
  }
  return valid >= MIN_VALID_POINTS ? ratio : null;
}

/** Two LaTeX expressions are equal in value (constants) or as functions (with variables). */
export function exprEqual(a: string, b: string, percentA = false, percentB = false): boolean {
  if (a.replace(/\s+/g, '') === b.replace(/\s+/g, '') && percentA === percentB) return true;
  const na = parseLatex(a);
  const nb = parseLatex(b);
  if (!na || !nb) return false;
  const vars = union(freeVariables(na), freeVariables(nb));
  if (vars.length === 0) {
    const x = evaluateNode(na, {});
    const y = evaluateNode(nb, {});
    if (!x || !y) return false;
    if (close(x, y, NUMERIC_REL_TOL) && percentA === percentB) return exactlyClose(a, b, x, y);
    // "50%" vs "0.5": the percentage side divided by 100 (a bare "50" against "50%" also passes)
    if (percentA !== percentB) {
      if (close(x, y, NUMERIC_REL_TOL)) return exactlyClose(a, b, x, y);
      const xs: Value = percentA ? [x[0] / 100, x[1] / 100] : x;
      const ys: Value = percentB ? [y[0] / 100, y[1] / 100] : y;
      return close(xs, ys, NUMERIC_REL_TOL);
    }
    return false;
  }
  return sameFunction(na, nb, vars);
}

/**
 * Second opinion on two constants the float comparison called equal: the relative tolerance must
 * not merge distinct integers (1000000001 vs 1000000000) or values doubles cannot tell apart
 * (10^{20}+1 vs 10^{20}), so the difference is recomputed in 64-digit decimals and must stay
 * below both the relative tolerance and 1e-6 in absolute terms.
 */
function exactlyClose(a: string, b: string, x: Value, y: Value): boolean {
  if (x[1] === 0 && y[1] === 0 && Number.isInteger(x[0]) && Number.isInteger(y[0]) &&
    Math.abs(x[0]) <= Number.MAX_SAFE_INTEGER && Math.abs(y[0]) <= Number.MAX_SAFE_INTEGER && x[0] !== y[0]) {
    return false;
  }
  const d = exactDifference(a, b);
  if (d === null) return true;
  return d.diff <= Math.min(NUMERIC_REL_TOL * d.scale, 1e-6) || d.diff <= 1e-12;
}

function sameFunction(na: MathNode, nb: MathNode, vars: string[]): boolean {
  let valid = 0;
  for (const scope of samplePoints(vars)) {
    const x = evaluateNode(na, scope);
    const y = evaluateNode(nb, scope);
    if (!x || !y || !finite(x) || !finite(y)) {
      if ((x === null) !== (y === null)) return false;
      continue;
    }
    // x^{2/3} (principal complex root) vs \sqrt[3]{x}^2 (real root) differ only off the reals
    if (isReal(x) !== isReal(y)) continue;
    if (!close(x, y, SYMBOLIC_REL_TOL)) return false;
    valid++;
  }
  return valid >= MIN_VALID_POINTS;
}

/** Deterministic sample points: each variable gets a value in ±[0.5, 3] (mulberry32, fixed seed). */
function samplePoints(vars: string[]): Record<string, number>[] {
  let seed = 0x5eed1234;
  const rand = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const points: Record<string, number>[] = [];
  for (let k = 0; k < SAMPLE_POINTS; k++) {
    const scope: Record<string, number> = {};
    for (const v of vars) {
      const mag = 0.5 + 2.5 * rand();
      scope[v] = k % 4 === 3 ? -mag : mag; // mostly positive (keeps roots/logs real), some negative
    }
    points.push(scope);
  }
  return points;
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

function finite(v: Value): boolean {
  return Number.isFinite(v[0]) && Number.isFinite(v[1]);
}

function isReal(v: Value): boolean {
  return Math.abs(v[1]) <= 1e-12 * Math.max(1, Math.abs(v[0]));
}

function magnitude(v: Value): number {
  return Math.hypot(v[0], v[1]);
}

function divide(x: Value, y: Value): Value {
  const d = y[0] * y[0] + y[1] * y[1];
  return [(x[0] * y[0] + x[1] * y[1]) / d, (x[1] * y[0] - x[0] * y[1]) / d];
}

/** |x − y| ≤ rel · max(|x|, |y|), or both tiny; infinities must coincide exactly. */
export function close(x: Value, y: Value, rel: number): boolean {
  if (!finite(x) || !finite(y)) return x[0] === y[0] && x[1] === y[1];
  const diff = Math.hypot(x[0] - y[0], x[1] - y[1]);
  return diff <= rel * Math.max(magnitude(x), magnitude(y)) || diff <= 1e-12;
}
