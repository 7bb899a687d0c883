/**
 * The refactor guard: a committed stand-in run (results/full, written by the GRPO code of
 * 2026-12-02) re-executed from its own config.json with 2 workers must give the same rewards,
 * rollout accuracies and code rates, and the same evaluations. Losses and gradient norms are
 * compared only to float rounding: shard sums are added in a different order across versions,
 * while every sampled token — and so every reward and accuracy — must be identical.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { readJsonl } from '../src/engine/jsonl';
import { projectPath } from '../src/engine/paths';
import { runGrpo } from '../src/rl/standin';
import type { StepLog } from '../src/rl/log';

const COMMITTED = projectPath('results', 'full', 'good-code__random-0.5__clip__s5');

beforeAll(async () => { await initBackend({ quiet: true }); });

test('results/full good-code random(0.5) clip seed 5 re-executes to the committed numbers', async () => {
  const raw = JSON.parse(fs.readFileSync(path.join(COMMITTED, 'config.json'), 'utf8'));
  // The identity's extra fields are written by the run, not read from the config.
  for (const k of ['run_id', 'derived', 'start_weights_sha1']) delete raw[k];
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reproduce-'));
  await runGrpo(raw, { runDir, labelsDir: path.join(runDir, 'labels') }, { workers: 2, quiet: true });
  const want = readJsonl<StepLog>(path.join(COMMITTED, 'log.jsonl'));
  const got = readJsonl<StepLog>(path.join(runDir, 'log.jsonl'));
  const exact = (r: StepLog) => ({ step: r.step, reward: r.reward_mean, acc: r.rollout_acc, code: r.rollout_code, boxed: r.rollout_boxed, length: r.response_length, updates: r.updates, eval: r.eval && { acc: r.eval.acc, code: r.eval.code, avg: r.eval.avg_at_k, n: r.eval.n, correct: r.eval.correct_bits } });
  expect(got.map(exact)).toEqual(want.map(exact));
  for (const [i, r] of got.entries()) {
    if (r.loss === null) continue;
    expect(r.loss).toBeCloseTo(want[i].loss!, 5);
    expect(r.grad_norm).toBeCloseTo(want[i].grad_norm!, 4);
  }
  fs.rmSync(runDir, { recursive: true, force: true });
}, 600_000);
