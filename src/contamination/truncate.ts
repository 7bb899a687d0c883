/**
 * Paper B's partial prompts, as the official code builds them (LLM-Math-Evaluation,
 * inference_vllm.py `truncate_prompt` and the target of `cal_rouge`).
 */
import { codePoints, pyRstrip, pyStrip } from './text';

/** A cut is moved forward to the first of these characters; the character itself is not kept. */
export const TRUNCATION_BOUNDARY = ' \n,.!?)]}';

/** The prefix ratios of Paper B's ROUGE-L / EM tables; answer accuracy adds the full prompt (1.0). */
export const AUDIT_RATIOS = [0.4, 0.6, 0.8] as const;
export const ACCURACY_RATIOS = [0.4, 0.6, 0.8, 1.0] as const;

/**
 * The first `ratio` of `prompt`: cut = floor(len · ratio) in code points, moved forward to the
 * next boundary character (which is dropped, so a prefix may end just before "?" or ")"), then
 * right-stripped. No boundary after the cut keeps the whole prompt, right-stripped. ratio ≥ 1
 * returns the prompt untouched (not stripped), as the official code does.
 */
export function truncatePrompt(prompt: string, ratio: number): string {
  if (!Number.isFinite(ratio) || ratio < 0) throw new Error(`truncatePrompt: ratio must be a finite number ≥ 0, got ${ratio}`);
  if (ratio >= 1) return prompt;
  const cp = codePoints(prompt);
  // Python's int() truncates; for len · ratio ≥ 0 that is floor, and the double product is the same.
  let cut = Math.floor(cp.length * ratio);
  if (cut >= cp.length) return prompt;
  while (cut < cp.length && !TRUNCATION_BOUNDARY.includes(cp[cut])) cut++;
  return pyRstrip(cp.slice(0, cut).join(''));
}

/**
 * The part of `original` the model should reproduce after `prefix`: original[len(prefix):].strip().
 * The official code slices without checking; a prefix that is not a prefix is a caller's bug here.
 */
export function continuationTarget(original: string, prefix: string): string {
  if (!original.startsWith(prefix)) throw new Error(`continuationTarget: prefix is not a prefix of the prompt ("${prefix.slice(0, 40)}")`);
  return pyStrip(codePoints(original).slice(codePoints(prefix).length).join(''));
}
