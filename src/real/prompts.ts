/**
 * The prompt formats of the papers, as named options. Every format asks for the same thing: the
 * Qwen2.5-Math instruction "Please reason step by step, and put your final answer within
 * \boxed{}." (Paper A: "Including \boxed{} is specified in Qwen2.5-Math's system prompt"; it is
 * the default system message of Qwen2.5-Math's chat template).
 *
 *   none    no chat template: the question, a newline, the instruction. Paper B's "w/o template"
 *           setting, under which Qwen2.5-Math-7B scores 72.2 greedy on MATH-500.
 *   chat    the tokenizer's chat template with the instruction as the system message and the
 *           question as the user message, generation prompt open. For Qwen2.5-Math this is exactly
 *           what Paper A's released scripts feed (apply_chat_template; the template's default
 *           system message is the same instruction), and Paper B's "w/ template" (50.6).
 *   python  'chat', with the response forced to begin "Let's solve this using Python." (Paper A,
 *           Table 3's code-forcing prompt).
 */
import { RealTokenizer } from './tokenizer';

export const QWEN_MATH_INSTRUCTION = 'Please reason step by step, and put your final answer within \\boxed{}.';

/** The opening Paper A forces on every response in its code-forcing experiment (Table 3). */
export const CODE_FORCING_PREFIX = "Let's solve this using Python.";

export const PROMPT_FORMATS = ['none', 'chat', 'python'] as const;
export type PromptFormat = (typeof PROMPT_FORMATS)[number];

export const PROMPT_FORMAT_NOTES: Readonly<Record<PromptFormat, string>> = {
  none: 'no chat template: "<question>\\n<instruction>" (Paper B, w/o template)',
  chat: "tokenizer's chat template: system = instruction, user = question (Paper A's scripts; Paper B, w/ template)",
  python: "chat, response forced to start with \"Let's solve this using Python.\" (Paper A, Table 3)",
};

export function parsePromptFormat(name: string, label = '--template'): PromptFormat {
  if (!(PROMPT_FORMATS as readonly string[]).includes(name)) throw new Error(`${label} must be one of ${PROMPT_FORMATS.join(', ')}, got '${name}'`);
  return name as PromptFormat;
}

export interface RenderedPrompt {
  /** The prompt text the model continues. */
  text: string;
  /** Whether encoding adds the tokenizer's own special tokens (true only without a chat template). */
  addSpecialTokens: boolean;
}

/** The prompt text of one question in a format. */
export function renderPrompt(format: PromptFormat, question: string, tokenizer: RealTokenizer): RenderedPrompt {
  if (format === 'none') return { text: `${question}\n${QWEN_MATH_INSTRUCTION}`, addSpecialTokens: true };
  const chat = tokenizer.applyChatTemplate([
    { role: 'system', content: QWEN_MATH_INSTRUCTION },
    { role: 'user', content: question },
  ], { addGenerationPrompt: true });
  return { text: format === 'python' ? chat + CODE_FORCING_PREFIX : chat, addSpecialTokens: false };
}

/** The prompt's token ids. */
export function promptIds(format: PromptFormat, question: string, tokenizer: RealTokenizer): number[] {
  const p = renderPrompt(format, question, tokenizer);
  return tokenizer.encode(p.text, p.addSpecialTokens);
}
