/** Paper B's RL experiment in the stand-in: the answer-token probability and the grid's shape. */
import { answerTokenProbability } from '../src/rl/evaluate';
import { CONTAMINATION_ARMS, phaseRuns } from '../src/rl/phase';

describe('answer-token probability (Paper B Fig. 9 analogue)', () => {
  test('averages the probabilities of the tokens that spell the final answer, found as the verifier finds them', () => {
    // Multi-character tokens, as the world's tokenizer has: the answer "17" is two tokens here.
    const pieces = ['x=3+4', ' # 7\n', 'The answer is ', '\\boxed{', '1', '7', '}.'];
    const lps = pieces.map(() => Math.log(0.5));
    lps[4] = Math.log(0.9);
    lps[5] = Math.log(0.7);
    expect(answerTokenProbability(pieces, lps)).toBeCloseTo(0.8, 3);
    // One token holding the whole number counts once.
    expect(answerTokenProbability(['The answer is ', '\\boxed{', '17', '}.'], [0, 0, Math.log(0.3), 0])).toBeCloseTo(0.3, 3);
    // The verifier reads the last \boxed{} before any stated answer.
    const both = ['The answer is ', '\\boxed{', '5', '}. ', 'The answer is ', '6', '.'];
    expect(answerTokenProbability(both, both.map((p) => Math.log(p === '5' ? 0.25 : 1)))).toBeCloseTo(0.25, 3);
    expect(answerTokenProbability(['The answer is ', '-', '4', '.'], [0, Math.log(0.5), Math.log(0.5), 0])).toBeCloseTo(0.5, 3);
    expect(answerTokenProbability(['no answer here'], [0])).toBeNull();
    // Log-probs that do not match the tokens (a truncated record) give null, not a made-up number.
    expect(answerTokenProbability(['The answer is ', '12', '.'], [0, 0])).toBeNull();
  });
});

describe('contamination grid', () => {
  const runs = phaseRuns('contamination', () => []);
  test('three families × (correct, random 0.5, inverted) × (clip, noclip) × 3 paired seeds, seed by seed', () => {
    expect(runs).toHaveLength(3 * 6 * 3);
    expect(CONTAMINATION_ARMS.map((a) => `${a.reward}/${a.arm}`)).toEqual(['ground-truth/clip', 'ground-truth/noclip', 'random/clip', 'random/noclip', 'inverted/clip', 'inverted/noclip']);
    expect(new Set(runs.map((r) => r.cfg.family))).toEqual(new Set(['good-code-leaked', 'good-code-unleaked', 'good-code-leaked-heavy']));
    // Seed-major: the first 18 runs hold every family's every arm at seed 1.
    expect(runs.slice(0, 18).every((r) => r.cfg.seed === 1)).toBe(true);
    for (const r of runs) {
      expect(r.cfg.freshProblems).toBe(200);
      expect(r.cfg.probeProblems).toBeUndefined();
      expect(r.cfg.epsilon).toBe(0.2);
      expect(r.cfg.gamma).toBe(r.cfg.reward === 'random' ? 0.5 : null);
    }
    // The pre-registered pair differs in nothing but the family.
    const strip = (id: string) => id.replace(/contam-(un)?leaked__good-code-(un)?leaked/, '');
    expect(runs.filter((r) => r.cfg.family === 'good-code-leaked-heavy').every((r) => r.cfg.evalProblems === 500)).toBe(true);
    const leaked = runs.filter((r) => r.cfg.family === 'good-code-leaked');
    for (const r of leaked) {
      const twin = runs.find((x) => x.cfg.family === 'good-code-unleaked' && strip(x.id) === strip(r.id))!;
      expect({ ...twin.cfg, family: '' }).toEqual({ ...r.cfg, family: '' });
    }
    expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
  });
});

