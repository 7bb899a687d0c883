/**
 * Structural comparison of parsed answers. Numbers are compared by value (relative tolerance
 * 1e-8); expressions with variables are compared by evaluating both at fixed pseudo-random
 * points (relative tolerance 1e-6). Tuples and intervals are ordered and bracket types must
 * match; sets and lists are unordered; an equation `x = v` with a single-variable side matches
 * the bare value `v`; equations match when (lhs − rhs) are proportional.
 */
import type { MathNode } from 'mathjs';
import type { Answer } from './structure';
import { evaluateNode, freeVariables, parseLatex, type Value } from './toMath';

/** Relative tolerance for constant expressions. */
export const NUMERIC_REL_TOL = 1e-8;
/** Relative tolerance at each random evaluation point for expressions with variables. */
export const SYMBOLIC_REL_TOL = 1e-6;
const SAMPLE_POINTS = 8;
const MIN_VALID_POINTS = 3;

/** True when two parsed answers denote the same mathematical object. */
export function answersEqual(a: Answer, b: Answer): boolean {
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
      return b.kind === 'relation' && a.text === b.text;
    case 'expr':
      return b.kind === 'expr' && exprEqual(a.tex, b.tex, a.percent, b.percent);
    case 'set':
      return b.kind === 'set' && unorderedEqual(a.items, b.items);
    case 'union':
      return b.kind === 'union' && unorderedEqual(a.parts, b.parts);
    case 'tuple':
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

/** `{v}` → v; `x = v` (or `v = x`) with a single variable → v. Otherwise the answer itself. */
export function unwrapSingle(a: Answer): Answer {
  if (a.kind === 'set' && a.items.length === 1) return a.items[0];
  if (a.kind === 'equation' && a.sides.length >= 2) {
    const first = a.sides[0];
    const last = a.sides[a.sides.length - 1];
    if (isSingleVariable(first) && !isSingleVariable(last)) return last;
    if (a.sides.length === 2 && isSingleVariable(last) && !isSingleVariable(first)) return first;
  }
  return a;
}

function isSingleVariable(a: Answer): boolean {
  return a.kind === 'expr' && /^[A-Za-z](_\{?[A-Za-z0-9]+\}?)?(\s*\(\s*[A-Za-z]\s*\))?$/.test(a.tex.trim());
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

/** Multiset equality by backtracking matching (lists are short). */
function unorderedEqual(a: Answer[], b: Answer[]): boolean {
  if (a.length !== b.length) return false;
  const used = new Array<boolean>(b.length).fill(false);
  const match = (k: number): boolean => {
    if (k === a.length) return true;
    for (let j = 0; j < b.length; j++) {
      if (!used[j] && answersEqual(a[k], b[j])) {
        used[j] = true;
        if (match(k + 1)) return true;
        used[j] = false;
      }
    }
    return false;
  };
  return match(0);
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
  const nf = parseLatex(f);
  const ng = parseLatex(g);
  if (!nf || !ng) return false;
  const vars = union(freeVariables(nf), freeVariables(ng));
  if (vars.length === 0) return false;
  let ratio: Value | null = null;
  let valid = 0;
  for (const scope of samplePoints(vars)) {
    const x = evaluateNode(nf, scope);
    const y = evaluateNode(ng, scope);
    if (!x || !y || !finite(x) || !finite(y)) continue;
    if (magnitude(y) < 1e-9 || magnitude(x) < 1e-9) {
      if (magnitude(y) < 1e-9 && magnitude(x) < 1e-9) continue;
      return false;
    }
    const r = divide(x, y);
    if (ratio === null) ratio = r;
    else if (!close(r, ratio, SYMBOLIC_REL_TOL)) return false;
    valid++;
  }
  return valid >= MIN_VALID_POINTS;
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
    if (close(x, y, NUMERIC_REL_TOL) && percentA === percentB) return true;
    // "50%" vs "0.5": the percentage side divided by 100 (a bare "50" against "50%" also passes)
    if (percentA !== percentB) {
      if (close(x, y, NUMERIC_REL_TOL)) return true;
      const xs: Value = percentA ? [x[0] / 100, x[1] / 100] : x;
      const ys: Value = percentB ? [y[0] / 100, y[1] / 100] : y;
      return close(xs, ys, NUMERIC_REL_TOL);
    }
    return false;
  }
  return sameFunction(na, nb, vars);
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
