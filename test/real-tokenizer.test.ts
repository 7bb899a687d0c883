/**
 * The tokenizer of real checkpoints and the prompt formats: the Qwen2.5 tokenizer shipped in
 * test/fixtures/real/qwen2.5 (see its SOURCE.md) for ids, round trips, special tokens and its own
 * chat template; the tiny test tokenizer for the prompt formats on a known template string.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { CODE_FORCING_PREFIX, PROMPT_FORMATS, QWEN_MATH_INSTRUCTION, parsePromptFormat, promptIds, renderPrompt } from '../src/real/prompts';
import { RealTokenizer, loadRealTokenizer } from '../src/real/tokenizer';
import { QWEN_MATH_STYLE_TEMPLATE, tinyTokenizer, writeTinyTokenizer } from './helpers/realTokenizer';

const FIXTURE = path.join(__dirname, 'fixtures', 'real', 'qwen2.5');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'real-tok-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let qwen: RealTokenizer;
beforeAll(() => {
  // The folder form a checkpoint has: tokenizer.json + tokenizer_config.json.
  const dir = path.join(tmp, 'qwen2.5');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), zlib.gunzipSync(fs.readFileSync(path.join(FIXTURE, 'tokenizer.json.gz'))));
  fs.copyFileSync(path.join(FIXTURE, 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
  qwen = loadRealTokenizer(dir);
});

describe('Qwen2.5 tokenizer', () => {
  test('known ids: words, digits one per token, ChatML markers as single special tokens', () => {
    expect(qwen.encode('Hello world', true)).toEqual([9707, 1879]);
    expect(qwen.encode('12345', false)).toHaveLength(5); // Qwen splits numbers into single digits
    expect(qwen.tokenId('<|endoftext|>')).toBe(151643);
    expect(qwen.tokenId('<|im_start|>')).toBe(151644);
    expect(qwen.tokenId('<|im_end|>')).toBe(151645);
    expect(qwen.encode('<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n', false)).toEqual([151644, 8948, 198, 2610, 525, 264, 10950, 17847, 13, 151645, 198]);
    expect(qwen.encode('<|im_start|>user\n', false)).toEqual([151644, 872, 198]);
    expect(qwen.size).toBe(151665);
    expect(qwen.special.eos_token).toBe('<|im_end|>');
    expect(qwen.special.pad_token).toBe('<|endoftext|>');
  });

  test('no special tokens are added to a plain string (Qwen has no BOS)', () => {
    const ids = qwen.encode('What is $1+1$?', true);
    expect(ids).toEqual(qwen.encode('What is $1+1$?', false));
    expect(ids.some((id) => id >= 151643)).toBe(false);
  });

  test('encode → decode is the identity on LaTeX, code, whitespace and non-ASCII text', () => {
    const texts = [
      'Find $\\frac{1}{2} + \\sqrt{3}$ and put it in \\boxed{}.',
      '```python\nx = [i**2 for i in range(10)]\nprint(sum(x))\n```',
      '  two  spaces,\ttab,\n\nblank line, trailing space ',
      'Grüße, 数学, émigré — “quotes” … ∑_{k=1}^n k²',
      '',
    ];
    for (const t of texts) expect(qwen.decode(qwen.encode(t, true), false)).toBe(t);
  });

  test('decoding drops special tokens unless asked to keep them', () => {
    const ids = [151644, ...qwen.encode('assistant\nThe answer is 4.', false), 151645, 151643];
    expect(qwen.decode(ids)).toBe('assistant\nThe answer is 4.');
    expect(qwen.decode(ids, false)).toBe('<|im_start|>assistant\nThe answer is 4.<|im_end|><|endoftext|>');
    expect(qwen.decode([])).toBe('');
  });

  test('stop ids are its EOS and the end-of-turn markers it has', () => {
    expect(qwen.stopTokenIds().sort()).toEqual([151643, 151645]);
  });

  test("its own chat template (Qwen2.5-Instruct's) renders as transformers does", () => {
    expect(qwen.applyChatTemplate([{ role: 'system', content: 'S' }, { role: 'user', content: 'Q' }])).toBe(
      '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n',
    );
    expect(qwen.applyChatTemplate([{ role: 'user', content: 'Q' }], { addGenerationPrompt: false })).toBe(
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n',
    );
  });

  test("the 'chat' format's ids are the rendered template's, with the markers as single tokens", () => {
    const ids = promptIds('chat', 'What is 2+2?', qwen);
    expect(ids[0]).toBe(151644);
    expect(ids.slice(-3)).toEqual([151644, 77091, 198]); // <|im_start|>assistant\n
    expect(qwen.decode(ids, false)).toBe(renderPrompt('chat', 'What is 2+2?', qwen).text);
  });
});

describe('prompt formats on a known template', () => {
  const t = tinyTokenizer();
  const tiny = new RealTokenizer(t.tokenizerJson, t.tokenizerConfig, 'tiny');
  const q = 'What is $1+1$?';

  test('none: the question, a newline and the Qwen2.5-Math instruction; no template', () => {
    expect(QWEN_MATH_INSTRUCTION).toBe('Please reason step by step, and put your final answer within \\boxed{}.');
    expect(renderPrompt('none', q, tiny)).toEqual({ text: `${q}\n${QWEN_MATH_INSTRUCTION}`, addSpecialTokens: true });
  });

  test('chat: system = instruction, user = question, generation prompt open', () => {
    const expected = `<|im_start|>system\n${QWEN_MATH_INSTRUCTION}<|im_end|>\n<|im_start|>user\n${q}<|im_end|>\n<|im_start|>assistant\n`;
    expect(renderPrompt('chat', q, tiny)).toEqual({ text: expected, addSpecialTokens: false });
    // Qwen2.5-Math's default system message is the same instruction, so a user-only chat renders alike.
    expect(tiny.applyChatTemplate([{ role: 'user', content: q }])).toBe(expected);
  });

  test("python: 'chat' with the response forced to start with Table 3's sentence", () => {
    expect(CODE_FORCING_PREFIX).toBe("Let's solve this using Python.");
    expect(renderPrompt('python', q, tiny).text).toBe(renderPrompt('chat', q, tiny).text + CODE_FORCING_PREFIX);
  });

  test('the formats are named options, and an unknown name is an error', () => {
    expect([...PROMPT_FORMATS]).toEqual(['none', 'chat', 'python']);
    expect(parsePromptFormat('chat')).toBe('chat');
    expect(() => parsePromptFormat('raw')).toThrow("--template must be one of none, chat, python, got 'raw'");
  });

  test('the tiny tokenizer round-trips and its ids match the tiny checkpoints (1 BOS, 2 and 3 EOS)', () => {
    const text = 'The answer is \\boxed{12}.\n\nok';
    const ids = tiny.encode(text, true);
    expect(tiny.decode(ids)).toBe(text);
    expect(ids.length).toBeLessThan(Buffer.byteLength(text)); // merges apply
    expect(tiny.tokenId('<|endoftext|>')).toBe(2);
    expect(tiny.tokenId('<|im_end|>')).toBe(3);
    expect(tiny.stopTokenIds().sort()).toEqual([2, 3]);
    expect(tiny.size).toBe(t.size);
  });

  test('a checkpoint without a chat template works with none and names the fix for chat', () => {
    const bare = new RealTokenizer(t.tokenizerJson, tinyTokenizer({ chatTemplate: null }).tokenizerConfig, '/models/base');
    expect(promptIds('none', q, bare).length).toBeGreaterThan(0);
    expect(() => renderPrompt('chat', q, bare)).toThrow("/models/base: no chat template (tokenizer_config.json has no 'chat_template' and there is no chat_template.jinja); use the 'none' prompt format");
  });
});

describe('loading from a folder', () => {
  test('chat_template.jinja overrides tokenizer_config.json, as in newer checkpoints', () => {
    const dir = path.join(tmp, 'jinja');
    writeTinyTokenizer(dir, { chatTemplate: null });
    fs.writeFileSync(path.join(dir, 'chat_template.jinja'), '{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}[assistant] {% endif %}');
    const tok = loadRealTokenizer(dir);
    expect(tok.applyChatTemplate([{ role: 'user', content: 'hi' }])).toBe('[user] hi\n[assistant] ');
    expect(QWEN_MATH_STYLE_TEMPLATE).toContain('Please reason step by step');
  });

  test('raise_exception in a template and a missing tokenizer.json are one-line errors naming the source', () => {
    const dir = path.join(tmp, 'raise');
    writeTinyTokenizer(dir, { chatTemplate: "{{ raise_exception('Conversation roles must alternate') }}" });
    expect(() => loadRealTokenizer(dir).applyChatTemplate([{ role: 'user', content: 'x' }])).toThrow(`${dir}: chat template: Conversation roles must alternate`);
    expect(() => loadRealTokenizer(path.join(tmp, 'nowhere'))).toThrow(/nowhere\/tokenizer\.json: file not found/);
  });
});
