/**
 * The stand-in world's vocabulary: every character problems and solutions are written with, plus
 * multi-character pieces — each number 10–99 and the recurring words of prompts and solutions — so
 * that a number is one token (like the digit-group tokens of real LLM vocabularies). A ~1M-parameter
 * model then learns arithmetic as facts about tokens and copies values with one attention lookup,
 * instead of composing digits; documents also get ~3× shorter, which is what the CPU budget needs.
 */
import { CharTokenizer } from '../engine/tokenizer';
import { NAMES, THINGS } from './problems';

export const WORLD_ALPHABET =
  ' \n0123456789+-*=()#.,?\'`{}\\_' + 'abcdefghijklmnopqrstuvwxyz' + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Prefix of the Table 3 intervention ("Let's solve this using Python."), fed before sampling. */
export const FORCED_CODE_PREFIX = "Let's solve this using Python.\n";

const NUMBER_PIECES = Array.from({ length: 90 }, (_, i) => String(10 + i));
const WORD_PIECES = [
  FORCED_CODE_PREFIX.trimEnd(),
  '```python\n', '```output\n', '```', 'print(x)', 'x=x', ' # ',
  'The answer is ', '\\boxed{', 'Compute ', 'How many now?',
  ' has ', ' gets ', ' finds ', ' loses ', ' gives away ', ' more', ' times as many',
  ...NAMES, ...THINGS.map((t) => ` ${t}`),
];
export const WORLD_PIECES: readonly string[] = [...NUMBER_PIECES, ...WORD_PIECES];

export function worldTokenizer(): CharTokenizer {
  return new CharTokenizer(WORLD_ALPHABET, ['<pad>', '<eos>'], WORLD_PIECES);
}
