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
    expect(CONTAMINATION_ARMS.map((a) => `${a.reward}/${a.clipMode}`)).toEqual(['ground-truth/clip', 'ground-truth/noclip', 'random/clip', 'random/noclip', 'inverted/clip', 'inverted/noclip']);
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
