/**
 * End to end on a tiny Qwen2-architecture checkpoint with a tiny tokenizer, on the wasm backend:
 * `real eval --limit 3` (once through the real entry point as a child process), 2 steps of
 * `real grpo` on a tiny JSONL, `real export` of that run, and a run interrupted after its first
 * step that resumes to the same log as an uninterrupted one.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { readJsonl } from '../src/engine/jsonl';
import { RealStepLog, runRealGrpo } from '../src/real/policy';
import { loadRealModel } from '../src/real/model';
import { RealGrpoConfig } from '../src/real/runConfig';
import { stopIdsOf } from '../src/real/session';
import { loadRealTokenizer } from '../src/real/tokenizer';
import { realCli } from '../scripts/real';
import { writeTinyCheckpoint } from './helpers/realTiny';
import { writeTinyTokenizer } from './helpers/realTokenizer';

const ROOT = path.join(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'real-pipeline-'));
const model = path.join(tmp, 'tiny-qwen2');
const data = path.join(tmp, 'train.jsonl');

beforeAll(async () => {
  process.env.SR_BACKEND = 'wasm';
  await initBackend({ quiet: true });
  const vocab = writeTinyTokenizer(model);
  writeTinyCheckpoint(model, 'qwen2', { vocabSize: vocab, seed: 3 });
  const rows = [['What is $1+1$?', '2'], ['Compute $2\\times 3$.', '6'], ['Simplify $\\frac{4}{2}$.', '2'], ['What is 3+4?', '7']];
  fs.writeFileSync(data, rows.map(([problem, answer]) => JSON.stringify({ problem, answer, source: 'tiny' })).join('\n') + '\n');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** realCli in-process; returns what it printed. */
async function cli(...argv: string[]): Promise<string[]> {
  const out: string[] = [];
  await realCli(argv, (line) => out.push(line));
  return out;
}

const TINY_RUN = ['--model', model, '--data', data, '--reward', 'random', '--gamma', '0.5', '--steps', '2', '--prompts', '2', '--group-size', '4', '--mini-batch', '4', '--micro-batch', '2', '--lr', '1e-3', '--max-new-tokens', '10', '--seed', '5'];

test('npm run real -- eval --limit 3 --json: accuracy, parse rate and the number of problems', () => {
  const stdout = execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'real.ts'), 'eval', '--model', model, '--bench', 'math500', '--limit', '3', '--max-new-tokens', '8', '--json', '--quiet'], { cwd: ROOT, env: { ...process.env, SR_BACKEND: 'wasm', SR_QUIET: '1' } }).toString();
  const r = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(r.problems).toBe(3);
  expect(r.benchmark).toBe('math500');
  expect(r.template).toBe('chat');
  expect(r.temperature).toBe(0);
  for (const k of ['accuracy', 'parseRate', 'boxedRate', 'codeRate', 'truncatedRate']) {
    expect(r[k]).toBeGreaterThanOrEqual(0);
    expect(r[k]).toBeLessThanOrEqual(1);
  }
  expect(r.meanResponseTokens).toBeGreaterThan(0);
  expect(r.meanResponseTokens).toBeLessThanOrEqual(8);
});

test('eval in-process writes per-problem records with --out; --template none works without the chat template', async () => {
  const out = path.join(tmp, 'eval.json');
  const printed = await cli('eval', '--model', model, '--limit', '2', '--template', 'none', '--max-new-tokens', '6', '--out', out, '--quiet');
  expect(printed[0]).toMatch(/^MATH-500 \(none, greedy, 2 problems\): accuracy \d\.\d{3} \(\d\/2\), answer parsed/);
  const saved = JSON.parse(fs.readFileSync(out, 'utf8'));
  expect(saved.records).toHaveLength(2);
  expect(saved.records[0]).toEqual(expect.objectContaining({ id: 'test/precalculus/807.json', gold: '\\left( 3, \\frac{\\pi}{2} \\right)' }));
});

