/**
 * Translate a normalised LaTeX expression into a mathjs expression and evaluate it. Handles
 * \frac, \sqrt (incl. \sqrt[n]), \pi, \infty, \cdot/\times/\div, trig and log commands, powers,
 * subscripts (base subscripts like 52_8 are dropped), |x|, mixed numbers (1\frac{4}{5}),
 * implicit multiplication and multi-letter products (xy → x*y).
 */
import { create, all, type MathNode } from 'mathjs';
import { readArgument, readBraced } from './latex';

const math = create(all, {});
/** A second instance in 64-digit decimal arithmetic: tells 10^{20}+1 from 10^{20} where doubles cannot. */
const exactMath = create(all, { number: 'BigNumber', precision: 64 });

/**
 * \binom as `binom`, not mathjs `combinations`: the latter loops min(k, n−k) times, so a model's
 * \binom{10^9}{5\cdot 10^8} would stall grading for seconds. Past 10^4 factors the float value is
 * Infinity anyway; the exact instance gives up (NaN) and the float verdict stands.
 */
const MAX_BINOM_FACTORS = 10000;
function binomNumber(n: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(k) || k < 0 || n < 0 || k > n) return NaN;
  const m = Math.min(k, n - k);
  if (m > MAX_BINOM_FACTORS) return Infinity;
  let r = 1;
  for (let j = 1; j <= m; j++) r = (r * (n - m + j)) / j;
  return Math.round(r);
}
math.import({ binom: binomNumber }, { override: true });
exactMath.import(
  {
    binom: (n: unknown, k: unknown): unknown => {
      const nn = Number(n);
      const kk = Number(k);
      if (!Number.isInteger(nn) || !Number.isInteger(kk) || kk < 0 || nn < 0 || kk > nn) return NaN;
      if (Math.min(kk, nn - kk) > 1000) return NaN;
      return exactMath.combinations(exactMath.bignumber(nn), exactMath.bignumber(kk));
    },
  },
  { override: true },
);

/** mathjs function names we emit; identifiers with these names are never split into letters. */
const FUNCS = new Set([
  'sqrt', 'nthRoot', 'sin', 'cos', 'tan', 'cot', 'sec', 'csc', 'asin', 'acos', 'atan',
  'sinh', 'cosh', 'tanh', 'log', 'log10', 'exp', 'abs', 'floor', 'ceil', 'binom',
]);
/** Constants mathjs evaluates itself; every other symbol is a free variable. */
export const CONSTANTS = new Set(['pi', 'e', 'i', 'Infinity']);

const COMMAND_FUNCS: Record<string, string> = {
  sin: 'sin', cos: 'cos', tan: 'tan', cot: 'cot', sec: 'sec', csc: 'csc',
  arcsin: 'asin', arccos: 'acos', arctan: 'atan', sinh: 'sinh', cosh: 'cosh', tanh: 'tanh',
  ln: 'log', log: 'log', exp: 'exp',
};
const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota',
  'kappa', 'lambda', 'mu', 'nu', 'xi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'varphi', 'chi', 'psi', 'omega',
  'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Sigma', 'Phi', 'Psi', 'Omega',
]);

class Unsupported extends Error {}

/** LaTeX → mathjs source text, or null when the input uses something we cannot translate. */
export function latexToMathjs(tex: string): string | null {
  try {
    let s = tex.trim();
    if (s === '') return null;
    // mixed numbers: 1\frac{4}{5} → (1+4/5); only integer + integer/integer
    s = s.replace(
      /(^|[^\d.^_}A-Za-z])(\d+)\s*\\frac\s*(?:\{\s*(\d+)\s*\}|(\d))\s*(?:\{\s*(\d+)\s*\}|(\d))/g,
      (_m, pre: string, w: string, n1?: string, n2?: string, d1?: string, d2?: string) =>
        `${pre}(${w}+(${n1 ?? n2})/(${d1 ?? d2}))`,
    );
    const body = convert(s);
    return insertProducts(body);
  } catch {
    return null;
  }
}

