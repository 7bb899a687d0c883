/**
 * The reward grid's reporting (notebooks 02 and 05): per-seed changes, intervals, paired
 * differences, step versions of results/full and the tables built from them. Hand-made run records,
 * plus one check against the committed results/full; no GRPO run.
 */
import { PRESETS, validateGrpoConfig } from '../src/rl/config';
import type { StepLog } from '../src/rl/log';
import { summarizeLog } from '../src/rl/run';
import { armDifference, cellChange, ladderCell, loadRuns, seedChanges, type RunRecord } from '../src/rl/results';
import { fullGridStepVersion, formatVersionSplit, seedList, seedsText, stepCodeNote, versionSplit } from '../src/rl/stepVersions';
import { rewardGridRows, seedsByVersion, versionRows } from '../src/rl/gridTable';
import { rewardGridFrame, versionFrame } from '../src/rl/frames';

/** A finished 2-step run: accuracy and code frequency at step 0 and step 2; `dec` logs `parsed` like a 2 Dec run. */
function rec(o: { family?: string; reward?: 'random' | 'ground-truth' | 'format'; clipMode?: string; seed: number; acc: [number, number]; code?: [number, number]; dec?: boolean }): RunRecord {
  const reward = o.reward ?? 'random';
  const cfg = validateGrpoConfig({ ...PRESETS.smoke, family: o.family ?? 'good-code', reward, gamma: reward === 'random' ? 0.5 : null, clipMode: o.clipMode ?? 'clip', steps: 2, seed: o.seed });
  const ev = (acc: number, code: number) => ({ acc, code, boxed: 1, length: 10, avg_at_k: null, n: 500, ...(o.dec ? { parsed: 1 } : {}) });
  const code = o.code ?? [0.5, 0.5];
  const log = [{ step: 0, eval: ev(o.acc[0], code[0]) }, { step: 1 }, { step: 2, eval: ev(o.acc[1], code[1]) }] as unknown as StepLog[];
  return { cfg, log, summary: summarizeLog(cfg, log) };
}

describe('per-seed changes and paired differences', () => {
  const a = [rec({ seed: 1, acc: [0.5, 0.6] }), rec({ seed: 2, acc: [0.5, 0.7] }), rec({ seed: 3, acc: [0.5, 0.9] })];
  const b = [rec({ seed: 1, reward: 'ground-truth', acc: [0.5, 0.5] }), rec({ seed: 3, reward: 'ground-truth', acc: [0.5, 0.6] }), rec({ seed: 4, reward: 'ground-truth', acc: [0.5, 0.1] })];

  test('seedChanges keys end − start by seed and refuses a seed twice', () => {
    const m = seedChanges(a);
    expect([...m.keys()]).toEqual([1, 2, 3]);
    expect(m.get(3)).toBeCloseTo(0.4, 12);
    expect(() => seedChanges([...a, rec({ seed: 2, acc: [0.5, 0.5] })])).toThrow(/seed 2 appears twice/);
  });

  test('cellChange: mean ± sd, n and the 95% t interval of the changes', () => {
    // changes 0.1, 0.2, 0.4: mean 7/30, sd sqrt(((−0.1333)² + (−0.0333)² + 0.1667²) / 2) = sqrt(0.07/3).
    const c = cellChange(a);
    expect(c.n).toBe(3);
    expect(c.mean).toBeCloseTo(7 / 30, 12);
    expect(c.sd).toBeCloseTo(Math.sqrt(0.07 / 3), 12);
    expect(c.hi! - c.mean).toBeCloseTo((4.303 * Math.sqrt(0.07 / 3)) / Math.sqrt(3), 12);
    expect(c.start).toBeCloseTo(0.5, 12);
    expect(c.end).toBeCloseTo(0.7333333333, 8);
    const none = cellChange([]);
    expect(none.n).toBe(0);
    expect(none.lo).toBeNull();
  });

  test('armDifference pairs by seed over the seeds both arms ran', () => {
    // Shared seeds 1 and 3: (0.1 − 0) and (0.4 − 0.1) → 0.1, 0.3.
    const d = armDifference(a, b)!;
    expect(d.n).toBe(2);
    expect(d.mean).toBeCloseTo(0.2, 12);
    expect(d.sd).toBeCloseTo(Math.SQRT2 * 0.1, 12);
    expect(d.hi! - d.mean).toBeCloseTo((12.706 * Math.SQRT2 * 0.1) / Math.SQRT2, 10);
  });

  test('ladderCell takes random at γ = 0.5 and the clip arm unless told', () => {
    const runs = [...a, rec({ seed: 1, clipMode: 'noclip', acc: [0.5, 0.4] }), ...b];
    expect(ladderCell(runs, 'good-code', 'random').map((r) => r.cfg.seed)).toEqual([1, 2, 3]);
    expect(ladderCell(runs, 'good-code', 'random', 'noclip')).toHaveLength(1);
    expect(ladderCell(runs, 'good-code', 'ground-truth')).toHaveLength(3);
    expect(ladderCell(runs, 'bad-code', 'random')).toHaveLength(0);
  });
});