describe('reading the contamination runs', () => {
  const { contaminationRun, contaminationCellRows, shareAbove } = require('../src/rl/contaminationTable') as typeof import('../src/rl/contaminationTable');
  const { contaminationGainsSpec, answerProbabilitySpec } = require('../src/plot/contamination') as typeof import('../src/plot/contamination');
  const mask = [true, true, false, false]; // problems 0, 1 leaked
  const evalAt = (step: number, bits: string, fresh: number, probs: (number | null)[]) => ({
    step, eval: { acc: 0, code: 0, boxed: 0, length: 0, avg_at_k: null, n: 4, correct_bits: bits, answer_probs: probs, fresh: { acc: fresh, n: 10, correct_bits: '', answer_probs: [0.4, null] } },
  });
  const cfg = (seed: number) => ({ family: 'good-code-leaked', reward: 'random' as const, gamma: 0.5, surrogate: 'clip' as const, estimator: 'group-normalised' as const, batching: 'minibatches' as const, seed, evalProblems: 4 });
  // Seed 1: leaked 1/2 → 2/2 (+50), unleaked 1/2 → 0/2 (−50), fresh 0.2 → 0.3 (+10). Seed 2: leaked 0 → +50, unleaked 0, fresh 0.
  const log1 = [evalAt(0, '1010', 0.2, [0.9, 0.95, 0.3, null]), { step: 1 }, evalAt(12, '1100', 0.3, [0.99, 0.97, 0.2, 0.1])];
  const log2 = [evalAt(0, '0000', 0.2, [0.5, 0.6, 0.3, 0.2]), evalAt(12, '1000', 0.2, [0.5, 0.6, 0.3, 0.2])];

  const ops = { test: [1, 2, 1, 3], fresh: [] as number[] };
  const leak = { fraction: 0.5, contaminated: true };
  test('per-split accuracy comes from the per-problem bits and the leak mask; the R1 difference is taken seed by seed', () => {
    const r1 = contaminationRun('a', cfg(1), log1 as never, mask, ops, leak);
    expect(r1.acc).toEqual({ leaked: [0.5, 1], unleaked: [0.5, 0], fresh: [0.2, 0.3] });
    expect(r1.steps).toEqual([0, 12]);
    expect(r1.reward).toBe('random-0.5');
    expect(r1.answer_probs_start).toEqual({ leaked: [0.9, 0.95], unleaked: [0.3], fresh: [0.4] });
    // Gold-answer probabilities: only problems answered correctly (bits '1010' at the start; fresh bits empty).
    expect(r1.gold_probs_start).toEqual({ leaked: [0.9], unleaked: [0.3], fresh: [] });
    expect(r1.gold_probs_end).toEqual({ leaked: [0.99, 0.97], unleaked: [], fresh: [] });
    // Per-problem difficulty and correctness, split by the mask, first and last evaluation.
    expect(r1.problems.leaked).toEqual({ ops: [1, 2], start: '10', end: '11' });
    expect(r1.problems.unleaked).toEqual({ ops: [1, 3], start: '10', end: '00' });
    expect(r1.leak_fraction).toBe(0.5);
    const r2 = contaminationRun('b', cfg(2), log2 as never, mask, ops, leak);
    const [row] = contaminationCellRows([r1, r2]);
    expect(row.seeds).toBe(2);
    expect(row.problems).toEqual({ leaked: 2, unleaked: 2, fresh: 0 });
    // Changes carry the 95% t interval of the per-seed values: leaked +50 and +50 → sd 0, interval [50, 50].
    expect(row.change.leaked!.lo).toBeCloseTo(50);
    // R1 per seed: +100 and +50 → mean 75, sd 25√2, half-width t(0.975, 1) · sd / √2 = 12.706 · 25.
    expect(row.leaked_minus_unleaked!.lo).toBeCloseTo(75 - 12.706 * 25);
    expect(row.change.leaked!.mean).toBeCloseTo(50);
    expect(row.change.unleaked!.mean).toBeCloseTo(-25);
    expect(row.change.fresh!.mean).toBeCloseTo(5);
    expect(row.leaked_minus_unleaked!.mean).toBeCloseTo((100 + 50) / 2);
    expect(row.leaked_minus_unleaked!.sd).toBeCloseTo(Math.SQRT2 * 25);
    expect(shareAbove([0.9, 0.95, 0.3], 1 / 1.2)).toBeCloseTo(200 / 3);
    expect(shareAbove([], 0.5)).toBeNull();
    // A run whose evaluations lack the contamination fields is refused with its id.
    expect(() => contaminationRun('plain-run', cfg(1), [{ step: 0, eval: { acc: 0.5 } }] as never, mask, ops, leak)).toThrow(/plain-run: step 0's evaluation has no per-problem correctness/);
    // Difficulties that do not match the evaluated problems are refused, not silently misaligned.
    expect(() => contaminationRun('a', cfg(1), log1 as never, mask, { test: [1, 2, 3], fresh: [] }, leak)).toThrow(/a: 3 test difficulties for 4 evaluated test problems/);
    expect(() => contaminationRun('a', cfg(1), log1 as never, mask, { test: ops.test, fresh: [2] }, leak)).toThrow(/a: step 0 has 0 fresh bits for 1 fresh problems/);
    const spec = contaminationGainsSpec([row], ['good-code-leaked']);
    const leakedBar = spec.data.find((t) => t.name === 'leaked test problems')!;
    expect(leakedBar.y).toEqual([row.change.leaked!.mean]);
    expect(spec.provenance).toMatch(/^ours — stand-in/);
    expect(spec.provenance).toContain('n = 2 seeds per arm (1 arm)');
    const hist = answerProbabilitySpec([r1, r2], 'good-code-leaked', 'random-0.5', 'clip');
    expect(hist.data).toHaveLength(6);
    expect(hist.data[0].x).toEqual([0.9, 0.95, 0.5, 0.6]);
    expect(hist.provenance).toContain('n = 2 seeds pooled');
    expect(hist.provenance).toContain('answers per seed at step 0: leaked 2, unleaked 1, fresh 1');
  });
});