test('real grpo: 2 steps write config.json, 2 log lines with finite loss, samples and summary.json', async () => {
  const runDir = path.join(tmp, 'run');
  const printed = await cli('grpo', ...TINY_RUN, '--run-dir', runDir, '--json', '--quiet');
  const summary = JSON.parse(printed[0]);
  expect(summary.run_dir).toBe(runDir);
  expect(summary.steps).toBe(2);
  const log = readJsonl<RealStepLog>(path.join(runDir, 'log.jsonl'));
  expect(log.map((r) => r.step)).toEqual([1, 2]);
  for (const row of log) {
    expect(row.reward_mean).toBeGreaterThanOrEqual(0);
    expect(row.reward_mean).toBeLessThanOrEqual(1);
    expect(row.response_length).toBeGreaterThan(0);
    expect(row.logprob_gap).toBeLessThan(1e-3); // the sampler's log-probs are the training forward's
    if (row.updates > 0) {
      expect(Number.isFinite(row.loss)).toBe(true);
      expect(row.grad_norm).toBeGreaterThan(0);
      for (const f of [row.clip_high!, row.clip_low!]) expect(f >= 0 && f <= 1).toBe(true);
    }
    // π_old is recomputed, so the first update is exactly on-policy and only the second can move ρ:
    // with lr 1e-3 it does, and the mean |ρ − 1| over both updates is positive but small.
    if (row.updates === 2) {
      expect(row.abs_ratio_dev).toBeGreaterThan(0);
      expect(row.abs_ratio_dev).toBeLessThan(0.5);
    }
  }
  expect(log.some((r) => r.updates > 0)).toBe(true);
  const cfg = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8'));
  expect(cfg).toEqual(expect.objectContaining({ model, data, reward: 'random', gamma: 0.5, steps: 2, run_id: 'tiny-qwen2__chat__random-0.5__clip__s5' }));
  expect(cfg.derived).toEqual({ prompts: 2, rollouts: 8, miniBatch: 4, updatesPerStep: 2 });
  expect(JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(summary, (k, v) => (k === 'run_dir' ? undefined : v))));
  expect(readJsonl(path.join(runDir, 'samples.jsonl')).length).toBeGreaterThan(0);

  // A finished run is not redone; export reads its config.json.
  expect(JSON.parse((await cli('grpo', ...TINY_RUN, '--run-dir', runDir, '--json', '--quiet'))[0]).steps).toBe(2);
  const exported = JSON.parse((await cli('export', '--run', path.join(runDir, 'config.json'), '--engine', 'openrlhf', '--json'))[0]);
  expect(exported.argv.slice(0, 3)).toEqual(['python3', '-m', 'openrlhf.cli.train_ppo_ray']);
  expect(exported.argv[exported.argv.indexOf('--n_samples_per_prompt') + 1]).toBe('4');
  for (const f of exported.files) expect(fs.existsSync(f)).toBe(true);
});

test.each(['qwen2', 'llama', 'olmo2'] as const)('every ablation runs on a tiny %s checkpoint through the same CLI: noclip, leave-one-out, one update per step, token-mean', async (arch) => {
  const dir = path.join(tmp, `tiny-${arch}`);
  if (!fs.existsSync(dir)) {
    const vocab = writeTinyTokenizer(dir);
    writeTinyCheckpoint(dir, arch, { vocabSize: vocab, seed: 4 });
  }
  const arms: [string[], number][] = [
    [['--surrogate', 'noclip'], 2],
    [['--clip-mode', 'rloo'], 1],
    [['--batching', 'rollout=minibatch'], 1],
    [['--loss-aggregation', 'token-mean', '--old-logprobs', 'sampler'], 2],
  ];
  for (const [flags, updates] of arms) {
    const runDir = path.join(tmp, `${arch}-${flags.join('')}`);
    const args = TINY_RUN.map((a) => (a === model ? dir : a));
    const summary = JSON.parse((await cli('grpo', ...args, '--steps', '1', ...flags, '--run-dir', runDir, '--json', '--quiet'))[0]);
    expect(summary.steps).toBe(1);
    const [row] = readJsonl<RealStepLog>(path.join(runDir, 'log.jsonl'));
    // Groups of equal rewards skip their update, so the count is at most the batching's.
    expect(row.updates).toBeLessThanOrEqual(updates);
    const cfg = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8'));
    expect(cfg.derived.updatesPerStep).toBe(updates);
    if (flags.includes('noclip')) expect(cfg.surrogate).toBe('noclip');
    if (flags.includes('rloo')) expect([cfg.surrogate, cfg.estimator, cfg.batching]).toEqual(['noclip', 'leave-one-out', 'minibatch=rollout']);
    if (flags.includes('sampler')) expect(row.logprob_gap).toBeUndefined();
    else expect(row.logprob_gap).toBeLessThan(1e-3);
  }
});

