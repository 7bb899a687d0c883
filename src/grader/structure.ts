/**
 * Parse a normalised answer into its shape: multiple-choice letter, text, matrix, union of
 * intervals, ordered tuple/interval, unordered set or list, equation, or a single expression.
 * The leaves stay LaTeX strings; maths happens in compare.ts.
 */
import { outerBrackets, splitTopLevel, splitTopLevelKeep } from './latex';
import type { NormalizedAnswer } from './normalize';

export type Answer =
  | { kind: 'choice'; letter: string }
  | { kind: 'text'; text: string }
  | { kind: 'matrix'; rows: Answer[][] }
  | { kind: 'union'; parts: Answer[] }
  | { kind: 'tuple'; open: string; close: string; items: Answer[] }
  | { kind: 'set'; items: Answer[] }
  | { kind: 'equation'; sides: Answer[] }
  | { kind: 'relation'; text: string; sides: Answer[]; ops: RelOp[] }
  | { kind: 'expr'; tex: string; percent: boolean };

/** A comparison operator in one canonical spelling (`\geq`, `\ge`, `>=`, `≥` all become `>=`). */
export type RelOp = '<' | '<=' | '>' | '>=' | '!=';

/** Relation operators in any spelling; longer spellings first so `<=` is not read as `<`. */
const REL_SEP = /\\(?:leqslant|geqslant|leqq|geqq|leq|geq|neq|le|ge|ne|lt|gt)(?![A-Za-z])|\\not\s*=|<=|>=|=<|=>|!=|<|>/;

function canonicalOp(op: string): RelOp {
  const t = op.replace(/\s+/g, '');
  if (/^(\\(leqslant|leqq|leq|le)|<=|=<)$/.test(t)) return '<=';
  if (/^(\\(geqslant|geqq|geq|ge)|>=|=>)$/.test(t)) return '>=';
  if (/^(\\(neq|ne|not=)|!=)$/.test(t)) return '!=';
  if (t === '<' || t === '\\lt') return '<';
  return '>';
}

/** Parse a normalised answer. `percent` marks the top-level value as a percentage. */
export function parseAnswer(n: NormalizedAnswer): Answer {
  return parse(n.text, n.percent);
}

function parse(raw: string, percent = false): Answer {
  const s = raw.trim();
  const unwrapped = s.replace(/\\text\s*\{([^{}]*)\}/g, '$1').trim();

  const choice = /^\(([A-E])\)$/.exec(unwrapped) ?? (/^[A-E]$/.test(unwrapped) ? [unwrapped, unwrapped] : null);
  if (choice) return { kind: 'choice', letter: choice[1] };

  const isWord = /^[A-Za-z]+(?:[\s'-][A-Za-z]+)*$/.test(unwrapped);
  if (isWord && (s.includes('\\text') || unwrapped.replace(/\s/g, '').length >= 3)) {
    return { kind: 'text', text: unwrapped.toLowerCase().replace(/\s+/g, ' ') };
  }

  const mat = /^\\begin\{([pbvBV]?matrix|array)\}(?:\{[^}]*\})?([\s\S]*)\\end\{\1\}$/.exec(s);
  if (mat) {
    const rows = mat[2].split('\\\\').map((r) => r.trim()).filter((r) => r !== '');
    return { kind: 'matrix', rows: rows.map((r) => r.split('&').map((c) => parse(c))) };
  }

  const unionParts = splitTopLevel(s, /\\cup(?![A-Za-z])|\s+U\s+/);
  if (unionParts.length > 1) return { kind: 'union', parts: unionParts.map((p) => parse(p)) };

  const br = outerBrackets(s);
  if (br && br.open === '{') return { kind: 'set', items: parseItems(br.inner) };
  if (br) {
    const items = splitTopLevel(br.inner, ',');
    if (items.length > 1) return { kind: 'tuple', open: br.open, close: br.close, items: items.map((x) => parse(x)) };
  }

  const commaItems = splitTopLevel(s, ',');
  if (commaItems.length > 1) return { kind: 'set', items: parseItems(s) };

  if (/\\(pm|mp)(?![A-Za-z])/.test(s)) {
    const expanded = expandPlusMinus(s);
    // too many signs to expand: an opaque expression (re-parsing it would recurse forever)
    if (expanded.length === 1) return { kind: 'expr', tex: s, percent };
    return { kind: 'set', items: expanded.map((x) => parse(x)) };
  }

  if (/\\(le|leq|ge|geq|ne|neq|lt|gt|leqslant|geqslant|leqq|geqq|not)(?![A-Za-z])|[<>]|!=/.test(s)) {
    const text = s.replace(/\s+/g, '');
    const { parts, seps } = splitTopLevelKeep(s, REL_SEP);
    // a chain needs an expression on every side; anything else stays an opaque relation
    if (seps.length === 0 || parts.some((p) => p.trim() === '')) return { kind: 'relation', text, sides: [], ops: [] };
    return { kind: 'relation', text, sides: parts.map((p) => parse(p)), ops: seps.map(canonicalOp) };
  }

  const sides = splitTopLevel(s, '=');
  if (sides.length > 1) return { kind: 'equation', sides: sides.map((x) => parse(x)) };

  return { kind: 'expr', tex: s, percent };
}

/** Items of a comma-separated list, with ± expanded into two items each. */
function parseItems(inner: string): Answer[] {
  return splitTopLevel(inner, ',')
    .map((x) => x.trim())
    .filter((x) => x !== '')
    .flatMap((x) => expandPlusMinus(x))
    .map((x) => parse(x));
}

const MAX_PLUS_MINUS = 6;

/** `a \pm b` → [`a + b`, `a - b`] (recursively for several ±). */
export function expandPlusMinus(s: string): string[] {
  const m = /\\(pm|mp)(?![A-Za-z])/.exec(s);
  if (!m) return [s];
  // 2^k items for k signs: past a handful it is not an answer, and expanding would not finish
  if ((s.match(/\\(pm|mp)(?![A-Za-z])/g) ?? []).length > MAX_PLUS_MINUS) return [s];
  const before = s.slice(0, m.index);
  const after = s.slice(m.index + m[0].length);
  const [first, second] = m[1] === 'pm' ? ['+', '-'] : ['-', '+'];
  return [...expandPlusMinus(`${before}${first}${after}`), ...expandPlusMinus(`${before}${second}${after}`)];
}

/** Compact one-line rendering of a parsed answer (used by the CLI). */
export function describeAnswer(a: Answer): string {
  switch (a.kind) {
    case 'choice':
      return `choice(${a.letter})`;
    case 'text':
      return `text("${a.text}")`;
    case 'matrix':
      return `matrix[${a.rows.map((r) => r.map(describeAnswer).join(' & ')).join(' ; ')}]`;
    case 'union':
      return `union(${a.parts.map(describeAnswer).join(' ∪ ')})`;
    case 'tuple':
      return `tuple${a.open}${a.items.map(describeAnswer).join(', ')}${a.close}`;
    case 'set':
      return `set{${a.items.map(describeAnswer).join(', ')}}`;
    case 'equation':
      return `equation(${a.sides.map(describeAnswer).join(' = ')})`;
    case 'relation':
      return a.sides.length === 0
        ? `relation(${a.text})`
        : `relation(${a.sides.map((x, k) => (k === 0 ? '' : ` ${a.ops[k - 1]} `) + describeAnswer(x)).join('')})`;
    case 'expr':
      return a.percent ? `${a.tex} %` : a.tex;
  }
}
