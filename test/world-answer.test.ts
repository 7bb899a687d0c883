import { Rng } from '../src/engine/rng';
import { makeReward } from '../src/rl/rewards';
import { gradeWorldResponse, sameWorldAnswer } from '../src/world/grade';

describe('sameWorldAnswer: the one equality between a world answer and a label', () => {
  test('equal numbers are the same answer', () => {
    expect(sameWorldAnswer('5', '5')).toBe(true);
    expect(sameWorldAnswer('-3', '-3')).toBe(true);
    expect(sameWorldAnswer('07', '7')).toBe(true);
    expect(sameWorldAnswer('5', '6')).toBe(false);
  });

  test('a missing, empty or non-numeric side is never the same (Number("") is 0)', () => {
    expect(sameWorldAnswer('0', '')).toBe(false);
    expect(sameWorldAnswer('0', ' ')).toBe(false);
    expect(sameWorldAnswer('', '')).toBe(false);
    expect(sameWorldAnswer('0', null)).toBe(false);
    expect(sameWorldAnswer('0', undefined)).toBe(false);
    expect(sameWorldAnswer(null, '0')).toBe(false);
    expect(sameWorldAnswer('abc', 'abc')).toBe(false);
    expect(sameWorldAnswer('Infinity', 'Infinity')).toBe(false);
    expect(sameWorldAnswer('0x10', '16')).toBe(false);
  });

  test('grading and the answer-matching rewards use it: an empty label does not reward the answer 0', () => {
    expect(gradeWorldResponse('p', 'so \\boxed{0}', '').correct).toBe(false);
    expect(gradeWorldResponse('p', 'so \\boxed{0}', '0').correct).toBe(true);
    const truth = makeReward('ground-truth');
    expect(truth.fn({ prompt: '', response: 'The answer is 0.', label: '', rng: new Rng(1) })).toBe(0);
    expect(truth.fn({ prompt: '', response: 'The answer is 0.', label: '0', rng: new Rng(1) })).toBe(1);
  });
});