describe('step versions', () => {
  test('seed lists', () => {
    expect(seedList([3, 1, 2])).toBe('1–3');
    expect(seedList([4, 5])).toBe('4–5');
    expect(seedList([1, 3, 5, 6])).toBe('1, 3, 5–6');
    expect(seedsText([3])).toBe('seed 3');
    expect(seedsText([1, 2])).toBe('seeds 1–2');
  });

  test('a run logging `parsed` is of the 2 Dec step; pooled and per-version changes', () => {
    const runs = [rec({ seed: 1, acc: [0.5, 0.4] }), rec({ seed: 2, acc: [0.5, 0.5] }), rec({ seed: 3, acc: [0.5, 0.45] }), rec({ seed: 4, acc: [0.5, 0.3], dec: true }), rec({ seed: 5, acc: [0.5, 0.2], dec: true })];
    expect(runs.map(fullGridStepVersion)).toEqual(['nov-23', 'nov-23', 'nov-23', 'dec-02', 'dec-02']);
    const s = versionSplit(runs);
    expect(s.pooled.n).toBe(5);
    expect(s.pooled.mean).toBeCloseTo(-0.13, 12);
    expect(s.parts.map((p) => [p.version, p.seeds, p.change.n])).toEqual([['nov-23', [1, 2, 3], 3], ['dec-02', [4, 5], 2]]);
    expect(s.parts[0].change.mean).toBeCloseTo(-0.05, 12);
    expect(s.parts[1].change.mean).toBeCloseTo(-0.25, 12);
    // In points: seeds 1–3 −10, 0, −5 (sd 5, half-width 4.303·5/√3 = 12.42); seeds 4–5 −20, −30 (sd 7.07, half-width 12.706·5 = 63.53).
    expect(formatVersionSplit(s)).toBe('−13.0 ± 12.0 (n 5; 95% −27.9 to +1.9), pooled over two versions of the GRPO step: seeds 1–3 (23 Nov step) −5.0 ± 5.0 (n 3; 95% −17.4 to +7.4); seeds 4–5 (2 Dec step) −25.0 ± 7.1 (n 2; 95% −88.5 to +38.5)');
    expect(formatVersionSplit(versionSplit(runs.slice(0, 3)))).toBe('−5.0 ± 5.0 (n 3; 95% −17.4 to +7.4)');
    expect(stepCodeNote(runs)).toBe('GRPO step: seeds 1–3 of 23 Nov, seeds 4–5 of 2 Dec');
    expect(stepCodeNote(runs.slice(0, 3))).toBe('');
    const other = [rec({ family: 'no-code', seed: 1, acc: [0.4, 0.4] }), rec({ family: 'no-code', seed: 3, acc: [0.4, 0.4], dec: true })];
    expect(stepCodeNote([...runs, ...other])).toBe('GRPO step: good-code seeds 1–3 of 23 Nov, seeds 4–5 of 2 Dec; no-code seed 1 of 23 Nov, seed 3 of 2 Dec');
    expect(seedsByVersion(runs)).toBe('1–3: 23 Nov step; 4–5: 2 Dec step');
  });

  test('results/full: the 2 Dec runs are the 32 of commit 364b619 (seeds 4–5 of the clip ablation, seed 3 outside good-code)', () => {
    const runs = loadRuns('full');
    const dec = runs.filter((r) => fullGridStepVersion(r) === 'dec-02').map((r) => r.summary.run_id).sort();
    // From the commit's file list: good-code seeds ≥ 4 (the four clip modes of random(0.5)) and seed 3 of the other families.
    const expected = runs.filter((r) => (r.cfg.family === 'good-code' ? r.cfg.seed >= 4 : r.cfg.seed === 3)).map((r) => r.summary.run_id).sort();
    expect(dec).toHaveLength(32);
    expect(dec).toEqual(expected);
    expect(dec.filter((id) => id.startsWith('good-code'))).toEqual(['clip', 'minibatch-eq-rollout', 'noclip', 'rollout-eq-minibatch'].flatMap((m) => [4, 5].map((s) => `good-code__random-0.5__${m}__s${s}`)));
  });
});