function convert(s: string): string {
  let out = '';
  let absOpen = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(s.slice(i));
      if (!m) throw new Unsupported('dangling backslash');
      const name = m[1];
      i += m[0].length;
      if (name === 'frac' || name === 'binom') {
        const a = readArgument(s, i);
        if (!a) throw new Unsupported('frac');
        const b = readArgument(s, a.end);
        if (!b) throw new Unsupported('frac');
        i = b.end;
        out += name === 'frac'
          ? `((${convert(a.content)})/(${convert(b.content)}))`
          : `binom(${convert(a.content)},${convert(b.content)})`;
      } else if (name === 'sqrt') {
        let j = i;
        while (s[j] === ' ') j++;
        let index: string | null = null;
        if (s[j] === '[') {
          const close = s.indexOf(']', j);
          if (close < 0) throw new Unsupported('sqrt index');
          index = s.slice(j + 1, close);
          j = close + 1;
        }
        const a = readArgument(s, j);
        if (!a) throw new Unsupported('sqrt');
        i = a.end;
        out += index === null ? `sqrt(${convert(a.content)})` : `nthRoot(${convert(a.content)},${convert(index)})`;
      } else if (name === 'pi') out += ' pi ';
      else if (name === 'infty' || name === 'infinity') out += ' Infinity ';
      else if (name === 'cdot' || name === 'times' || name === 'ast') out += '*';
      else if (name === 'div') out += '/';
      else if (name === 'le' || name === 'leq' || name === 'ge' || name === 'geq' || name === 'ne' || name === 'neq') {
        throw new Unsupported('relation');
      } else if (name in COMMAND_FUNCS) {
        const r = convertFunction(COMMAND_FUNCS[name], s, i);
        out += r.text;
        i = r.end;
      } else if (name === 'text') {
        const a = readArgument(s, i);
        if (!a) throw new Unsupported('text');
        i = a.end;
        out += ` (${convert(a.content)}) `;
      } else if (GREEK.has(name)) out += ` ${name} `;
      else if (name === '{' || name === '}') throw new Unsupported('set brace');
      else if (name === ' ' || name === ',' || name === '!' || name === ';') out += ' ';
      else throw new Unsupported(`\\${name}`);
    } else if (c === '^') {
      const a = readArgument(s, i + 1);
      if (!a) throw new Unsupported('^');
      i = a.end;
      out += `^(${convert(a.content)})`;
    } else if (c === '_') {
      const a = readArgument(s, i + 1);
      if (!a) throw new Unsupported('_');
      i = a.end;
      const sub = a.content.replace(/[{}\s]/g, '');
      // digits_base (52_8, 4210_{5}): the base subscript is dropped
      if (/\d\s*$/.test(out) && /^\d+$/.test(sub)) continue;
      if (!/^[A-Za-z0-9]+$/.test(sub) || !/[A-Za-z]\s*$/.test(out)) throw new Unsupported('subscript');
      out = out.replace(/\s+$/, '') + `_${sub}`;
    } else if (c === '{') {
      const g = readBraced(s, i);
      if (!g) throw new Unsupported('brace');
      i = g.end;
      out += `(${convert(g.content)})`;
    } else if (c === '}') {
      throw new Unsupported('unbalanced }');
    } else if (c === '[') {
      out += '(';
      i++;
    } else if (c === ']') {
      out += ')';
      i++;
    } else if (c === '|') {
      out += absOpen ? ')' : 'abs(';
      absOpen = !absOpen;
      i++;
    } else if (/[A-Za-z0-9.+\-*/()!\s,=]/.test(c)) {
      out += c;
      i++;
    } else if (c === "'") {
      throw new Unsupported('prime');
    } else {
      throw new Unsupported(`character ${c}`);
    }
  }
  if (absOpen) throw new Unsupported('unbalanced |');
  return out;
}

