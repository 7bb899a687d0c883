import { CALCULATION_REWARD_EPS, calculationReward, calculationRewardForResponse, numericAnswer } from '../src/contamination/index';

describe("Paper B's continuous reward (Eq. 2)", () => {
  it('exact answer 1, far answer 0, no answer 0', () => {
    expect(CALCULATION_REWARD_EPS).toBe(1e-6);
    expect(calculationReward(3.5, 3.5)).toBe(1);
    expect(calculationReward(693, 693)).toBe(1);
    expect(calculationReward(1000, 1)).toBe(0); // both distances capped at 1
    expect(calculationReward(null, 3)).toBe(0);
    expect(calculationReward(NaN, 3)).toBe(0);
    expect(calculationReward(Infinity, 3)).toBe(0);
  });

  it('partial credit: absolute and relative distance', () => {
    // d = 0.5, b = 10: 1 − 0.25 − 0.5·0.5/10.000001
    expect(calculationReward(10.5, 10)).toBeCloseTo(0.725, 6);
    // d = 0.5, b = 1000: relative term ≈ 0.00025
    expect(calculationReward(1000.5, 1000)).toBeCloseTo(0.74975, 6);
    // d = 2, b = 1000: absolute capped (0.5), relative 0.001
    expect(calculationReward(1002, 1000)).toBeCloseTo(0.499, 6);
  });

  it('b = 0: any non-zero answer loses the whole relative half unless within ~1e-6', () => {
    expect(calculationReward(0, 0)).toBe(1);
    expect(calculationReward(0.5, 0)).toBeCloseTo(0.25, 12);
    // d = 1e-7: 1 − 0.5e-7 − 0.5·0.1
    expect(calculationReward(1e-7, 0)).toBeCloseTo(0.94999995, 10);
    expect(calculationReward(-3, 0)).toBe(0);
  });

  it('negative values and sign errors', () => {
    // d = 0.5, |b| = 2.5: 1 − 0.25 − 0.5·0.5/2.500001
    expect(calculationReward(-2, -2.5)).toBeCloseTo(0.65000004, 7);
    expect(calculationReward(-2.5, -2)).toBeCloseTo(0.625, 6); // relative to |b| = 2
    expect(calculationReward(3, -3)).toBe(0);
    expect(calculationReward(-7, -7)).toBe(1);
  });

  it('a non-finite gold is an error', () => {
    expect(() => calculationReward(1, NaN)).toThrow('calculationReward: gold must be a finite number, got NaN');
  });
});

describe('numeric answers for the reward', () => {
  it('reads decimals, sympy scientific notation and LaTeX', () => {
    expect(numericAnswer('693.000000000000')).toBe(693);
    expect(numericAnswer('7.27838010204082e-6')).toBe(7.27838010204082e-6);
    expect(numericAnswer('-12')).toBe(-12);
    expect(numericAnswer(' .5 ')).toBe(0.5);
    expect(numericAnswer('\\frac{3}{4}')).toBeCloseTo(0.75, 12);
    expect(numericAnswer('-\\frac{1}{8}')).toBeCloseTo(-0.125, 12);
  });

  it('gives null for no answer, variables and words', () => {
    expect(numericAnswer(null)).toBeNull();
    expect(numericAnswer('')).toBeNull();
    expect(numericAnswer('x + 1')).toBeNull();
    expect(numericAnswer('hello')).toBeNull();
  });

  it('scores a whole response', () => {
    expect(calculationRewardForResponse('so the value is \\boxed{7.27838010204082e-6}', 7.27838010204082e-6)).toBe(1);
    expect(calculationRewardForResponse('The final value is \\boxed{\\frac{3}{4}}', 0.75)).toBeCloseTo(1, 12);
    expect(calculationRewardForResponse('\\boxed{10.5}', 10)).toBeCloseTo(0.725, 6);
    expect(calculationRewardForResponse('I cannot say.', 10)).toBe(0);
  });
});
