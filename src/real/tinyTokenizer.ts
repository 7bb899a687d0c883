/**
 * A tiny byte-level BPE tokenizer in Hugging Face format (tokenizer.json + tokenizer_config.json)
 * for tiny checkpoints (tests and notebook 09): Qwen's layout (ByteLevel pre-tokenizer and decoder, ChatML
 * special tokens) over 5 special tokens, the 256 byte symbols and a few merges. The special ids
 * match writeTinyCheckpoint's config: 1 = BOS, 2 and 3 = EOS (generation_config.json's [2, 3]).
 */
import * as fs from 'fs';
import * as path from 'path';

/** The Qwen2.5-Math chat template's structure, shortened: the default system message is the paper's instruction. */
export const QWEN_MATH_STYLE_TEMPLATE =
  "{%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}" +
  "{%- else %}{{- '<|im_start|>system\\nPlease reason step by step, and put your final answer within \\\\boxed{}.<|im_end|>\\n' }}{%- endif %}" +
  "{%- for message in messages %}{%- if not (message['role'] == 'system' and loop.first) %}" +
  "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{%- endif %}{%- endfor %}" +
  "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";

export const TINY_SPECIALS = ['<|pad|>', '<|bos|>', '<|endoftext|>', '<|im_end|>', '<|im_start|>'] as const;

/** GPT-2's byte → printable-character table, which byte-level BPE vocabularies are written in. */
export function bytesToUnicode(): string[] {
  const keep: number[] = [];
  for (let b = 33; b <= 126; b++) keep.push(b);
  for (let b = 161; b <= 172; b++) keep.push(b);
  for (let b = 174; b <= 255; b++) keep.push(b);
  const table = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) table[b] = keep.includes(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++);
  return table;
}

/** Merges in priority order ('Ġ' is the space byte). */
const MERGES: readonly [string, string][] = [
  ['Ġ', 't'], ['h', 'e'], ['Ġt', 'he'], ['Ġ', 'a'], ['i', 'n'], ['Ġ', 'i'], ['o', 'x'], ['b', 'ox'], ['\\', 'box'], ['e', 'd'],
  ['\\box', 'ed'], ['Ġ', 's'], ['Ġ', 'o'], ['e', 'r'], ['Ġ', '$'], ['Ċ', 'Ċ'], ['1', '2'], ['Ġ', '='],
];

export interface TinyTokenizerFiles {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  /** Number of ids (specials + bytes + merges). */
  size: number;
}

export function tinyTokenizer(opts: { chatTemplate?: string | null } = {}): TinyTokenizerFiles {
  const vocab: Record<string, number> = {};
  let id = TINY_SPECIALS.length;
  for (const ch of bytesToUnicode()) vocab[ch] = id++;
  for (const [a, b] of MERGES) {
    if (!(a in vocab) || !(b in vocab)) throw new Error(`tiny tokenizer: merge ${a} ${b} uses an unknown symbol`);
    vocab[a + b] = id++;
  }
  const addedTokens = TINY_SPECIALS.map((content, i) => ({ id: i, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: { type: 'NFC' },
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: byteLevel,
    decoder: byteLevel,
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges: MERGES.map(([a, b]) => `${a} ${b}`) },
  };
  const chatTemplate = opts.chatTemplate === undefined ? QWEN_MATH_STYLE_TEMPLATE : opts.chatTemplate;
  const tokenizerConfig: Record<string, unknown> = {
    add_bos_token: false,
    bos_token: null,
    eos_token: '<|endoftext|>',
    pad_token: '<|pad|>',
    clean_up_tokenization_spaces: false,
    model_max_length: 4096,
    tokenizer_class: 'Qwen2Tokenizer',
    ...(chatTemplate === null ? {} : { chat_template: chatTemplate }),
  };
  return { tokenizerJson, tokenizerConfig, size: id };
}

/** Writes tokenizer.json and tokenizer_config.json into `dir`; returns the vocabulary size. */
export function writeTinyTokenizer(dir: string, opts: { chatTemplate?: string | null } = {}): number {
  const t = tinyTokenizer(opts);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(t.tokenizerJson));
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(t.tokenizerConfig, null, 2));
  return t.size;
}