/** `\sin^2 x`, `\cot x`, `\sin(2x)`, `\log_{2} 8` → mathjs call text. */
function convertFunction(fn: string, s: string, start: number): { text: string; end: number } {
  let i = start;
  let power: string | null = null;
  let base: string | null = null;
  for (;;) {
    while (s[i] === ' ') i++;
    if (s[i] === '^' && power === null) {
      const a = readArgument(s, i + 1);
      if (!a) throw new Unsupported('fn power');
      power = convert(a.content);
      i = a.end;
    } else if (s[i] === '_' && fn === 'log' && base === null) {
      const a = readArgument(s, i + 1);
      if (!a) throw new Unsupported('log base');
      base = convert(a.content);
      i = a.end;
    } else break;
  }
  let arg: string;
  if (s[i] === '(') {
    let depth = 0;
    let j = i;
    for (; j < s.length; j++) {
      if (s[j] === '(') depth++;
      else if (s[j] === ')' && --depth === 0) break;
    }
    if (j >= s.length) throw new Unsupported('fn paren');
    arg = convert(s.slice(i + 1, j));
    i = j + 1;
  } else if (s[i] === '{') {
    const g = readBraced(s, i);
    if (!g) throw new Unsupported('fn brace');
    arg = convert(g.content);
    i = g.end;
  } else {
    // a simple atom: optional number then one letter or one command (\sin 2x, \cot x, \cos \theta)
    const m = /^(\d*\.?\d*)\s*(\\[A-Za-z]+|[A-Za-z])?/.exec(s.slice(i));
    if (!m || m[0].trim() === '') throw new Unsupported('fn argument');
    arg = convert(m[0]);
    i += m[0].length;
  }
  let call = base === null ? `${fn}(${arg})` : `log(${arg},${base})`;
  if (power !== null) call = `(${call})^(${power})`;
  return { text: ` ${call} `, end: i };
}

type Tok = { kind: 'num' | 'id' | 'fn' | 'op' | 'open' | 'close' | 'bang'; text: string };

/** Split multi-letter identifiers into single-letter products and make every product explicit. */
function insertProducts(src: string): string {
  const toks: Tok[] = [];
  const re = /\s*(\d+\.?\d*|\.\d+|[A-Za-z]+(?:_[A-Za-z0-9]+)?|[()]|!|[+\-*/^,=])/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new Unsupported(`token at ${src.slice(pos, pos + 10)}`);
    pos = re.lastIndex;
    const t = m[1];
    if (/^[\d.]/.test(t)) toks.push({ kind: 'num', text: t });
    else if (/^[A-Za-z]/.test(t)) {
      const [word, sub] = t.split('_');
      if (FUNCS.has(word)) toks.push({ kind: 'fn', text: word });
      else if (CONSTANTS.has(word) || GREEK.has(word)) toks.push({ kind: 'id', text: sub ? `${word}_${sub}` : word });
      else {
        const letters = word.split('');
        letters.forEach((l, k) =>
          toks.push({ kind: 'id', text: k === letters.length - 1 && sub ? `${l}_${sub}` : l }),
        );
      }
    } else if (t === '(') toks.push({ kind: 'open', text: t });
    else if (t === ')') toks.push({ kind: 'close', text: t });
    else if (t === '!') toks.push({ kind: 'bang', text: t });
    else toks.push({ kind: 'op', text: t });
  }
  let out = '';
  for (let k = 0; k < toks.length; k++) {
    const a = toks[k - 1];
    const b = toks[k];
    if (a && (a.kind === 'num' || a.kind === 'id' || a.kind === 'close' || a.kind === 'bang') &&
      (b.kind === 'num' || b.kind === 'id' || b.kind === 'fn' || b.kind === 'open')) {
      out += '*';
    }
    out += b.text;
  }
  return out;
}

const parseCache = new Map<string, MathNode | null>();

