/**
 * Notebook 02's reading of the regime grid: rows paired to each family's matched null, and the
 * pre-registered R1–R3 and positive control on hand-made run records (no GRPO run).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PRESETS, runId, validateGrpoConfig } from '../src/rl/config';
import type { StepLog } from '../src/rl/log';
import { summarizeLog } from '../src/rl/run';
import type { RunRecord } from '../src/rl/results';
import { REGIME_NULL_ARM, loadRegimeRuns, regimeFigureNote, regimeRows, regimeSettings, regimeStepCodeNote, regimeVerdicts } from '../src/rl/regimeTable';
import { regimeFrame, regimeVerdictFrame } from '../src/rl/frames';
import { recordProvenance } from '../src/rl/provenance';
import { PAPER_REWARD_LADDER } from '../src/rl/grid';
import { FAMILY_NAMES } from '../src/world/families';
import type { RewardName } from '../src/rl/rewards';

const SEEDS = [201, 202, 203];

/** A finished 2-step run whose greedy accuracy goes from 0.3 to 0.3 + gain (code share 0.5 → 0.5 + codeGain). */
function rec(family: string, reward: string, arm: string, seed: number, gain: number, codeGain = 0): RunRecord {
  const cfg = validateGrpoConfig({ ...PRESETS.smoke, family, reward: reward as RewardName, gamma: reward === 'random' ? 0.5 : null, clipMode: arm, steps: 2, seed });
  const ev = (acc: number, code: number) => ({ acc, code, boxed: 1, length: 10, avg_at_k: null, n: 500, parsed: 1 });
  const log = [{ step: 0, eval: ev(0.3, 0.5) }, { step: 1 }, { step: 2, eval: ev(0.3 + gain, 0.5 + codeGain) }] as unknown as StepLog[];
  return { cfg, log, summary: summarizeLog(cfg, log) };
}

/** Every run of the grid, with the accuracy change each (family, reward, arm, seed) is given. */
function grid(gain: (family: string, reward: string, arm: string, seed: number) => number | null): RunRecord[] {
  return SEEDS.flatMap((seed) => FAMILY_NAMES.flatMap((family) => [...PAPER_REWARD_LADDER.map((reward) => ({ reward, arm: 'clip' })), { reward: 'random', arm: REGIME_NULL_ARM }]
    .flatMap(({ reward, arm }) => { const g = gain(family, reward, arm, seed); return g === null ? [] : [rec(family, reward, arm, seed, g)]; })));
}

// Seeds 201–203 get offsets 0, 1, 2 (in hundredths), so no difference is constant.
const off = (seed: number) => (seed - 201) / 100;
const base = (family: string, reward: string, arm: string, seed: number): number => {
  if (arm === REGIME_NULL_ARM) return -0.1 + off(seed);
  if (reward === 'ground-truth') return 0.3 + off(seed);
  if (reward === 'random') return -0.05 + 2 * off(seed); // clip − null = 0.05 + off: above zero
  return -0.02 - off(seed);
};

test('regimeRows: each family\'s rewards with the clip, then its matched null; differences paired by seed', () => {
  const runs = grid((f, r, a, s) => (f === 'no-code-weak' && s === 203 && a === REGIME_NULL_ARM ? null : base(f, r, a, s)));
  const rows = regimeRows(runs);
  expect(rows).toHaveLength(FAMILY_NAMES.length * (PAPER_REWARD_LADDER.length + 1));
  const good = rows.filter((r) => r.family === 'good-code');
  expect(good.map((r) => r.reward)).toEqual([...PAPER_REWARD_LADDER, 'random']);
  expect(good[good.length - 1].arm).toBe(REGIME_NULL_ARM);
  expect(good[good.length - 1].vsNull).toBeNull();
  // random + clip − null per seed: 0.05, 0.06, 0.07.
  const rc = good.find((r) => r.reward === 'random' && r.arm === 'clip')!;
  expect(rc.vsNull!.n).toBe(3);
  expect(rc.vsNull!.mean).toBeCloseTo(0.06, 12);
  expect(rc.vsNull!.sd).toBeCloseTo(0.01, 12);
  // A family whose null lacks a seed pairs over the seeds both ran.
  const weak = rows.find((r) => r.family === 'no-code-weak' && r.reward === 'random' && r.arm === 'clip')!;
  expect(weak.vsNull!.n).toBe(2);
  expect(rows.find((r) => r.family === 'no-code-weak' && r.arm === REGIME_NULL_ARM)!.seeds).toEqual([201, 202]);
  expect(regimeFrame(rows).shape[0]).toBe(rows.length);
});

