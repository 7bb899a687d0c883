import { Rng } from '../src/engine/rng';
import { makeReward } from '../src/rl/rewards';

const r = (name: string, response: string, label: string) => makeReward(name).fn({ prompt: 'Compute 2+3.\n', response, label, rng: new Rng(1) });

test("'inverted' is 1 − ground truth", () => {
  expect(r('inverted', '2+3=5. The answer is 5.', '5')).toBe(0);
  expect(r('inverted', '2+3=6. The answer is 6.', '5')).toBe(1);
  expect(r('inverted', 'no answer here', '5')).toBe(1);
  expect(makeReward('inverted').labelKind).toBe('truth');
});

test("'continuous' is Paper B's calculation reward on the stated answer", () => {
  expect(r('continuous', 'The answer is \\boxed{40}.', '40')).toBe(1);
  // |a−b| = 1, |a−b|/(|b|+1e-6) ≈ 0.025: 1 − 0.5 − 0.0125 = 0.4875
  expect(r('continuous', 'The answer is 41.', '40')).toBeCloseTo(1 - 0.5 - 0.5 * (1 / (40 + 1e-6)), 9);
  expect(r('continuous', 'The answer is 400.', '40')).toBe(0);
  expect(r('continuous', 'nothing stated', '40')).toBe(0);
});
