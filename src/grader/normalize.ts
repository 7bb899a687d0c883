/**
 * String-level normalisation of a final answer: strips presentation (delimiters, spacing,
 * \left/\right, units, degrees, dollar signs, thousands separators) and leaves the mathematical
 * content as LaTeX. No parsing happens here.
 */
import { lastBoxedContent, readBraced } from './latex';

/** A normalised answer: the cleaned LaTeX and whether a trailing percent sign was removed. */
export interface NormalizedAnswer {
  text: string;
  percent: boolean;
}

/** Unit words stripped after a plain number ("864 square inches" → "864"). */
const UNIT_WORDS = new Set(
  ('unit units square sq cubic cm mm m km in inch inches ft foot feet yd yard yards meter meters metre metres ' +
    'mile miles degree degrees deg cent cents dollar dollars hour hours hr hrs minute minutes min second seconds ' +
    'sec day days week weeks year years mph kg g gram grams pound pounds lb lbs liter liters ml people students ways')
    .split(' '),
);

const ROW_SEP = '\u0001';

/** Normalise one answer string (which may still contain `\boxed{}` or `$…$`). */
export function normalizeAnswer(raw: string): NormalizedAnswer {
  let s = String(raw).trim();
  if (/\\(boxed|fbox)(?![A-Za-z])/.test(s)) s = lastBoxedContent(s) ?? s;

  // unicode forms a model may emit
  s = s
    .replace(/[\u2212\u2013]/g, '-')
    .replace(/\u00d7/g, '\\times ')
    .replace(/\u00b7/g, '\\cdot ')
    .replace(/\u03c0/g, '\\pi ')
    .replace(/\u221e/g, '\\infty ')
    .replace(/\u221a/g, '\\sqrt')
    .replace(/\u00b0/g, '^\\circ')
    .replace(/[\u2264\u2a7d]/g, '\\le ')
    .replace(/[\u2265\u2a7e]/g, '\\ge ')
    .replace(/\u2260/g, '\\ne ');

  s = s.replace(/\\\\/g, ROW_SEP); // protect matrix row separators from the spacing rules
  s = s.replace(/\\\$/g, '').replace(/\$/g, '');
  s = s.replace(/\\(left|right)\s*\./g, '');
  s = s.replace(/\\(left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|big|Big|bigg|Bigg)(?![A-Za-z])/g, '');
  s = s.replace(/\\[()[\]]/g, ''); // \( \) \[ \] display delimiters
  s = s.replace(/\\displaystyle/g, '');
  s = s.replace(/\\(dfrac|tfrac|cfrac)(?![A-Za-z])/g, '\\frac');
  s = s.replace(/\\(mbox|textbf|textrm|textit|mathrm|mathbf|mathit|textnormal|operatorname)(?![A-Za-z])/g, '\\text');

  // thousands separators: 1{,}000 (also "14 {, }916"), 10,\!080, 1\,000
  s = s.replace(/(\d)\s*\{\s*,\s*\}\s*(?=\d{3}(?!\d))/g, '$1');
  s = s.replace(/(\d),\\!\s*(?=\d{3}(?!\d))/g, '$1');
  s = s.replace(/(\d)\\,(?=\d{3}(?!\d))/g, '$1');
  // spacing commands
  s = s.replace(/\\[!,;:> ]/g, ' ').replace(/\\q?quad(?![A-Za-z])/g, ' ').replace(/~/g, ' ');

  // degrees
  s = s.replace(/\^\s*\{\s*\\circ\s*\}/g, '').replace(/\^\s*\\circ/g, '').replace(/\\circ(?![A-Za-z])/g, '');
  s = s.replace(/\\degree(?![A-Za-z])/g, '');

  // percent, also as a word after a number ("28 percent", "28 pct", "28\text{ percent}")
  s = s.replace(/\\%/g, '%');
  s = s.replace(/\\text\s*\{\s*(?:percent|percentage|pct)\s*\}/gi, '%');
  s = s.replace(/([\d}.])\s*(?:percent|percentage|pct)\b/gi, '$1%');
  const percent = /%\s*\.?\s*$/.test(s);
  s = s.replace(/%/g, '');

  // connectives written as text become list separators
  s = s.replace(/\\text\{\s*(or|and)\s*\}/g, ',');
  s = stripTextUnits(s);

  // "x \in [a,b]" → "[a,b]"
  s = s.replace(/^\s*[A-Za-z]\s*\\in(?![A-Za-z])\s*/, '');

  s = s.replace(/\s+/g, ' ').trim();
  s = s.replace(/[.\s]+$/, ''); // trailing period
  s = stripPlainUnits(s);
  s = s.replace(/^(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?)$/, (m) => m.replace(/,/g, '')); // 1,000 → 1000
  s = s.split(ROW_SEP).join('\\\\');
  return { text: s.trim(), percent };
}

/**
 * Remove `\text{…}` blocks (and an exponent right after, as in `\text{ cm}^2`) when something
 * else remains, i.e. they are units. An answer that is only text is kept as is. Multiple-choice
 * letters `\text{(A)}` are kept.
 */
function stripTextUnits(s: string): string {
  if (!s.includes('\\text')) return s;
  let out = '';
  let i = 0;
  let removed = false;
  while (i < s.length) {
    const m = /^\\text\s*/.exec(s.slice(i));
    if (m) {
      const g = readBraced(s, i + m[0].length);
      if (g && !/^\s*\(?[A-E]\)?\s*$/.test(g.content)) {
        let end = g.end;
        const exp = /^\s*\^\s*(\{\s*\d\s*\}|\d)/.exec(s.slice(end));
        if (exp) end += exp[0].length;
        removed = true;
        i = end;
        out += ' ';
        continue;
      }
    }
    out += s[i];
    i++;
  }
  if (!removed) return s;
  return /[0-9A-Za-z\\]/.test(out) ? out : s;
}

/** "5.4 cents" → "5.4", "864 square inches" → "864"; only after a plain number. */
function stripPlainUnits(s: string): string {
  const m = /^(-?[\d.,]*\d[\d.]*)\s+([A-Za-z][A-Za-z ]*?)(\s*\^\s*\{?\d\}?)?$/.exec(s);
  if (!m) return s;
  const first = m[2].split(' ')[0].toLowerCase();
  return UNIT_WORDS.has(first) ? m[1] : s;
}
