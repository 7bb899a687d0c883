/**
 * H5 (format): a prompt template wraps every problem's prompt — in training rollouts and in every
 * evaluation — so the phase map can ask whether a reward, random included, "helps" by restoring a
 * format the prior handles poorly (the paper's prompt table spans 49.4–68.8 on one model; Paper B's
 * template effect is 72.2 vs 50.6). The template is plain text with one `{prompt}` slot; the world's
 * tokenizer must be able to write it, since the stand-in has no other vocabulary.
 */
import { Problem } from './problems';
import { worldTokenizer } from './vocab';

export const PROMPT_SLOT = '{prompt}';

/** Why a template cannot be used (one line), or null when it can. */
export function promptTemplateError(template: unknown): string | null {
  if (typeof template !== 'string') return `must be a string with one ${PROMPT_SLOT}, got ${JSON.stringify(template)}`;
  const slots = template.split(PROMPT_SLOT).length - 1;
  if (slots !== 1) return `must contain ${PROMPT_SLOT} exactly once, found ${slots} in ${JSON.stringify(template)}`;
  try {
    worldTokenizer().encode(template.replace(PROMPT_SLOT, ''));
  } catch (e) {
    return `cannot be written with the world's vocabulary (${(e as Error).message})`;
  }
  return null;
}

export function wrapPrompt(template: string, prompt: string): string {
  const i = template.indexOf(PROMPT_SLOT);
  if (i < 0) throw new Error(`prompt template ${JSON.stringify(template)} has no ${PROMPT_SLOT}`);
  return template.slice(0, i) + prompt + template.slice(i + PROMPT_SLOT.length);
}

/** The problems as the policy sees them under a template (unchanged without one). */
export function wrapProblems(problems: readonly Problem[], template: string | undefined): Problem[] {
  return template === undefined ? [...problems] : problems.map((p) => ({ ...p, prompt: wrapPrompt(template, p.prompt) }));
}

/**
 * The H5 candidates, written before any was measured. The format cell (src/rl/phase.ts) uses the
 * one the prior handles worst by `worstHandledTemplate` (src/rl/formatProbe.ts): lowest greedy
 * answer-parse rate at step 0 among those still parsing ≥ 20%, so that a correct reward keeps a signal.
 */
export const H5_TEMPLATE_CANDIDATES: readonly { id: string; template: string }[] = [
  { id: 'question-answer', template: 'Question\n{prompt}\nAnswer\n' },
  { id: 'think-suffix', template: "{prompt}\nLet's think step by step." },
  { id: 'comment-prefix', template: '# {prompt}' },
  { id: 'instruction', template: 'Solve it and give the answer.\n{prompt}' },
];
