/** Low-level LaTeX scanning helpers shared by the grader modules (no normalisation, no maths). */

/** Result of reading a delimited group: its inner text and the index just past its closer. */
export interface Group {
  content: string;
  end: number;
}

/**
 * Read a `{…}` group starting at `s[start] === '{'`, honouring nesting and ignoring escaped
 * braces `\{ \}`. Returns null when the group is not closed.
 */
export function readBraced(s: string, start: number): Group | null {
  if (s[start] !== '{') return null;
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++; // skip the escaped character (covers \{ and \})
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return { content: s.slice(start + 1, i), end: i + 1 };
    }
  }
  return null;
}

/**
 * Read one macro argument at `start` (after optional spaces): a braced group, a control word
 * such as `\pi`, or a single character (`\frac12` → "1", "2"). Null at end of input.
 */
export function readArgument(s: string, start: number): Group | null {
  let i = start;
  while (i < s.length && s[i] === ' ') i++;
  if (i >= s.length) return null;
  if (s[i] === '{') return readBraced(s, i);
  if (s[i] === '\\') {
    const m = /^\\([A-Za-z]+|.)/.exec(s.slice(i));
    if (!m) return null;
    return { content: m[0], end: i + m[0].length };
  }
  if (s[i] === '}') return null;
  return { content: s[i], end: i + 1 };
}

/**
 * Content of the last `\boxed{…}` or `\fbox{…}` in `s` (nested braces allowed). Also accepts the
 * brace-less form `\boxed 5`. Falls back to earlier boxes when the last one is unterminated.
 * Returns null when there is no well-formed box.
 */
export function lastBoxedContent(s: string): string | null {
  const re = /\\(boxed|fbox)(?![A-Za-z])/g;
  const starts: number[] = [];
  for (let m = re.exec(s); m; m = re.exec(s)) starts.push(m.index + m[0].length);
  for (let k = starts.length - 1; k >= 0; k--) {
    let i = starts[k];
    while (i < s.length && s[i] === ' ') i++;
    if (s[i] === '{') {
      const g = readBraced(s, i);
      if (g) return g.content;
    } else if (i > starts[k]) {
      const m = /^[^\s$]+/.exec(s.slice(i));
      if (m) return m[0];
    }
  }
  return null;
}

/**
 * Split `s` on `sep` occurrences at bracket depth 0, where (), [], {} and \{ \} all nest.
 * Interval notation like `[a,b)` is balanced by depth counting regardless of bracket type.
 */
export function splitTopLevel(s: string, sep: string | RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let last = 0;
  const matchAt = (i: number): number => {
    if (typeof sep === 'string') return s.startsWith(sep, i) ? sep.length : 0;
    const m = new RegExp(sep.source, 'y');
    m.lastIndex = i;
    const r = m.exec(s);
    return r ? r[0].length : 0;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (depth === 0) {
      const len = matchAt(i);
      if (len > 0) {
        parts.push(s.slice(last, i));
        last = i + len;
        i += len - 1;
        continue;
      }
    }
    if (c === '\\') {
      const n = s[i + 1];
      if (n === '{') depth++;
      else if (n === '}') depth--;
      i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  parts.push(s.slice(last));
  return parts;
}

/**
 * Like {@link splitTopLevel} with a regex, but also returns the separators matched, so that a
 * relation chain `a < b \le c` keeps its operators.
 */
export function splitTopLevelKeep(s: string, sep: RegExp): { parts: string[]; seps: string[] } {
  const parts: string[] = [];
  const seps: string[] = [];
  const re = new RegExp(sep.source, 'y');
  let depth = 0;
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    if (depth === 0) {
      re.lastIndex = i;
      const r = re.exec(s);
      if (r && r[0].length > 0) {
        parts.push(s.slice(last, i));
        seps.push(r[0]);
        last = i + r[0].length;
        i += r[0].length - 1;
        continue;
      }
    }
    const c = s[i];
    if (c === '\\') {
      const n = s[i + 1];
      if (n === '{') depth++;
      else if (n === '}') depth--;
      i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  parts.push(s.slice(last));
  return { parts, seps };
}

/**
 * If `s` is wrapped by one bracket pair whose opener is closed by the final character (e.g.
 * `(1,2]` but not `(a+1)(b+2)`), return the opener, closer and inside; otherwise null.
 * `\{…\}` counts as a pair with opener `{`.
 */
export function outerBrackets(s: string): { open: string; close: string; inner: string } | null {
  const t = s.trim();
  let open: string;
  let body: string;
  if (t.startsWith('\\{') && t.endsWith('\\}')) {
    open = '{';
    body = t.slice(2, -2);
    // the \{ must be matched by the final \}
    return balanced(body) ? { open, close: '}', inner: body } : null;
  }
  if (!/^[([]/.test(t) || !/[)\]]$/.test(t) || t.length < 2) return null;
  open = t[0];
  body = t.slice(1, -1);
  return balanced(body) ? { open, close: t[t.length - 1], inner: body } : null;
}

/** True when brackets of any type are balanced (depth never negative, ends at 0). */
function balanced(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const n = s[i + 1];
      if (n === '{') depth++;
      else if (n === '}') depth--;
      i++;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}
