/**
 * The phase map without GRPO runs: probe statistics, the RLOO null, the grid and its confirm rule,
 * loading a cell's runs, the summary of a hand-made log, and the length-bucketed gradient shards.
 * The GRPO runs (paired arms, the seeded-log fixture) are in test/phase.slow.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { codeShareHistogram, probeStats } from '../src/analysis/promptShares';
import { initBackend } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { Transformer } from '../src/model/transformer';
import { leaveOneOutAdvantages } from '../src/rl/advantage';
import { armName, derived, validateGrpoConfig } from '../src/rl/config';
import { runConfigText, StepLog } from '../src/rl/standin';
import { PHASE_ARMS, PHASE_CELLS, PHASE_DIR, PhaseRun, PhaseSummary, confirmCells, loadCellRuns, screenExtremes, phaseRunDir, phaseRuns, phaseSummary } from '../src/rl/phase';
import { CHECKPOINTS_DIR } from '../src/world/priors';
import { confirmCurvesSpec } from '../src/plot/phase';

beforeAll(async () => { await initBackend({ quiet: true }); });

describe('per-prompt code share (probe set)', () => {
  // Three problems × k = 4, written by hand: p1 3/4 code, p2 0/4, p3 4/4; correct: p1 one, p2 none, p3 two.
  const g = (problemId: string, code: boolean, correct: boolean) => ({ problemId, code, correct });
  const samples = [
    g('p1', true, true), g('p1', true, false), g('p1', false, false), g('p1', true, false),
    g('p2', false, false), g('p2', false, false), g('p2', false, false), g('p2', false, false),
    g('p3', true, true), g('p3', true, false), g('p3', true, true), g('p3', true, false),
  ];

  test('counts, shares, majority prompts, sampled accuracy and pass@k', () => {
    const s = probeStats(samples, 4);
    expect(s.n).toBe(3);
    expect(s.code_counts).toEqual([3, 0, 4]);
    expect(s.code).toBeCloseTo(7 / 12, 12);
    expect(s.majority_code).toBeCloseTo(2 / 3, 12); // p1 (0.75) and p3 (1.0); exactly 0.5 would not count
    expect(s.acc).toBeCloseTo(3 / 12, 12);
    expect(s.pass_at_k).toBeCloseTo(2 / 3, 12);
    expect(codeShareHistogram(s.code_counts, 4)).toEqual([1, 0, 0, 1, 1]);
  });

  test('a share of exactly one half is not a code majority; unequal k is an error', () => {
    const half = [g('a', true, false), g('a', false, false)];
    expect(probeStats(half, 2).majority_code).toBe(0);
    expect(() => probeStats(samples.slice(1), 4)).toThrow(/problem 'p1' has 3 samples, expected k = 4/);
    expect(() => codeShareHistogram([5], 4)).toThrow(/outside 0..4/);
  });
});

describe('RLOO null', () => {
  test('leave-one-out advantages: r_i − mean of the others, per group', () => {
    const a = Array.from(leaveOneOutAdvantages([1, 0, 0, 0, 1, 1, 1, 1], 4));
    expect(a[0]).toBeCloseTo(1, 6);
    expect(a[1]).toBeCloseTo(-1 / 3, 6);
    expect(a.slice(4)).toEqual([0, 0, 0, 0]);
    expect(() => leaveOneOutAdvantages([1, 0, 1], 2)).toThrow(/not a whole number of groups/);
  });

  test("'rloo' makes one unclipped update per rollout phase", () => {
    const c = validateGrpoConfig({ prompts: 8, groupSize: 8, miniBatch: 8, clipMode: 'rloo' });
    expect(derived(c)).toMatchObject({ rollouts: 64, miniBatch: 64, updatesPerStep: 1 });
    expect([c.surrogate, c.estimator, c.batching]).toEqual(['noclip', 'leave-one-out', 'minibatch=rollout']);
  });
});

describe('phase grid', () => {
  test('every screen cell has the four arms on 3 paired seeds, ids are unique', () => {
    const runs = phaseRuns('screen');
    expect(runs).toHaveLength(PHASE_CELLS.length * PHASE_ARMS.length * 3);
    expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
    for (const cell of PHASE_CELLS) {
      for (const seed of [1, 2, 3]) {
        const arms = runs.filter((r) => r.cell.id === cell.id && r.cfg.seed === seed).map((r) => `${r.cfg.reward}/${armName(r.cfg)}`);
        expect(arms.sort()).toEqual(['ground-truth/clip', 'random/clip', 'random/noclip', 'random/rloo']);
      }
    }
    expect(() => phaseRuns('huge')).toThrow(/unknown phase preset 'huge'/);
  });

  // A hand-made finished screen: every cell's clip arm gains `g` more than its noclip arm, seed by seed.
  const handScreen = (): PhaseSummary[] => {
    const gap: Record<string, number> = Object.fromEntries(PHASE_CELLS.map((c, i) => [c.id, (i - 5) / 100]));
    gap['eps-0.05'] = 0.3; // the best
    gap['lr-3e-4'] = -0.4; // the worst
    return PHASE_CELLS.flatMap((c) => [1, 2, 3].flatMap((seed) => (['clip', 'noclip', 'rloo'] as const).map((clip_mode) => ({
      cell: c.id, axis: c.axis, family: 'f', reward: 'random', gamma: 0.5, clip_mode, seed, acc_start: 0.5, acc_end: 0.5 + (clip_mode === 'clip' ? gap[c.id] : 0) + seed / 1000,
    } as unknown as PhaseSummary))));
  };

  test('the confirm rule takes the screen\'s largest and smallest clip − noclip gain, with twice the steps', () => {
    const rows = handScreen();
    const picked = confirmCells(rows);
    expect(picked.map((c) => c.id)).toEqual(['confirm-eps-0.05', 'confirm-lr-3e-4']);
    expect(picked[0].overrides).toMatchObject({ epsilon: 0.05, steps: 96, evalEvery: 24 });
    expect(phaseRuns('confirm', () => rows)).toHaveLength(2 * 5 * PHASE_ARMS.length);
    expect(screenExtremes(rows.filter((r) => r.cell !== 'steps-96'))).toEqual({ best: 'eps-0.05', worst: 'lr-3e-4', missing: ['steps-96'] });
    expect(() => confirmCells(rows.filter((r) => r.cell !== 'steps-96'))).toThrow(/screen is not finished \(fewer than 3 paired seeds in steps-96\)/);
  });

  test("a cell's finished runs load as run records; stale and unknown cells do not", () => {
    const rows = handScreen();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-cell-'));
    try {
      const runs = phaseRuns('confirm', () => rows).filter((r) => r.cell.id === 'confirm-eps-0.05');
      // Any committed phase log serves as the step log; only the config decides which run it is.
      const log = fs.readFileSync(path.join(PHASE_DIR, 'eps-0.05__good-code-global__random-0.5__clip__s1', 'log.jsonl'), 'utf8');
      const write = (r: PhaseRun, configText: string) => {
        fs.mkdirSync(phaseRunDir(r, dir), { recursive: true });
        fs.writeFileSync(path.join(phaseRunDir(r, dir), 'config.json'), configText);
        fs.writeFileSync(path.join(phaseRunDir(r, dir), 'summary.json'), '{}');
        fs.writeFileSync(path.join(phaseRunDir(r, dir), 'log.jsonl'), log);
      };
      write(runs[0], runConfigText(runs[0].cfg, CHECKPOINTS_DIR));
      write(runs[1], runConfigText({ ...runs[1].cfg, lr: 1 }, CHECKPOINTS_DIR)); // stale: another config
      const got = loadCellRuns('confirm', 'confirm-eps-0.05', dir, () => rows);
      expect(got.map((r) => [r.cfg.seed, r.cfg.reward, armName(r.cfg), r.cfg.steps])).toEqual([[runs[0].cfg.seed, runs[0].cfg.reward, armName(runs[0].cfg), 96]]);
      expect(got[0].summary.acc_start).toBeGreaterThan(0);
      const fig = confirmCurvesSpec(got, 'confirm-eps-0.05');
      expect(fig.provenance).toMatch(/^ours — stand-in, results\/phase cell 'confirm-eps-0.05' \(good-code-global, ε 0.05\).*n per arm: random\/clip 1; seed 1 is the screen's, so the first 48 steps are the screen cell's runs$/);
      expect(JSON.stringify(fig.layout)).toContain('over 96 steps');
      expect(() => confirmCurvesSpec([], 'confirm-lr-3e-4')).toThrow(/no finished runs of 'confirm-lr-3e-4'/);
      expect(loadCellRuns('confirm', 'confirm-lr-3e-4', dir, () => rows)).toEqual([]);
      expect(() => loadCellRuns('confirm', 'nope', dir, () => rows)).toThrow(/unknown confirm cell 'nope' \(use one of confirm-eps-0.05, confirm-lr-3e-4\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the summary reads the parse rate from the first and the last evaluation of a hand-made log', () => {
    const cell = { id: 'test', axis: 'centre' as const, note: '', overrides: {} };
    const cfg = validateGrpoConfig({ steps: 3 });
    const step = (n: number, parsed?: number) => ({
      step: n, entropy: 0.5, clip_high: 0, clip_low: 0, sample_s: 1, train_s: 1,
      ...(parsed === undefined ? {} : { eval: { acc: 0.1, code: 0.2, parsed } }),
    });
    // Evaluations at steps 0 and 2 only; the last row has none, so 'last row' and 'last evaluation' differ.
    const log = [step(0, 0.25), step(1), step(2, 0.75), step(3)] as unknown as StepLog[];
    const sum = phaseSummary(cell, cfg, log);
    expect([sum.parsed_start, sum.parsed_end]).toEqual([0.25, 0.75]);
    // A log written before evaluations recorded the parse rate has none to summarise.
    const old = [step(0), step(1)].map((r, i) => ({ ...r, eval: { acc: 0.1 * i, code: 0 } })) as unknown as StepLog[];
    expect([phaseSummary(cell, cfg, old).parsed_start, phaseSummary(cell, cfg, old).parsed_end]).toEqual([null, null]);
  });
});

describe('GRPO step speed-ups keep the numbers', () => {
  test('length-bucketed shards give the contiguous gradient (to float rounding) and cover every row once', async () => {
    const { grpoShards, BUCKET_MIN_ROWS } = await import('../src/rl/standin');
    const { runGradJob } = await import('../src/runtime/jobs');
    const model = Transformer.init({ vocabSize: 16, contextLength: 40, dModel: 16, nLayers: 1, nHeads: 2, mlpRatio: 2, dropout: 0 }, new Rng(3));
    const rng = new Rng(5);
    const rows = Array.from({ length: BUCKET_MIN_ROWS + 8 }, (_, i) => {
      const promptTokens = Array.from({ length: 3 + rng.int(6) }, () => 1 + rng.int(15));
      const tokens = Array.from({ length: 1 + rng.int(20) }, () => 1 + rng.int(15));
      return { tokens, oldLogProbs: tokens.map(() => -1 - rng.next()), promptTokens };
    });
    const adv = rows.map(() => rng.next() * 2 - 1);
    const sum = async (jobs: ReturnType<typeof grpoShards>) => {
      const rs = [];
      for (const j of jobs) rs.push(await runGradJob(model, j));
      const g = new Float64Array(rs[0].grads.length);
      for (const r of rs) r.grads.forEach((x, i) => { g[i] += x; });
      return { g, count: rs.reduce((a, r) => a + r.count, 0), loss: rs.reduce((a, r) => a + r.lossSum, 0), tokens: rs.reduce((a, r) => a + r.stats.tokens, 0) };
    };
    const step = { epsilon: 0.2, klCoef: 0, surrogate: 'clip' as const, lossAggregation: 'sequence-mean' as const };
    const bucketed = grpoShards(rows, adv, step, 2);
    expect(bucketed.map((j) => j.kind)).toEqual(['multi', 'multi']);
    const rowsIn = bucketed.flatMap((j) => (j.kind === 'multi' ? j.jobs.map((x) => x.lm.batch.B) : [j.lm.batch.B]));
    expect(rowsIn.reduce((a, b) => a + b, 0)).toBe(rows.length);
    const a = await sum(bucketed);
    const b = await sum(grpoShards(rows, adv, step, 2, Infinity));
    expect(a.count).toBe(b.count);
    expect(a.tokens).toBe(b.tokens);
    expect(a.loss).toBeCloseTo(b.loss, 4);
    const scale = Math.max(...Array.from(b.g, Math.abs));
    expect(scale).toBeGreaterThan(0);
    expect(Math.max(...Array.from(a.g, (x, i) => Math.abs(x - b.g[i])))).toBeLessThan(1e-5 * scale);
    model.dispose();
  });
});
