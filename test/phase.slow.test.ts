/**
 * The slow half of test/phase.test.ts: tiny GRPO runs. Paired arms see the same step-1 rollouts,
 * a finished run is skipped and an interrupted one resumes; a seeded run still writes the log of
 * test/fixtures/grpo-seeded-log.jsonl.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { saveCheckpoint } from '../src/runtime/checkpoint';
import { Rng } from '../src/engine/rng';
import { Transformer } from '../src/model/transformer';
import { PRESETS, validateGrpoConfig } from '../src/rl/config';
import { runGrpo, StepLog } from '../src/rl/standin';
import { PHASE_ARMS, PhaseRun, isPhaseRunFinished, phaseRunDir, phaseSummary } from '../src/rl/phase';
import { worldTokenizer } from '../src/world/vocab';

beforeAll(async () => { await initBackend({ quiet: true }); });

describe('phase runs', () => {
  test('paired arms see identical rollouts at step 1; a finished run is skipped, an interrupted one resumes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-phase-'));
    try {
      const ckDir = path.join(dir, 'checkpoints');
      const tiny = Transformer.init({ vocabSize: worldTokenizer().vocabSize, contextLength: 160, dModel: 32, nLayers: 1, nHeads: 2, mlpRatio: 2, dropout: 0 }, new Rng(1));
      await saveCheckpoint(path.join(ckDir, 'tiny'), tiny, { step: 0 });
      const cell = { id: 'test', axis: 'centre' as const, note: '', overrides: {} };
      const base = { ...PRESETS.smoke, family: 'tiny', steps: 2, maxNewTokens: 24, evalProblems: 4, probeProblems: 3, probeK: 4, seed: 7 };
      const runOf = (arm: (typeof PHASE_ARMS)[number]): PhaseRun => {
        const cfg = validateGrpoConfig({ ...base, reward: arm.reward, gamma: arm.gamma, clipMode: arm.arm });
        return { cell, cfg, id: `test__${arm.reward}__${arm.arm}` };
      };
      const read = (r: PhaseRun) => fs.readFileSync(path.join(phaseRunDir(r, dir), 'log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as StepLog);
      const samples = (r: PhaseRun) => fs.readFileSync(path.join(phaseRunDir(r, dir), 'samples.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { step: number; response: string; reward: number; advantage: number }).filter((s) => s.step === 1);
      const go = (r: PhaseRun, stopAt?: number) => runGrpo(r.cfg, { runDir: phaseRunDir(r, dir), labelsDir: path.join(dir, 'labels') }, { workers: 0, quiet: true, checkpointsDir: ckDir, stopAt });
      const [clip, noclip, rloo] = PHASE_ARMS.slice(0, 3).map(runOf);
      expect(isPhaseRunFinished(clip, dir, ckDir)).toBe(false);
      await go(clip, 1); // interrupted after step 1
      expect(isPhaseRunFinished(clip, dir, ckDir)).toBe(false);
      await go(clip); // resumed
      await go(noclip);
      await go(rloo);
      expect(isPhaseRunFinished(clip, dir, ckDir)).toBe(true);
      const step1 = (r: PhaseRun) => { const { sample_s: _a, train_s: _b, loss: _c, grad_norm: _d, clip_high: _e, clip_low: _f, abs_ratio_dev: _g, updates: _h, update_rel: _i, update_rel_cum: _j, ...rest } = read(r)[1]; return rest; };
      expect(step1(noclip)).toEqual(step1(clip));
      expect(step1(rloo)).toEqual(step1(clip));
      expect(samples(noclip).map((s) => [s.response, s.reward])).toEqual(samples(clip).map((s) => [s.response, s.reward]));
      expect(samples(rloo).map((s) => s.response)).toEqual(samples(clip).map((s) => s.response));
      expect(read(rloo)[1].updates).toBe(1);
      // The probe is logged at the first and last evaluation and lands in the phase summary.
      const sum = phaseSummary(cell, clip.cfg, read(clip));
      expect(sum.code_counts_start).toHaveLength(3);
      expect(sum.probe_k).toBe(4);
      expect(sum.rollouts_per_step).toBe(16);
      expect(sum.sampled_acc_end).not.toBeNull();
      // The answer-parse rate (H5) is logged at every evaluation (steps 0 and 2) and summarised
      // from the first and the last; each is a share of the 4 greedy answers, at least the share
      // graded correct (a correct answer was parsed).
      const evals = read(clip).filter((r) => r.eval).map((r) => r.eval!);
      expect(evals).toHaveLength(2);
      expect([sum.parsed_start, sum.parsed_end]).toEqual([evals[0].parsed, evals[1].parsed]);
      for (const e of evals) {
        expect(Number.isInteger(e.parsed! * 4) && e.parsed! <= 1).toBe(true);
        expect(e.parsed!).toBeGreaterThanOrEqual(e.acc);
      }
      // A retrained starting checkpoint makes the finished run stale.
      await saveCheckpoint(path.join(ckDir, 'tiny'), Transformer.init(tiny.config, new Rng(2)), { step: 0 });
      expect(isPhaseRunFinished(clip, dir, ckDir)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a seeded run writes the same log as before the step speed-ups (fixture from commit d2a797d)', async () => {
  // test/fixtures/grpo-seeded-log.jsonl was written by the code before KV-cache row compaction,
  // the kl_ref subsample and length buckets; timings are left out. Rows stop at different steps
  // here, so compaction is exercised; 16 rollouts per step keep kl_ref on every row.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-seeded-'));
  try {
    const ckDir = path.join(dir, 'checkpoints');
    const tiny = Transformer.init({ vocabSize: worldTokenizer().vocabSize, contextLength: 160, dModel: 32, nLayers: 1, nHeads: 2, mlpRatio: 2, dropout: 0 }, new Rng(1));
    await saveCheckpoint(path.join(ckDir, 'tiny'), tiny, { step: 0 });
    const cfg = { ...PRESETS.smoke, family: 'tiny', reward: 'random' as const, gamma: 0.5, steps: 3, maxNewTokens: 24, evalProblems: 8, evalEvery: 1, evalAvgK: 2, evalAvgProblems: 4, seed: 3 };
    await runGrpo(cfg, { runDir: path.join(dir, 'run'), labelsDir: path.join(dir, 'labels') }, { workers: 0, quiet: true, checkpointsDir: ckDir });
    // The eval's `parsed` field and the update sizes were added after the fixture; every other field must be unchanged.
    const now = fs.readFileSync(path.join(dir, 'run', 'log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => {
      const { sample_s: _s, train_s: _t, update_rel: rel, update_rel_cum: _c, ...rest } = JSON.parse(l) as StepLog;
      if (rest.step > 0) expect(rel).toBeGreaterThan(0);
      if (rest.eval) {
        // A share of the 8 greedy answers, at least the share graded correct (a correct answer was parsed).
        expect(Number.isInteger(rest.eval.parsed! * 8) && rest.eval.parsed! <= 1).toBe(true);
        expect(rest.eval.parsed!).toBeGreaterThanOrEqual(rest.eval.acc);
        const { parsed: _p, ...ev } = rest.eval;
        return { ...rest, eval: ev };
      }
      return rest;
    });
    const before = fs.readFileSync(path.join(__dirname, 'fixtures', 'grpo-seeded-log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as object);
    expect(now).toEqual(before);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
