import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AdamW } from '../src/engine/adamw';
import { initBackend } from '../src/engine/backend';
import { saveCheckpoint } from '../src/runtime/checkpoint';
import { WorkerPool, dataParallelStep } from '../src/runtime/pool';
import { Rng } from '../src/engine/rng';
import { Transformer } from '../src/model/transformer';
import { groupedAdvantages, zeroStdGroupFraction } from '../src/rl/advantage';
import { PRESETS, armName, derived, runId, validateGrpoConfig } from '../src/rl/config';
import { isFinishedRun } from '../src/rl/protocol';
import { configOfRecord, standinIdentity } from '../src/rl/run';
import { RESULTS_DIR } from '../src/rl/results';
import { cellTable, gridCells, gridRuns, isFinished, runDirOf } from '../src/rl/grid';
import { grpoShards, runConfigText, runGrpo, StepLog } from '../src/rl/standin';
import { REWARD_NAMES, labelsFor, majorityAnswer, makeReward } from '../src/rl/rewards';
import { Generation } from '../src/world/generate';
import { worldTokenizer } from '../src/world/vocab';

beforeAll(async () => { await initBackend({ quiet: true }); });

describe('advantages', () => {
  test('all-equal rewards give Â = 0 for the whole group', () => {
    expect(Array.from(groupedAdvantages([1, 1, 1, 1, 0, 0, 0, 0], 4))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(zeroStdGroupFraction([1, 1, 1, 1, 0, 1, 0, 0], 4)).toBe(0.5);
  });

  test('one positive in a group of G: Â = (1 − 1/G)/σ and −(1/G)/σ, σ = √(p(1−p)), p = 1/G', () => {
    const G = 8;
    const p = 1 / G;
    const sigma = Math.sqrt(p * (1 - p));
    const a = groupedAdvantages([0, 0, 1, 0, 0, 0, 0, 0], G);
    expect(a[2]).toBeCloseTo((1 - p) / sigma, 5);
    expect(a[0]).toBeCloseTo(-p / sigma, 5);
    expect(a.reduce((s, x) => s + x, 0)).toBeCloseTo(0, 5);
    expect(() => groupedAdvantages([1, 0, 1], 2)).toThrow(/not a whole number of groups/);
  });
});

describe('rewards', () => {
  const code = '```python\nx=5\nprint(x)\n```\n```output\n5\n```\nThe answer is \\boxed{5}.';
  const lang = '2+3=5. The answer is 5.';
  const r = (name: string, response: string, label: string | null, gamma?: number) => makeReward(name, { gamma }).fn({ prompt: 'Compute 2+3.\n', response, label, rng: new Rng(1) });

  test('each reward on fixed strings', () => {
    expect(r('ground-truth', code, '5')).toBe(1);
    expect(r('ground-truth', lang, '6')).toBe(0);
    expect(r('majority-vote', lang, '5')).toBe(1);
    expect(r('one-shot', lang, '5')).toBe(1);
    expect(r('format', code, null)).toBe(1);
    expect(r('format', lang, null)).toBe(0);
    expect(r('incorrect', lang, '7')).toBe(0);
    expect(r('incorrect', '2+3=7. The answer is 7.', '7')).toBe(1);
    expect(r('python', code, null)).toBe(1);
    expect(r('python', lang, null)).toBe(0);
    expect(r('format-no-python', code, null)).toBe(0);
    expect(r('format-no-python', '2+3=5. The answer is \\boxed{5}.', null)).toBe(1);
    expect(r('incorrect-no-python', '```python\nThe answer is 7.', '7')).toBe(0);
    expect(r('random', code, null, 1)).toBe(1);
    expect(r('random', code, null, 0)).toBe(0);
    expect(r('random-no-python', code, null, 1)).toBe(0);
    expect(r('random-no-python', lang, null, 1)).toBe(1);
  });

  test('the random reward is independent of the response', () => {
    const draw = (response: string) => {
      const rng = new Rng(77);
      const f = makeReward('random', { gamma: 0.3 }).fn;
      return Array.from({ length: 400 }, () => f({ prompt: '', response, label: null, rng }));
    };
    const a = draw(code);
    expect(draw(lang)).toEqual(a);
    expect(draw('')).toEqual(a);
    const rate = a.reduce((s, x) => s + x, 0) / a.length;
    expect(Math.abs(rate - 0.3)).toBeLessThan(0.07); // 3σ for n = 400
  });

  test('names and parameters are validated', () => {
    expect(() => makeReward('lucky')).toThrow(/unknown reward 'lucky' \(use one of ground-truth, /);
    expect(() => makeReward('random', { gamma: 1.5 })).toThrow(/gamma must be in \[0, 1\]/);
    expect(() => makeReward('format', { gamma: 0.5 })).toThrow(/takes no gamma/);
    expect(REWARD_NAMES).toHaveLength(12); // Paper A's ten, and Paper B's inverted and continuous
  });

  test('majority votes and incorrect labels (prompts with a correct majority are dropped)', () => {
    expect(majorityAnswer(['The answer is 3.', 'The answer is \\boxed{4}.', 'x', 'The answer is 4.'])).toBe('4');
    expect(majorityAnswer(['no answer'])).toBeNull();
    expect(labelsFor('incorrect-majority', ['4', '5', '6'], ['4', '9', null])).toEqual([null, '9', null]);
    expect(labelsFor('majority', ['4', '5'], ['4', '9'])).toEqual(['4', '9']);
    expect(() => labelsFor('majority', ['4'], null)).toThrow(/need the cached majority votes/);
  });
});

describe('config', () => {
  test('batchings change the batch shape as Fig. 11 describes', () => {
    const base = validateGrpoConfig({ prompts: 64, groupSize: 16, miniBatch: 128 });
    expect(derived(base)).toMatchObject({ rollouts: 1024, updatesPerStep: 8 });
    expect(derived({ ...base, batching: 'minibatch=rollout' })).toMatchObject({ rollouts: 1024, miniBatch: 1024, updatesPerStep: 1 });
    expect(derived({ ...base, batching: 'rollout=minibatch' })).toMatchObject({ prompts: 8, rollouts: 128, updatesPerStep: 1 });
  });

  test('an arm name maps onto surrogate / estimator / batching and back; old run ids are kept', () => {
    const rloo = validateGrpoConfig({ clipMode: 'rloo' });
    expect([rloo.surrogate, rloo.estimator, rloo.batching]).toEqual(['noclip', 'leave-one-out', 'minibatch=rollout']);
    expect('clipMode' in rloo).toBe(false);
    expect(runId(rloo)).toBe('good-code__random-0.5__rloo__s1');
    expect(runId(validateGrpoConfig({ clipMode: 'minibatch=rollout' }))).toBe('good-code__random-0.5__minibatch-eq-rollout__s1');
    expect(runId(validateGrpoConfig({ surrogate: 'noclip' }))).toBe('good-code__random-0.5__noclip__s1');
    // The matched on-policy null: the clip arm's updates, each on fresh rollouts (run for k× the steps).
    expect(runId(validateGrpoConfig({ batching: 'rollout=minibatch', estimator: 'group-normalised', surrogate: 'clip' }))).toBe('good-code__random-0.5__rollout-eq-minibatch__s1');
    expect(armName(validateGrpoConfig({ estimator: 'leave-one-out' }))).toBe('clip+leave-one-out+minibatches');
    expect(() => validateGrpoConfig({ clipMode: 'clip', surrogate: 'noclip' })).toThrow(/'clipMode' and field 'surrogate'/);
    expect(() => validateGrpoConfig({ clipMode: 'ppo' })).toThrow(/field 'clipMode' is 'ppo'/);
    expect(() => validateGrpoConfig({ lossAggregation: 'sum' as never })).toThrow(/field 'lossAggregation'/);
    expect(() => validateGrpoConfig({ gradClipNorm: 0 })).toThrow(/field 'gradClipNorm'/);
  });

  test('every committed run config still loads and counts as the same run (canonical identity)', () => {
    const dirs = ['full', 'phase'].flatMap((p) => fs.readdirSync(path.join(RESULTS_DIR, p)).map((d) => path.join(RESULTS_DIR, p, d))).filter((d) => fs.existsSync(path.join(d, 'summary.json')));
    expect(dirs.length).toBeGreaterThan(400);
    let finished = 0;
    for (const dir of dirs) {
      const text = fs.readFileSync(path.join(dir, 'config.json'), 'utf8');
      const { cfg } = configOfRecord(text, dir);
      if (isFinishedRun(dir, standinIdentity(cfg))) finished++;
      else throw new Error(`${dir}: no longer counts as finished`);
    }
    expect(finished).toBe(dirs.length);
    // And an identity differing in one field is not the same run.
    const { cfg } = configOfRecord(fs.readFileSync(path.join(dirs[0], 'config.json'), 'utf8'));
    expect(isFinishedRun(dirs[0], standinIdentity({ ...cfg, lr: cfg.lr * 2 }))).toBe(false);
  });

  test('bad fields are named', () => {
    expect(() => validateGrpoConfig({ reward: 'lucky' as never }, 'run.json')).toThrow(/^run\.json: field 'reward' is 'lucky'/);
    expect(() => validateGrpoConfig({ groupSize: 0 })).toThrow(/field 'groupSize' must be a positive integer/);
    expect(() => validateGrpoConfig({ reward: 'random', gamma: 2 })).toThrow(/field 'gamma' must be in \[0, 1\]/);
    expect(validateGrpoConfig({ reward: 'format', gamma: 0.5 }).gamma).toBeNull();
  });
});

describe('GRPO updates', () => {
  test('ground-truth reward raises the rewarded behaviour on a trivially learnable task (fails if the sign is wrong)', async () => {
    // One prompt; the "right answer" is token 5 as the first response token. Start near uniform.
    const cfg = { vocabSize: 12, contextLength: 16, dModel: 32, nLayers: 1, nHeads: 2, mlpRatio: 2, dropout: 0 };
    const model = Transformer.init(cfg, new Rng(3));
    const pool = await WorkerPool.create(model, 0);
    const opt = new AdamW(model.params, { weightDecay: 0 });
    const rng = new Rng(4);
    const G = 16;
    const rate = async () => {
      const s = await pool.sample({ prompts: Array.from({ length: 200 }, () => [1, 2]), maxNewTokens: 1, temperature: 1, rng: new Rng(9) });
      return s.tokens.filter((t) => t[0] === 5).length / 200;
    };
    const before = await rate();
    for (let step = 0; step < 12; step++) {
      const s = await pool.sample({ prompts: Array.from({ length: G }, () => [1, 2]), maxNewTokens: 2, temperature: 1, rng });
      const gens = s.tokens.map((t, i) => ({ tokens: t, logProbs: s.logProbs[i], promptTokens: [1, 2] }) as unknown as Generation);
      const adv = groupedAdvantages(s.tokens.map((t) => (t[0] === 5 ? 1 : 0)), G);
      for (let m = 0; m < G; m += 8) {
        const idx = [...Array(8).keys()].map((k) => m + k).filter((i) => adv[i] !== 0);
        if (!idx.length) continue;
        await dataParallelStep(pool, opt, grpoShards(idx.map((i) => ({ ...gens[i], oldLogProbs: gens[i].logProbs })), idx.map((i) => adv[i]), { epsilon: 0.2, klCoef: 0, surrogate: 'clip', lossAggregation: 'sequence-mean' }, 1), 3e-2, 1.0, 8);
      }
    }
    const after = await rate();
    expect(before).toBeLessThan(0.25);
    expect(after).toBeGreaterThan(before + 0.3);
    await pool.close();
  });
});

describe('runs', () => {
  test('a killed run resumes to the same log as an uninterrupted one; same seed, same numbers', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-grpo-'));
    try {
      // A tiny stand-in "family" checkpoint with the world vocabulary.
      const ckDir = path.join(dir, 'checkpoints');
      const tiny = Transformer.init({ vocabSize: worldTokenizer().vocabSize, contextLength: 160, dModel: 32, nLayers: 1, nHeads: 2, mlpRatio: 2, dropout: 0 }, new Rng(1));
      await saveCheckpoint(path.join(ckDir, 'tiny'), tiny, { step: 0 });
      const cfg = { ...PRESETS.smoke, family: 'tiny', reward: 'random' as const, gamma: 0.5, steps: 3, maxNewTokens: 24, evalProblems: 4 };
      const run = async (name: string, stopAt?: number) => {
        const dirs = { runDir: path.join(dir, name), labelsDir: path.join(dir, 'labels') };
        if (stopAt) await runGrpo(cfg, dirs, { workers: 0, quiet: true, checkpointsDir: ckDir, stopAt });
        await runGrpo(cfg, dirs, { workers: 0, quiet: true, checkpointsDir: ckDir });
        return fs.readFileSync(path.join(dirs.runDir, 'log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => {
          const { sample_s: _s, train_s: _t, ...rest } = JSON.parse(l) as StepLog;
          return rest;
        });
      };
      // A lock left by a dead process is taken over; the lock is gone once the run ends.
      fs.mkdirSync(path.join(dir, 'a'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'a', '.lock'), '999999999');
      const straight = await run('a');
      expect(fs.existsSync(path.join(dir, 'a', '.lock'))).toBe(false);
      const resumed = await run('b', 2);
      expect(straight.map((r) => r.step)).toEqual([0, 1, 2, 3]);
      expect(resumed).toEqual(straight);
      expect(straight.slice(1).every((r) => r.updates > 0)).toBe(true);
      // KL(π_old‖π_ref): zero at the first rollout (π_old is the starting model), not after updates.
      expect(Math.abs(straight[1].kl_ref!)).toBeLessThan(1e-4);
      expect(Math.abs(straight[3].kl_ref!)).toBeGreaterThan(1e-4);
      // β > 0 adds the KL penalty: the same run then takes different steps.
      await runGrpo({ ...cfg, klCoef: 0.5 }, { runDir: path.join(dir, 'kl'), labelsDir: path.join(dir, 'labels') }, { workers: 0, quiet: true, checkpointsDir: ckDir });
      const kl = fs.readFileSync(path.join(dir, 'kl', 'log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as StepLog);
      expect(kl[1].loss).toBeCloseTo(straight[1].loss!, 5); // KL term is 0 before the first update…
      expect(kl[3].kl_ref).not.toBe(straight[3].kl_ref); // …and changes the (deterministic) trajectory after
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'a', 'summary.json'), 'utf8'))).toMatchObject({ family: 'tiny', reward: 'random', gamma: 0.5, clip_mode: 'clip', steps: 3 });
      // A run another live process holds is refused.
      fs.writeFileSync(path.join(dir, 'b', '.lock'), String(process.ppid));
      await expect(runGrpo(cfg, { runDir: path.join(dir, 'b'), labelsDir: path.join(dir, 'labels') }, { workers: 0, quiet: true, checkpointsDir: ckDir })).rejects.toThrow(/being run by process/);
      fs.rmSync(path.join(dir, 'b', '.lock'));
      // A retrained family checkpoint makes the finished run stale: it is refused, not reused.
      await saveCheckpoint(path.join(ckDir, 'tiny'), Transformer.init(tiny.config, new Rng(2)), { step: 0 });
      await expect(runGrpo(cfg, { runDir: path.join(dir, 'a'), labelsDir: path.join(dir, 'labels') }, { workers: 0, quiet: true, checkpointsDir: ckDir })).rejects.toThrow(/different config or starting checkpoint/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('grid and summaries', () => {
  test('the grid covers every cell the paper runs, with the seed counts asked for', () => {
    const cells = gridCells();
    const has = (family: string, reward: string, gamma: number | null, arm = 'clip') => cells.find((c) => c.family === family && c.reward === reward && c.gamma === gamma && c.arm === arm);
    for (const f of ['good-code', 'bad-code', 'no-code', 'no-code-weak']) {
      for (const r of ['ground-truth', 'majority-vote', 'one-shot', 'format', 'incorrect', 'python']) expect(has(f, r, null)?.seeds).toBeGreaterThanOrEqual(3);
      expect(has(f, 'random', 0.5)?.seeds).toBeGreaterThanOrEqual(3);
    }
    for (const f of ['good-code', 'bad-code']) {
      expect(has(f, 'format-no-python', null)).toBeDefined();
      expect(has(f, 'incorrect-no-python', null)).toBeDefined();
      expect(has(f, 'random-no-python', 0.5)).toBeDefined();
    }
    for (const g of [0.7, 0.5, 0.3, 0.001, 0]) expect(has('good-code', 'random', g)).toBeDefined();
    for (const m of ['clip', 'noclip', 'minibatch=rollout', 'rollout=minibatch']) expect(has('good-code', 'random', 0.5, m)?.seeds).toBeGreaterThanOrEqual(5);
    expect(cells.every((c) => c.seeds >= 3)).toBe(true);
    // 41 cells × 3 seeds, plus 2 more seeds for each of the 4 clip modes.
    expect(gridRuns('full')).toHaveLength(41 * 3 + 4 * 2);
    const ids = gridRuns('smoke').map(runId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(() => gridRuns('huge')).toThrow(/unknown preset 'huge'/);
  });

  test('a run counts as finished only from its family\'s current checkpoint', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-grid-'));
    try {
      const ckDir = path.join(dir, 'checkpoints');
      const cfg = validateGrpoConfig({ ...PRESETS.smoke, family: 'tiny' });
      const tinyCfg = { vocabSize: 8, contextLength: 8, dModel: 8, nLayers: 1, nHeads: 1, mlpRatio: 1, dropout: 0 };
      await saveCheckpoint(path.join(ckDir, 'tiny'), Transformer.init(tinyCfg, new Rng(1)), { step: 0 });
      const runDir = runDirOf('smoke', cfg, dir);
      expect(isFinished('smoke', cfg, dir, ckDir)).toBe(false);
      fs.mkdirSync(runDir, { recursive: true });
      fs.writeFileSync(path.join(runDir, 'summary.json'), '{}');
      fs.writeFileSync(path.join(runDir, 'config.json'), runConfigText(cfg, ckDir));
      expect(isFinished('smoke', cfg, dir, ckDir)).toBe(true);
      await saveCheckpoint(path.join(ckDir, 'tiny'), Transformer.init(tinyCfg, new Rng(2)), { step: 0 });
      expect(isFinished('smoke', cfg, dir, ckDir)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('cell table: mean ± sd of the gain over seeds', () => {
    const s = (seed: number, a0: number, a1: number) => ({ run_id: `r${seed}`, family: 'good-code', reward: 'random', gamma: 0.5, clip_mode: 'clip', seed, steps: 10, acc_start: a0, acc_end: a1, code_start: 0.5, code_end: 0.7 });
    const [row] = cellTable([s(1, 0.4, 0.5), s(2, 0.4, 0.6), s(3, 0.4, 0.7)]);
    expect(row).toMatchObject({ family: 'good-code', reward: 'random(0.5)', seeds: 3 });
    expect(row.gain_mean).toBeCloseTo(0.2, 10);
    expect(row.gain_sd).toBeCloseTo(0.1, 10);
    expect(row.code_end).toBeCloseTo(0.7, 10);
  });
});