/** Parse normalised LaTeX into a mathjs node (cached); null when untranslatable. */
export function parseLatex(tex: string): MathNode | null {
  const hit = parseCache.get(tex);
  if (hit !== undefined) return hit;
  let node: MathNode | null = null;
  const src = latexToMathjs(tex);
  if (src !== null && !src.includes('=') && !hasTopLevel(src, /,/)) {
    try {
      node = math.parse(src);
    } catch {
      node = null;
    }
  }
  if (parseCache.size > 20000) parseCache.clear();
  parseCache.set(tex, node);
  return node;
}

/** True when a character matching `re` occurs outside parentheses. */
function hasTopLevel(src: string, re: RegExp): boolean {
  let depth = 0;
  for (const c of src) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && re.test(c)) return true;
  }
  return false;
}

/** Free variables of a parsed expression (symbols that are neither constants nor function names). */
export function freeVariables(node: MathNode): string[] {
  const vars = new Set<string>();
  node.traverse((n: MathNode, path: string, parent: MathNode | null) => {
    if ((n as { isSymbolNode?: boolean }).isSymbolNode && !(parent && (parent as { isFunctionNode?: boolean }).isFunctionNode && path === 'fn')) {
      const name = (n as unknown as { name: string }).name;
      if (!CONSTANTS.has(name)) vars.add(name);
    }
  });
  return [...vars].sort();
}

/** A complex value as [re, im]; real numbers have im = 0. */
export type Value = [number, number];

/** Evaluate with a scope of variable values; null when the result is not a (complex) number. */
const compiled = new WeakMap<MathNode, { evaluate: (scope?: object) => unknown }>();

export function evaluateNode(node: MathNode, scope: Record<string, number>): Value | null {
  try {
    let code = compiled.get(node);
    if (!code) {
      code = node.compile();
      compiled.set(node, code);
    }
    const v: unknown = code.evaluate({ ...scope });
    if (typeof v === 'number') return Number.isNaN(v) ? null : [v, 0];
    if (v && typeof v === 'object' && 're' in v && 'im' in v) {
      const c = v as { re: number; im: number };
      if (Number.isNaN(c.re) || Number.isNaN(c.im)) return null;
      return [c.re, c.im];
    }
    if (typeof v === 'boolean') return null;
    if (v && typeof v === 'object' && 'isFraction' in v) return [Number(v), 0];
    if (v && typeof v === 'object' && 'isBigNumber' in v) return [Number(v), 0];
    return null;
  } catch {
    return null;
  }
}

const exactCache = new Map<string, unknown>();

/**
 * Value of a constant LaTeX expression in 64-digit decimal arithmetic, or null when it has free
 * variables, is complex, uses factorials (an exact (10^9)! would never finish) or fails.
 */
function exactValue(tex: string): unknown {
  if (exactCache.has(tex)) return exactCache.get(tex) ?? null;
  let v: unknown = null;
  const src = latexToMathjs(tex);
  if (src !== null && !src.includes('!') && !src.includes('=') && !hasTopLevel(src, /,/) && src.length < 2000) {
    try {
      const node = parseLatex(tex);
      if (node && freeVariables(node).length === 0) {
        const r: unknown = exactMath.evaluate(src);
        if (r && typeof r === 'object' && 'isBigNumber' in r && (r as unknown as { isFinite(): boolean }).isFinite()) v = r;
      }
    } catch {
      v = null;
    }
  }
  if (exactCache.size > 20000) exactCache.clear();
  exactCache.set(tex, v);
  return v;
}

/**
 * |a − b| and max(|a|, |b|) of two constant LaTeX expressions, computed in 64-digit decimals;
 * null when either has no exact value.
 */
export function exactDifference(a: string, b: string): { diff: number; scale: number } | null {
  try {
    const x = exactValue(a);
    const y = exactValue(b);
    if (x === null || y === null) return null;
    const d = exactMath.abs(exactMath.subtract(x as number, y as number) as number) as unknown;
    const ax = Number(exactMath.abs(x as number));
    const ay = Number(exactMath.abs(y as number));
    return { diff: Number(d), scale: Math.max(ax, ay) };
  } catch {
    return null;
  }
}
