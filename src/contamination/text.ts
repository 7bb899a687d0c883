/**
 * Python's str semantics where Paper B's official code relies on them: strings are indexed by
 * code point (JS indexes UTF-16 units), and strip()/split() without arguments use str.isspace,
 * whose set differs from JS's \s (Python counts \x1c–\x1f and \x85; JS counts \ufeff).
 */

/** Every character for which Python's str.isspace() is true. */
const PY_SPACE = new Set(
  [
    '\t', '\n', '\x0b', '\x0c', '\r', '\x1c', '\x1d', '\x1e', '\x1f', ' ', '\x85', '\xa0', '\u1680',
    '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a',
    '\u2028', '\u2029', '\u202f', '\u205f', '\u3000',
  ],
);

export function isPySpace(ch: string): boolean {
  return PY_SPACE.has(ch);
}

/** The string as code points, the unit of Python's len() and slicing. */
export function codePoints(s: string): string[] {
  return Array.from(s);
}

/** Python `s.rstrip()`. */
export function pyRstrip(s: string): string {
  const cp = codePoints(s);
  let end = cp.length;
  while (end > 0 && PY_SPACE.has(cp[end - 1])) end--;
  return cp.slice(0, end).join('');
}

/** Python `s.strip()`. */
export function pyStrip(s: string): string {
  const cp = codePoints(s);
  let start = 0;
  let end = cp.length;
  while (start < end && PY_SPACE.has(cp[start])) start++;
  while (end > start && PY_SPACE.has(cp[end - 1])) end--;
  return cp.slice(start, end).join('');
}

/** Python `s.split()`: runs of whitespace separate, no empty tokens. */
export function pySplit(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of codePoints(s)) {
    if (PY_SPACE.has(ch)) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur !== '') out.push(cur);
  return out;
}
