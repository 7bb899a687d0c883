/**
 * `npm run real -- plan`: memory per phase from config.json alone. Every shipped config-only folder
 * (datasets/model-configs/) plans; the numbers are estimateMemory's at the shapes the code runs;
 * a folder of folders prints one table; the README's pasted plan output is what the command prints
 * now; bad input fails with one line naming the file or field.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { realCli } from '../scripts/real';
import { estimateMemory, readRealConfig } from '../src/real/config';
import { MODEL_CONFIGS_DIR, PlanSettings, checkpointFolders, evaluationsPerRun, extrapolateWallTime, formatDuration, measuredEvalSeconds, paperPlanSettings, planReal } from '../src/real/plan';
import { writeTinyRealCheckpoint } from '../src/real/tinyCheckpoint';

const ROOT = path.join(__dirname, '..');
const CONFIGS = path.join(ROOT, 'datasets', 'model-configs');
const PAPER: PlanSettings = { promptTokens: 512, evalMaxNewTokens: 3072, maxNewTokens: 3072, groupSize: 16, prompts: 64, microBatch: 4, miniBatch: 128, steps: 150 };

test("the paper's plan settings are Appendix A's, and the shipped configs are where plan looks", () => {
  expect(paperPlanSettings()).toEqual(PAPER);
  expect(MODEL_CONFIGS_DIR).toBe(CONFIGS);
});

async function cli(...argv: string[]): Promise<string[]> {
  const out: string[] = [];
  await realCli(argv, (line) => out.push(line));
  return out;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'real-plan-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('shipped config-only checkpoints', () => {
  const folders = checkpointFolders(CONFIGS);

  it('include the README-named checkpoints and each is sourced in the README beside them', () => {
    const names = folders.map((d) => path.basename(d));
    expect(names).toEqual(expect.arrayContaining(['Qwen2.5-Math-1.5B', 'Qwen2.5-Math-7B', 'Llama-3.1-8B', 'Llama-3.1-8B-Instruct', 'OLMo-2-1124-7B']));
    const readme = fs.readFileSync(path.join(CONFIGS, 'README.md'), 'utf8');
    for (const n of names) expect(readme).toContain(`| \`${n}\` | \`config.json\``);
    for (const d of folders) expect(fs.readdirSync(d).filter((f) => f.endsWith('.safetensors'))).toEqual([]);
  });

  it.each(checkpointFolders(CONFIGS).map((d) => [path.basename(d), d]))('plan --model %s prints every phase, without weights', async (name, dir) => {
    const lines = await cli('plan', '--model', dir);
    expect(lines[0]).toMatch(new RegExp(`^# ${name.replace(/\./g, '\\.')}: (qwen2|llama|olmo2), [\\d.]+B parameters, .*config only \\(no \\*\\.safetensors\\)`));
    expect(lines.some((l) => /^evaluation, greedy, one problem at a time \(1 × 3584 tokens\): weights [\d.]+ GB \+ KV cache \+ activations [\d.]+ GB = [\d.]+ GB$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('GRPO rollouts, G = 16 responses decoded together (16 × 3584; AdamW state resident)'))).toBe(true);
    expect(lines.some((l) => /^GRPO update, one micro-batch \(4 × 3584\): weights .* \+ AdamW .* \+ grads .* \+ activations .* = [\d.]+ GB$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('GRPO peak: '))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/^expected throughput: unmeasured on a GPU here/);
  });

  it('parameter counts match the published sizes', () => {
    const params = (name: string) => planReal(path.join(CONFIGS, name), PAPER).eval.memory.parameters;
    expect(params('Qwen2.5-Math-7B')).toBe(7_615_616_512);
    expect(params('Qwen2.5-Math-1.5B')).toBe(1_543_714_304);
    expect(params('Llama-3.1-8B')).toBe(8_030_261_248);
    expect(params('Llama-3.1-8B-Instruct')).toBe(8_030_261_248);
    expect(params('OLMo-2-1124-7B')).toBeGreaterThan(7.2e9);
    expect(params('OLMo-2-1124-7B')).toBeLessThan(7.4e9);
    // The Instruct config ends a response at any of its three end ids.
    expect(readRealConfig(path.join(CONFIGS, 'Llama-3.1-8B-Instruct')).eosTokenIds).toEqual([128001, 128008, 128009]);
  });
});

describe('plan numbers', () => {
  it("are estimateMemory's at the shapes the code runs", () => {
    const dir = path.join(CONFIGS, 'Qwen2.5-Math-1.5B');
    const cfg = readRealConfig(dir);
    const p = planReal(dir, { ...PAPER, microBatch: 2, groupSize: 8, maxNewTokens: 1024, evalMaxNewTokens: 2048, promptTokens: 300 });
    expect(p.eval.memory).toEqual(estimateMemory(cfg, { batch: 1, seqLen: 2348, training: false }));
    expect(p.update.memory).toEqual(estimateMemory(cfg, { batch: 2, seqLen: 1324, training: true }));
    const sampling = estimateMemory(cfg, { batch: 8, seqLen: 1324, training: false });
    expect(p.rollouts.memory).toEqual(sampling);
    expect(p.rollouts.totalBytes).toBe(sampling.totalBytes + 2 * sampling.weightBytes); // AdamW's moments stay allocated
    expect(p.peakBytes).toBe(Math.max(p.rollouts.totalBytes, p.update.totalBytes));
    expect(p.microBatchesPerUpdate).toBe(64);
    expect(p.accumulationExtraBytes).toBe(2 * p.update.memory.gradientBytes);
    expect(p.generatedTokensPerStep).toBe(64 * 8 * 1024);
    expect(planReal(dir, { ...PAPER, microBatch: 128 }).accumulationExtraBytes).toBe(0);
  });

  it('a folder of checkpoint folders prints one table row each; --json carries the numbers', async () => {
    const lines = await cli('plan', '--model', CONFIGS, '--micro-batch', '1', '--max-new-tokens', '1024');
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| model'));
    expect(rows.map((r) => r.split(' | ')[0].slice(2))).toEqual(checkpointFolders(CONFIGS).map((d) => path.basename(d)));
    expect(lines[0]).toContain('GRPO 64 prompts × G 16 × 1024 new tokens, micro-batch 1');
    const json = JSON.parse((await cli('plan', '--model', path.join(CONFIGS, 'Qwen2.5-Math-7B'), '--json'))[0]);
    expect(json).toHaveLength(1);
    expect(json[0]).toEqual(expect.objectContaining({ name: 'Qwen2.5-Math-7B', arch: 'qwen2', parameters: 7_615_616_512, weightFiles: [] }));
    expect(json[0].update.memory.totalBytes).toBeGreaterThan(json[0].eval.memory.totalBytes);
  });

  it('a checkpoint with weights says so, and warns when the sequence exceeds the position table', async () => {
    const { dir } = writeTinyRealCheckpoint(path.join(tmp, 'tiny'), 'qwen2', { seed: 1 });
    const lines = await cli('plan', '--model', dir, '--max-new-tokens', '8', '--eval-max-new-tokens', '8', '--prompt-tokens', '16', '--group-size', '2', '--micro-batch', '1');
    expect(lines[0]).toMatch(/^# tiny: qwen2, \d+ parameters, 2 layers, .*; 1 weight file\(s\), [\d.]+ MB on disk/);
    expect(lines.some((l) => l.startsWith('warning:'))).toBe(false);
    const long = await cli('plan', '--model', dir, '--prompt-tokens', '512');
    expect(long.some((l) => l === 'warning: 3584 tokens exceed this model\'s max_position_embeddings (256)')).toBe(true);
  });
});

describe('plan input errors are one line naming the file or field', () => {
  it.each([
    [['--model', path.join(tmp, 'missing')], /missing: not a folder$/],
    [['--group-size', '1', '--model', CONFIGS], /^--group-size must be an integer ≥ 2, got '1'$/],
    [['--micro-batch', '0', '--model', CONFIGS], /^--micro-batch must be an integer ≥ 1, got '0'$/],
    [[], /^--model is required/],
  ])('plan %j', async (argv, message) => {
    await expect(cli('plan', ...argv)).rejects.toThrow(message);
  });

  it('a config.json with a bad field names the file and the field', async () => {
    const dir = path.join(tmp, 'bad');
    fs.mkdirSync(dir, { recursive: true });
    const good = JSON.parse(fs.readFileSync(path.join(CONFIGS, 'Qwen2.5-Math-7B', 'config.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...good, num_key_value_heads: 5 }));
    await expect(cli('plan', '--model', dir)).rejects.toThrow(`${path.join(dir, 'config.json')}: field 'num_key_value_heads' (5) must divide num_attention_heads (28)`);
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty, { recursive: true });
    await expect(cli('plan', '--model', empty)).rejects.toThrow(`${empty}: no config.json, nor any subfolder with one`);
  });

  it('the settings checker names the field', () => {
    expect(() => planReal(path.join(CONFIGS, 'Qwen2.5-Math-7B'), { ...PAPER, steps: 0 })).toThrow("plan: field 'steps' must be a positive integer, got 0");
  });
});

describe("the README's pasted plan output", () => {
  // Each ```…``` block of README.md that starts with "$ npm run real -- plan …" must be exactly what that command prints now.
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```\n\$ npm run real -- (plan [^\n]*)\n([\s\S]*?)```/g)].map((m) => ({ command: m[1], printed: m[2].replace(/\n$/, '') }));

  it('there is at least one, and the table covers every shipped checkpoint', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    expect(blocks.some((b) => b.command.includes('--model datasets/model-configs') && !b.command.includes('datasets/model-configs/'))).toBe(true);
  });

  it.each(blocks.map((b) => [b.command, b.printed]))('%s', async (command, printed) => {
    const argv = command.split(/\s+/).map((a) => (a.startsWith('datasets/') ? path.join(ROOT, a) : a));
    const lines = await cli(...argv);
    expect(lines.join('\n')).toBe(printed);
  });

  it('--help lists the flags with their descriptions (child process, as npm runs it)', () => {
    const out = execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'real.ts'), 'plan', '--help'], { cwd: ROOT, env: { ...process.env, SR_QUIET: '1' } }).toString();
    expect(out).toMatch(/^usage: .*plan \[flags\]/);
    for (const flag of ['--model', '--micro-batch', '--max-new-tokens', '--group-size', '--prompts', '--eval-max-new-tokens', '--prompt-tokens', '--mini-batch', '--steps', '--json']) expect(out).toContain(flag);
    expect(out).toContain('rollouts per forward/backward pass; default: 4');
    expect(out).toContain('from config.json alone');
  });
});

describe('wall time from measured steps', () => {
  it('counts the loop\'s evaluations and extrapolates the mean measured step', () => {
    expect(evaluationsPerRun(4, 2)).toBe(3); // steps 0, 2, 4
    expect(evaluationsPerRun(5, 2)).toBe(4); // 0, 2, 4 and the last, 5
    expect(evaluationsPerRun(150, 0)).toBe(0);
    const rows = [{ step: 0, sample_s: 0, train_s: 0 }, { step: 1, sample_s: 2, train_s: 1 }, { step: 2, sample_s: 4, train_s: 1 }];
    expect(extrapolateWallTime(rows, { steps: 150, evalEvery: 50, evalSeconds: 10 })).toEqual({ secondsPerStep: 4, measuredSteps: 2, evaluations: 4, seconds: 150 * 4 + 4 * 10 });
    expect(() => extrapolateWallTime([{ step: 0, sample_s: 0, train_s: 0 }], { steps: 1, evalEvery: 0, evalSeconds: 0 })).toThrow('extrapolateWallTime: no trained step in the log (rows with step > 0)');
    // A 2-step run with evaluations at steps 0 and 2 that took 14 s, 8 s of it in steps: 3 s per evaluation.
    expect(measuredEvalSeconds(rows, 14, 2)).toBe(3);
    expect(measuredEvalSeconds(rows, 14, 0)).toBe(0);
    expect([formatDuration(42), formatDuration(600), formatDuration(86400), formatDuration(3 * 86400)]).toEqual(['42 s', '10.0 min', '24.0 h', '3.0 days']);
  });
});