test('R1 waits for every family × seed pair and says what it has so far; then it is judged on the interval', () => {
  const partial = grid((f, r, a, s) => (s === 203 && f === 'bad-code' && a === REGIME_NULL_ARM ? null : base(f, r, a, s)));
  const w = regimeVerdicts(partial).find((v) => v.id === 'R1')!;
  expect(w.status).toBe('waiting');
  expect(w.reading).toMatch(/waiting for 1 of 12 family × seed pairs; so far .*n 11/);
  const up = regimeVerdicts(grid(base)).find((v) => v.id === 'R1')!;
  expect(up.status).toBe('supported');
  expect(up.reading).toMatch(/\+6\.0 ± .*n 12.*interval above zero/);
  // Differences of both signs: the interval covers zero.
  const mixed = grid((f, r, a, s) => (r === 'random' && a === 'clip' ? -0.1 + off(s) + (s === 202 ? 0.05 : -0.05) : base(f, r, a, s)));
  expect(regimeVerdicts(mixed).find((v) => v.id === 'R1')!.status).toBe('not supported');
});

test('R2 compares good-code\'s clip − null with no-code\'s, paired by seed', () => {
  // good-code: clip − null 0.05 + off; no-code: the same + 0.03 → difference −0.03 on every seed: below zero.
  const runs = grid((f, r, a, s) => (f === 'no-code' && r === 'random' && a === 'clip' ? base(f, r, a, s) + 0.03 + off(s) / 10 : base(f, r, a, s)));
  const v = regimeVerdicts(runs).find((x) => x.id === 'R2')!;
  expect(v.status).toBe('not supported');
  expect(v.reading).toMatch(/difference −3\.\d .*interval below zero/);
  const more = grid((f, r, a, s) => (f === 'good-code' && r === 'random' && a === 'clip' ? base(f, r, a, s) + 0.04 + off(s) / 10 : base(f, r, a, s)));
  expect(regimeVerdicts(more).find((x) => x.id === 'R2')!.status).toBe('supported');
});

test('R3: one spurious cell above zero is enough; none of 12 is "not supported"; a short grid waits', () => {
  expect(regimeVerdicts(grid(base)).find((v) => v.id === 'R3')!.status).toBe('not supported');
  const gain = grid((f, r, a, s) => (f === 'bad-code' && r === 'incorrect' ? 0.02 + off(s) : base(f, r, a, s)));
  const v = regimeVerdicts(gain).find((x) => x.id === 'R3')!;
  expect(v.status).toBe('supported');
  expect(v.reading).toMatch(/1 of 12 finished cells above zero: bad-code incorrect \+3\.0/);
  const short = grid((f, r, a, s) => (f === 'no-code' && r === 'format' && s === 203 ? null : base(f, r, a, s)));
  expect(regimeVerdicts(short).find((x) => x.id === 'R3')!.status).toBe('waiting');
});

test('a failed positive control turns every decided R into untested', () => {
  const ok = regimeVerdicts(grid(base));
  expect(ok[0]).toMatchObject({ id: 'positive control', status: 'supported' });
  const flat = grid((f, r, a, s) => (f === 'no-code' && r === 'ground-truth' ? (s === 202 ? 0.01 : -0.01) : base(f, r, a, s)));
  const v = regimeVerdicts(flat);
  expect(v[0].status).toBe('not supported');
  expect(v.slice(1).map((x) => x.status)).toEqual(['untested', 'untested', 'untested']);
  expect(regimeVerdictFrame(v).shape[0]).toBe(4);
});

test('regimeStepCodeNote counts runs by the step code their provenance files record', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'regime-note-'));
  const runs = [rec('good-code', 'random', 'clip', 201, 0), rec('no-code', 'random', 'clip', 201, 0), rec('bad-code', 'random', 'clip', 201, 0)];
  const seg = (sha: string) => ({ from_step: 0, step_code_sha1: sha, commit: 'c', dirty: false, backend: 'cpu', workers: 0, tfjs: 't', node: 'n', started_at: 'x' });
  runs.forEach((r, i) => {
    const dir = path.join(root, 'regime', runId(r.cfg));
    fs.mkdirSync(dir, { recursive: true });
    if (i < 2) recordProvenance(dir, seg(i === 0 ? 'aaa' : 'bbb'));
  });
  expect(regimeStepCodeNote(runs, root)).toBe('GRPO step aaa (1 run), bbb (1 run), no provenance file (1 run)');
  fs.rmSync(root, { recursive: true, force: true });
});

test('the regime\'s settings, figure note and loader', () => {
  const runs = grid(base);
  expect(regimeSettings(runs)).toBe('lr 1e-4, ε 0.2, 2 steps of 16 rollouts');
  const odd = rec('good-code', 'format', 'clip', 201, 0);
  odd.cfg = { ...odd.cfg, lr: 1 };
  expect(() => regimeSettings([...runs, odd])).toThrow(/runs with different settings/);
  // The null's change: −10, −9, −8 points.
  expect(regimeFigureNote(runs, 'no-code', fs.mkdtempSync(path.join(os.tmpdir(), 'regime-empty-')))).toMatch(/seeds 201–203; matched null .*: −9\.0 ± 1\.0 \(n 3; 95% .*\) points; GRPO step no provenance file \(21 runs\)/);
  expect(loadRegimeRuns(fs.mkdtempSync(path.join(os.tmpdir(), 'regime-none-')))).toEqual([]);
});
