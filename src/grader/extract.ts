/** Final-answer extraction from a free-form model response. */
import { lastBoxedContent } from './latex';

const ANSWER_PHRASES = [
  /final answer\s*(?:is|:|=)\s*/gi,
  /the answer is\s*:?\s*/gi,
  /\banswer\s*:\s*/gi,
];

/**
 * Extract the final answer from a response.
 *
 * Order of attempts:
 * 1. the content of the last `\boxed{…}` / `\fbox{…}` (nested braces allowed);
 * 2. the text after the last "final answer is/:", then "the answer is", then "answer:";
 *    the first `$…$` span there is taken if present, else the rest of the line up to a
 *    sentence-ending period;
 * 3. the last number in the response (integer, decimal, or a/b fraction; commas as
 *    thousands separators kept).
 * Returns null when nothing answer-like is found. Never throws.
 */
export function extractAnswer(response: string): string | null {
  try {
    if (typeof response !== 'string' || response.trim() === '') return null;
    const boxed = lastBoxedContent(response);
    if (boxed !== null && boxed.trim() !== '') return boxed.trim();
    for (const re of ANSWER_PHRASES) {
      let lastEnd = -1;
      re.lastIndex = 0;
      for (let m = re.exec(response); m; m = re.exec(response)) lastEnd = m.index + m[0].length;
      if (lastEnd >= 0) {
        const ans = answerAfterPhrase(response.slice(lastEnd));
        if (ans) return ans;
      }
    }
    return lastNumber(response);
  } catch {
    return null;
  }
}

/** The answer written right after an "answer is" phrase. */
function answerAfterPhrase(rest: string): string | null {
  const line = rest.split('\n')[0].trim();
  const math = /^\$+([^$]+)\$+/.exec(line) ?? /^\\\((.+?)\\\)/.exec(line) ?? /^\\\[(.+?)\\\]/.exec(line);
  if (math) return math[1].trim() || null;
  // cut at a sentence end: a period followed by space/end that is not a decimal point
  const cut = /\.(?=\s|$)/.exec(line);
  let ans = (cut ? line.slice(0, cut.index) : line).trim();
  ans = ans.replace(/^[*_\s]+|[*_\s]+$/g, '').replace(/\$/g, '').trim();
  return ans === '' ? null : ans;
}

/** The last number in the text: -12, 3.5, 1,000, 7/8. */
function lastNumber(text: string): string | null {
  const re = /-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+\s*\/\s*\d+|-?\d*\.\d+|-?\d+/g;
  let last: string | null = null;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m[0];
  return last === null ? null : last.replace(/\s+/g, '');
}
