import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { validateGrpoConfig, runId, PRESETS } from '../src/rl/config';
import { StepLog } from '../src/rl/standin';
import { cellChange, cellRuns, evalCurve, loadRuns, meanSd, stepCurve, switchingOfRuns } from '../src/rl/results';
import { cellFrame } from '../src/rl/frames';
import { summarizePreset } from '../src/rl/grid';

function evalAt(acc: number, code: number, bits?: { code: string; correct: string }) {
  return { acc, code, boxed: 0.5, length: 30, avg_at_k: null, n: 4, ...(bits ? { code_bits: bits.code, correct_bits: bits.correct } : {}) };
}

function row(step: number, extra: Partial<StepLog> = {}): StepLog {
  return { step, reward_mean: 0.5, zero_std_groups: 0, rollout_code: 0.5, rollout_boxed: 0.5, rollout_acc: 0.5, response_length: 30, entropy: 1, clip_high: 0.01 * step, clip_low: 0, abs_ratio_dev: 0.1, kl_ref: 0, loss: 0, grad_norm: 1, updates: 4, sample_s: 1, train_s: 1, ...extra };
}

describe('stand-in results', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-results-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (seed: number, accEnd: number, bitsEnd: { code: string; correct: string }, steps = 2) => {
    const cfg = validateGrpoConfig({ ...PRESETS.smoke, family: 'good-code', reward: 'random', gamma: 0.5, steps, seed });
    const dir = path.join(root, 'p', runId(cfg));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(cfg));
    const log = [
      { ...row(0), eval: evalAt(0.5, 0.5, { code: '1100', correct: '1010' }) },
      row(1),
      { ...row(2), eval: evalAt(accEnd, 0.75, bitsEnd) },
    ];
    fs.writeFileSync(path.join(dir, 'log.jsonl'), log.map((r) => JSON.stringify(r) + '\n').join(''));
  };
  write(1, 0.75, { code: '1110', correct: '1110' });
  write(2, 0.5, { code: '1100', correct: '1010' });
  write(3, 0.75, { code: '1110', correct: '1110' }, 5); // unfinished (log stops at step 2): left out

  test('loads finished runs only; curves are mean ± sd over seeds', () => {
    const runs = loadRuns('p', root);
    expect(runs.map((r) => r.cfg.seed)).toEqual([1, 2]);
    expect(cellRuns(runs, { family: 'good-code', reward: 'random', gamma: 0.5 })).toHaveLength(2);
    expect(cellRuns(runs, { family: 'bad-code' })).toHaveLength(0);
    const acc = evalCurve(runs, 'acc');
    expect(acc.map((p) => p.step)).toEqual([0, 2]);
    expect(acc[1].mean).toBeCloseTo(0.625, 10);
    expect(acc[1].sd).toBeCloseTo(Math.SQRT1_2 * 0.25, 10);
    expect(stepCurve(runs, 'clip_high').map((p) => [p.step, p.mean])).toEqual([[1, 0.01], [2, 0.02]]);
    const ch = cellChange(runs);
    expect(ch.mean).toBeCloseTo(0.125, 10);
    expect(ch.start).toBeCloseTo(0.5, 10);
    expect(ch.n).toBe(2);
    expect(ch.hi! - ch.mean).toBeCloseTo(12.706 * 0.125, 10);
    expect(() => loadRuns('missing', root)).toThrow(/no results for preset 'missing'/);
  });

  test('strategy switching from per-problem bits, averaged over seeds', () => {
    const sw = switchingOfRuns(loadRuns('p', root));
    expect(sw.seeds).toBe(2);
    const lc = sw.rows.find((r) => r.subset === 'Lang→Code')!;
    // Seed 1: problem 2 switches Lang→Code (right before and after); problem 1 stays code and
    // becomes right, so all of the net gain is Code→Code. Seed 2 does not change.
    expect(lc.fraction.mean).toBeCloseTo(0.125, 10);
    expect(lc.contribution.n).toBe(1); // seed 2 has no net gain: C_d undefined, left out
    expect(lc.contribution.mean).toBeCloseTo(0, 10);
    expect(sw.rows.find((r) => r.subset === 'Code→Code')!.contribution.mean).toBeCloseTo(1, 10);
    expect(sw.totalGain.mean).toBeCloseTo(0.125, 10);
  });

  test('summary and table agree with the logs', () => {
    const s = summarizePreset('p', root);
    expect(s.map((x) => x.acc_end)).toEqual([0.75, 0.5]);
    const f = cellFrame(s);
    expect(f.shape[0]).toBe(1);
    // Gains 25 and 0 points: sd 12.5·√2, 95% half-width t(1)·12.5 = 12.706 · 12.5 = 158.8.
    expect(String(f.column('gain (pts)').values[0])).toBe('+12.5 ± 17.7 (n 2; 95% −146.3 to +171.3)');
    expect(meanSd([]).n).toBe(0);
  });
});
