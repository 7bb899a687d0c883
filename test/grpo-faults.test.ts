/** Faults of the GRPO run path: each test reproduces one way a run used to lose or change work. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { saveCheckpoint } from '../src/runtime/checkpoint';
import { readJsonl } from '../src/engine/jsonl';
import { Rng } from '../src/engine/rng';
import { Transformer } from '../src/model/transformer';
import { PRESETS, derived, validateGrpoConfig } from '../src/rl/config';
import { rowsToCompute } from '../src/rl/grpo';
import { currentProvenance, recordProvenance } from '../src/rl/provenance';
import { runGrpo, StepLog } from '../src/rl/standin';
import { worldTokenizer } from '../src/world/vocab';

beforeAll(async () => { await initBackend({ quiet: true }); });

const TINY = { vocabSize: worldTokenizer().vocabSize, contextLength: 160, dModel: 32, nLayers: 1, nHeads: 2, mlpRatio: 2, dropout: 0 };
let dir: string;
let ckDir: string;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-faults-'));
  ckDir = path.join(dir, 'checkpoints');
  await saveCheckpoint(path.join(ckDir, 'tiny'), Transformer.init(TINY, new Rng(1)), { step: 0 });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const base = { ...PRESETS.smoke, family: 'tiny', reward: 'random' as const, gamma: 0.5, steps: 4, maxNewTokens: 20, evalProblems: 4, evalEvery: 2, checkpointEvery: 2 };
const go = (name: string, cfg: object, stopAt?: number) => runGrpo({ ...base, ...cfg }, { runDir: path.join(dir, name), labelsDir: path.join(dir, 'labels') }, { workers: 0, quiet: true, checkpointsDir: ckDir, stopAt });
const logOf = (name: string) => readJsonl<StepLog>(path.join(dir, name, 'log.jsonl')).map(({ sample_s: _s, train_s: _t, ...rest }) => rest);

test('a kill between checkpoints with a torn last line resumes to the uninterrupted log', async () => {
  await go('straight', {});
  await go('killed', {}, 3); // checkpoint at step 2, log already holds step 3
  fs.appendFileSync(path.join(dir, 'killed', 'log.jsonl'), '{"step":4,"reward_me'); // killed mid-append
  const warned = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  expect(logOf('killed').map((r) => r.step)).toEqual([0, 1, 2, 3]);
  await go('killed', {});
  expect(warned.mock.calls.some((c) => /killed\/log\.jsonl:5: dropped a torn last line/.test(String(c[0])))).toBe(true);
  warned.mockRestore();
  expect(logOf('killed')).toEqual(logOf('straight'));
});

test('a family retrained before the run\'s first checkpoint: the old step-0 evaluation is not reused', async () => {
  await go('run', { checkpointEvery: 10 }, 1);
  // A stop saves its state; a kill before the first checkpoint leaves none: the log holds steps 0 and 1.
  fs.rmSync(path.join(dir, 'run', 'checkpoint'), { recursive: true, force: true });
  await saveCheckpoint(path.join(ckDir, 'tiny'), Transformer.init(TINY, new Rng(2)), { step: 0 });
  await go('run', { checkpointEvery: 10 });
  await go('fresh', { checkpointEvery: 10 });
  expect(logOf('run')).toEqual(logOf('fresh'));
});

test('a resume checkpoint without its RNG state is refused, not resumed on another stream', async () => {
  await go('run', {}, 2);
  const meta = path.join(dir, 'run', 'checkpoint', 'checkpoint.json');
  const j = JSON.parse(fs.readFileSync(meta, 'utf8')) as Record<string, unknown>;
  delete j.rngState;
  if (j.meta && typeof j.meta === 'object') delete (j.meta as Record<string, unknown>).rngState;
  fs.writeFileSync(meta, JSON.stringify(j));
  await expect(go('run', {})).rejects.toThrow(/has no 'rngState'/);
});

test('Â ≡ 0 with β = 0 leaves the weights unchanged; with β > 0 the rows are still computed', async () => {
  // γ = 0: every reward is 0, every advantage 0.
  await go('beta0', { gamma: 0, checkpointEvery: 10 });
  const b0 = logOf('beta0');
  expect(b0.slice(1).every((r) => r.updates === 0)).toBe(true);
  // π_old = π_ref throughout (up to the KV cache's rounding); a run whose weights move is far above.
  expect(b0.slice(1).every((r) => Math.abs(r.kl_ref!) < 1e-5)).toBe(true);
  await go('moving', { checkpointEvery: 10 });
  expect(Math.abs(logOf('moving')[4].kl_ref!)).toBeGreaterThan(1e-4);
  await go('beta', { gamma: 0, klCoef: 0.1, checkpointEvery: 10 });
  expect(logOf('beta').slice(1).every((r) => r.updates > 0)).toBe(true);
  expect(rowsToCompute([0, 1, 2], [0, 0.5, 0], 0)).toEqual([1]);
  expect(rowsToCompute([0, 1, 2], [0, 0.5, 0], 0.1)).toEqual([0, 1, 2]);
});

test('the matched null logs one row per k steps with the clip arm’s updates and samples; provenance records each segment; update sizes add up', async () => {
  // Smoke shape: 4 prompts × G 4 = 16 rollouts, mini-batch 8 → 2 updates per step. The null: rollouts = mini-batch, so 2× the steps.
  const clipCfg = validateGrpoConfig({ ...base, steps: 4, evalEvery: 4, checkpointEvery: 2 });
  const nullCfg = { clipMode: 'rollout=minibatch', steps: 8, evalEvery: 8, checkpointEvery: 4, logEvery: 2 };
  const k = derived(clipCfg).updatesPerStep;
  const dn = derived(validateGrpoConfig({ ...base, ...nullCfg }));
  expect(dn.updatesPerStep * 8).toBe(k * 4);
  expect(dn.rollouts * 8).toBe(derived(clipCfg).rollouts * 4);
  await go('clip', { steps: 4, evalEvery: 4, checkpointEvery: 2 });
  await go('null', nullCfg, 3); // stopped inside a log row: no row and no state is written for it (the first checkpoint is at 4)
  await go('null', nullCfg, 5); // resumed from scratch, stopped inside a row again (the step-4 checkpoint stands)
  await go('null', nullCfg);
  await go('null-straight', nullCfg);
  const nul = logOf('null');
  expect(nul).toEqual(logOf('null-straight'));
  expect(nul.map((r) => [r.step, r.span])).toEqual([[0, undefined], [2, 2], [4, 2], [6, 2], [8, 2]]);
  // Groups of equal rewards skip their update, so the counts are at most the batching's.
  expect(nul.reduce((n, r) => n + r.updates, 0)).toBeLessThanOrEqual(8);
  expect(logOf('clip').reduce((n, r) => n + r.updates, 0)).toBeLessThanOrEqual(8);
  // One update per rollout phase: ρ = 1 at the update, nothing clips.
  for (const r of nul.slice(1)) expect(r.clip_high! + r.clip_low!).toBe(0);
  // update_rel_cum is the running sum of the rows' update_rel (which sum their steps').
  const rel = nul.slice(1).map((r) => r.update_rel!);
  expect(nul[nul.length - 1].update_rel_cum).toBeCloseTo(rel.reduce((a, b) => a + b, 0), 12);
  expect(Math.max(...rel)).toBeGreaterThan(0);
  const prov = JSON.parse(fs.readFileSync(path.join(dir, 'null', 'provenance.json'), 'utf8')).segments;
  expect(prov.map((s: { from_step: number }) => s.from_step)).toEqual([0, 4]);
  // A run begun before provenance was kept gets a segment of unknown code for its first steps.
  fs.rmSync(path.join(dir, 'null', 'provenance.json'));
  recordProvenance(path.join(dir, 'null'), currentProvenance(4, 0));
  const legacy = JSON.parse(fs.readFileSync(path.join(dir, 'null', 'provenance.json'), 'utf8')).segments;
  expect(legacy.map((s: { from_step: number; step_code_sha1: string | null }) => [s.from_step, s.step_code_sha1 === null])).toEqual([[0, true], [4, false]]);
  expect(prov[0].step_code_sha1).toMatch(/^[0-9a-f]{12}$/);
  expect(prov[0]).toEqual(expect.objectContaining({ workers: 0, backend: expect.any(String), node: process.version }));
  // provenance.json is beside the identity, not in it.
  expect(fs.readFileSync(path.join(dir, 'null', 'config.json'), 'utf8')).not.toMatch(/step_code|provenance/);
});
