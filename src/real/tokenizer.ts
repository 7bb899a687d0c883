/**
 * A Hugging Face tokenizer from a checkpoint folder: `tokenizer.json` (the BPE/Unigram model, run by
 * @huggingface/tokenizers) plus `tokenizer_config.json` (special tokens and the chat template, a
 * Jinja string rendered by @huggingface/jinja). The chat template may also come from
 * `chat_template.jinja` or `chat_template.json`, where newer checkpoints keep it.
 *
 * Conventions follow transformers: a plain string is encoded with the tokenizer's special tokens
 * (Llama's BOS), a rendered chat template without them (the template writes its own BOS).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Tokenizer } from '@huggingface/tokenizers';
import { Template } from '@huggingface/jinja';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

type Json = Record<string, unknown>;

/** Tokens that end an assistant turn in the chat templates of the paper's models (Qwen, Llama 3, OLMo 2). */
export const END_OF_TURN_TOKENS: readonly string[] = ['<|im_end|>', '<|eot_id|>', '<|endoftext|>', '<|end_of_text|>'];

const SPECIAL_KEYS = ['bos_token', 'eos_token', 'unk_token', 'pad_token', 'sep_token', 'cls_token', 'mask_token'] as const;

/** A special token as tokenizer_config.json writes it: a string, or an AddedToken object with `content`. */
function tokenString(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as Json).content === 'string') return (v as Json).content as string;
  return null;
}

export class RealTokenizer {
  private readonly tok: Tokenizer;
  private readonly config: Json;
  private template: Template | null = null;
  /** Special token strings by role (bos_token, eos_token, …); absent roles are left out. */
  readonly special: Readonly<Record<string, string>>;
  /** The Jinja chat template, or null when the checkpoint has none (base models often do not). */
  readonly chatTemplate: string | null;
  /** Ids + 1 of the largest token id the tokenizer knows (regular and added tokens). */
  readonly size: number;

  /** `label` names the source (folder or file) in error messages. */
  constructor(tokenizerJson: unknown, config: unknown, readonly label: string, chatTemplate?: string | null) {
    if (!tokenizerJson || typeof tokenizerJson !== 'object' || !('model' in (tokenizerJson as Json))) {
      throw new Error(`${label}: tokenizer.json has no 'model' field (not a Hugging Face tokenizers file)`);
    }
    this.config = config && typeof config === 'object' && !Array.isArray(config) ? (config as Json) : {};
    // @huggingface/tokenizers reads optional fields with `??`, but insists they exist as keys.
    const tj = { normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, added_tokens: [], ...(tokenizerJson as Json) };
    try {
      this.tok = new Tokenizer(tj, this.config);
    } catch (e) {
      throw new Error(`${label}: cannot build the tokenizer (${(e as Error).message.split('\n')[0]})`);
    }
    const special: Record<string, string> = {};
    for (const k of SPECIAL_KEYS) {
      const s = tokenString(this.config[k]);
      if (s !== null) special[k] = s;
    }
    this.special = special;
    this.chatTemplate = chatTemplate !== undefined ? chatTemplate : templateFromConfig(this.config, label);
    let max = -1;
    for (const id of this.tok.get_vocab(true).values()) if (id > max) max = id;
    this.size = max + 1;
  }

  /** Token ids of `text`; `addSpecialTokens` adds what the tokenizer's post-processor adds (e.g. Llama's BOS). */
  encode(text: string, addSpecialTokens: boolean): number[] {
    return this.tok.encode(text, { add_special_tokens: addSpecialTokens }).ids;
  }

  /** Text of `ids`; special tokens (EOS, chat markers) are dropped unless `skipSpecialTokens` is false. Unknown ids decode to nothing. */
  decode(ids: readonly number[], skipSpecialTokens = true): string {
    if (ids.length === 0) return '';
    return this.tok.decode([...ids], { skip_special_tokens: skipSpecialTokens });
  }

  /** The id of one token string, or undefined. */
  tokenId(token: string): number | undefined {
    return this.tok.token_to_id(token);
  }

  /**
   * The chat template rendered for `messages`, as transformers' apply_chat_template(tokenize=False)
   * does: the special tokens are in scope, `add_generation_prompt` opens the assistant turn, and
   * the template's `raise_exception` fails with its message. No `strftime_now`: templates that date
   * their system prompt (Llama 3.x) then use their fixed default date, so a prompt is reproducible.
   */
  applyChatTemplate(messages: readonly ChatMessage[], opts: { addGenerationPrompt?: boolean } = {}): string {
    if (this.chatTemplate === null) {
      throw new Error(`${this.label}: no chat template (tokenizer_config.json has no 'chat_template' and there is no chat_template.jinja); use the 'none' prompt format`);
    }
    if (!this.template) {
      try {
        this.template = new Template(this.chatTemplate);
      } catch (e) {
        throw new Error(`${this.label}: chat template does not parse (${(e as Error).message.split('\n')[0]})`);
      }
    }
    try {
      return this.template.render({ ...this.special, messages: messages.map((m) => ({ ...m })), add_generation_prompt: opts.addGenerationPrompt ?? true });
    } catch (e) {
      throw new Error(`${this.label}: chat template: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  /**
   * Ids that end a response: the tokenizer's EOS plus every end-of-turn token it has. A base model
   * prompted with a chat template ends its turn with the template's marker, which its
   * config.json need not list as EOS.
   */
  stopTokenIds(): number[] {
    const names = [this.special.eos_token, ...END_OF_TURN_TOKENS].filter((s): s is string => typeof s === 'string');
    const ids = names.map((s) => this.tokenId(s)).filter((id): id is number => id !== undefined);
    return [...new Set(ids)];
  }
}

/** `chat_template` of tokenizer_config.json: a string, or a list of named templates (the one named 'default'). */
function templateFromConfig(config: Json, label: string): string | null {
  const t = config.chat_template;
  if (t === undefined || t === null) return null;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const named = t.find((x) => x && typeof x === 'object' && (x as Json).name === 'default') as Json | undefined;
    if (named && typeof named.template === 'string') return named.template;
    throw new Error(`${label}: field 'chat_template' is a list without a template named 'default'`);
  }
  throw new Error(`${label}: field 'chat_template' must be a string or a list of {name, template}`);
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as Error).message.split('\n')[0]})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: invalid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

/** Loads the tokenizer of a checkpoint folder (tokenizer.json required, tokenizer_config.json optional). */
export function loadRealTokenizer(dir: string): RealTokenizer {
  const tjFile = path.join(dir, 'tokenizer.json');
  if (!fs.existsSync(tjFile)) {
    throw new Error(`${tjFile}: file not found (only the fast-tokenizer format is supported; a checkpoint with only vocab.json/merges.txt or tokenizer.model needs its tokenizer.json)`);
  }
  const cfgFile = path.join(dir, 'tokenizer_config.json');
  const config = fs.existsSync(cfgFile) ? readJson(cfgFile) : {};
  let chatTemplate: string | null | undefined;
  const jinjaFile = path.join(dir, 'chat_template.jinja');
  const jsonFile = path.join(dir, 'chat_template.json');
  if (fs.existsSync(jinjaFile)) chatTemplate = fs.readFileSync(jinjaFile, 'utf8');
  else if (fs.existsSync(jsonFile)) {
    const t = (readJson(jsonFile) as Json).chat_template;
    if (typeof t !== 'string') throw new Error(`${jsonFile}: field 'chat_template' must be a string`);
    chatTemplate = t;
  }
  return new RealTokenizer(readJson(tjFile), config, dir, chatTemplate);
}
