/** The stand-in world's character vocabulary: everything problems and solutions are written with. */
import { CharTokenizer } from '../engine/tokenizer';

export const WORLD_ALPHABET =
  ' \n0123456789+-*=()#.,?\'`{}\\_' + 'abcdefghijklmnopqrstuvwxyz' + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function worldTokenizer(): CharTokenizer {
  return new CharTokenizer(WORLD_ALPHABET, ['<pad>', '<eos>']);
}

/** Prefix of the Table 3 intervention ("Let's solve this using Python."), fed before sampling. */
export const FORCED_CODE_PREFIX = "Let's solve this using Python.\n";