describe('grid tables', () => {
  const runs = [
    rec({ seed: 1, acc: [0.5, 0.45], code: [0.5, 0.5] }), rec({ seed: 2, acc: [0.5, 0.4], code: [0.5, 0.4] }), rec({ seed: 3, acc: [0.5, 0.5], dec: true, code: [0.5, 0.6] }),
    rec({ seed: 1, reward: 'ground-truth', acc: [0.5, 0.6], code: [0.5, 0.7] }), rec({ seed: 2, reward: 'ground-truth', acc: [0.5, 0.7], code: [0.5, 0.9] }), rec({ seed: 3, reward: 'ground-truth', acc: [0.5, 0.65], dec: true, code: [0.5, 0.8] }),
  ];

  test('rewardGridRows: gain, paired difference to the control and the step versions', () => {
    const [gt, rnd] = rewardGridRows(runs, ['good-code'], ['ground-truth', 'random']);
    expect(gt.gain.mean).toBeCloseTo(0.15, 12);
    // ground truth − random per seed: 0.1 − (−0.05), 0.2 − (−0.1), 0.15 − 0 = 0.15, 0.3, 0.15.
    expect(gt.vsControl!.mean).toBeCloseTo(0.2, 12);
    expect(gt.vsControl!.n).toBe(3);
    expect(rnd.vsControl).toBeNull();
    expect(gt.code.end).toBeCloseTo(0.8, 12);
    expect(gt.stepCode).toBe('1–2: 23 Nov step; 3: 2 Dec step');
    expect(rewardGridRows(runs, ['good-code'], ['format'])).toEqual([]);
    const f = rewardGridFrame([gt, rnd]);
    expect(f.column('gain (pts)').values[0]).toBe('+15.0 ± 5.0 (n 3; 95% +2.6 to +27.4)');
    expect(f.column('− random(0.5), paired (pts)').values).toEqual(['+20.0 ± 8.7 (n 3; 95% −1.5 to +41.5)', '(control)']);
    expect(f.column('code % start → end').values[0]).toBe('50 → 80');
  });

  test('versionRows: pooled and per-version rows, differences over the same seeds', () => {
    const rows = versionRows([{ label: 'ground-truth', runs: runs.slice(3) }, { label: 'random', runs: runs.slice(0, 3) }], 'random');
    expect(rows.map((r) => [r.label, r.version, r.seeds])).toEqual([
      ['ground-truth', 'pooled', [1, 2, 3]], ['ground-truth', 'nov-23', [1, 2]], ['ground-truth', 'dec-02', [3]],
      ['random', 'pooled', [1, 2, 3]], ['random', 'nov-23', [1, 2]], ['random', 'dec-02', [3]],
    ]);
    expect(rows[1].accVsControl!.mean).toBeCloseTo(0.225, 12);
    expect(rows[2].accVsControl!.n).toBe(1);
    expect(rows[2].codeVsControl!.mean).toBeCloseTo(0.2, 12);
    expect(rows[3].accVsControl).toBeNull();
    const f = versionFrame(rows, 'random');
    expect(f.column('GRPO step').values.slice(0, 3)).toEqual(['pooled (both)', '23 Nov step', '2 Dec step']);
    expect(f.column('accuracy − random, paired').values[2]).toBe('+15.0 ± 0.0 (n 1; no interval at n 1)');
  });
});