test('an interrupted run resumes from its checkpoint and writes the same log; training moves the weights', async () => {
  const tokenizer = loadRealTokenizer(model);
  const cfg: Partial<RealGrpoConfig> = { model, data, reward: 'random', gamma: 0.5, steps: 2, prompts: 2, groupSize: 4, miniBatch: 4, microBatch: 2, lr: 1e-3, maxNewTokens: 10, seed: 5, checkpointEvery: 1 };
  const strip = (rows: RealStepLog[]) => rows.map(({ sample_s: _s, train_s: _t, ...rest }) => rest);

  const whole = await loadRealModel(model);
  const before = await whole.params['model.layers.0.self_attn.q_proj.weight'].data();
  await runRealGrpo(cfg, whole, tokenizer, { runDir: path.join(tmp, 'whole'), stopIds: stopIdsOf(whole, tokenizer), quiet: true });
  const after = await whole.params['model.layers.0.self_attn.q_proj.weight'].data();
  expect(Array.from(after).some((v, i) => v !== before[i])).toBe(true);
  whole.dispose();

  const parts = path.join(tmp, 'parts');
  const first = await loadRealModel(model);
  await runRealGrpo(cfg, first, tokenizer, { runDir: parts, stopIds: stopIdsOf(first, tokenizer), quiet: true, stopAt: 1 });
  first.dispose();
  expect(fs.existsSync(path.join(parts, 'checkpoint', 'state.json'))).toBe(true);
  expect(fs.existsSync(path.join(parts, 'summary.json'))).toBe(false);
  const second = await loadRealModel(model); // fresh weights: the resume state must restore step 1's
  await runRealGrpo(cfg, second, tokenizer, { runDir: parts, stopIds: stopIdsOf(second, tokenizer), quiet: true });
  second.dispose();

  expect(strip(readJsonl<RealStepLog>(path.join(parts, 'log.jsonl')))).toEqual(strip(readJsonl<RealStepLog>(path.join(tmp, 'whole', 'log.jsonl'))));
  expect(fs.existsSync(path.join(parts, 'checkpoint'))).toBe(false); // a finished run drops its resume state
});

test('gradient accumulation: micro-batches of 1 give the update of one pass over the mini-batch', async () => {
  const tokenizer = loadRealTokenizer(model);
  const rows: RealStepLog[][] = [];
  for (const microBatch of [1, 4]) {
    const m = await loadRealModel(model);
    const cfg: Partial<RealGrpoConfig> = { model, data, reward: 'random', gamma: 0.5, steps: 1, prompts: 2, groupSize: 4, miniBatch: 4, microBatch, lr: 1e-3, maxNewTokens: 10, seed: 5 };
    await runRealGrpo(cfg, m, tokenizer, { runDir: path.join(tmp, `micro-${microBatch}`), stopIds: stopIdsOf(m, tokenizer), quiet: true });
    m.dispose();
    rows.push(readJsonl<RealStepLog>(path.join(tmp, `micro-${microBatch}`, 'log.jsonl')));
  }
  const [a, b] = rows.map((r) => r[0]);
  expect(a.updates).toBe(b.updates);
  expect(a.reward_mean).toBe(b.reward_mean);
  for (const k of ['loss', 'grad_norm', 'clip_high', 'clip_low', 'abs_ratio_dev'] as const) expect(a[k]!).toBeCloseTo(b[k]!, 5);
});
