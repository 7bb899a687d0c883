/** extractAnswer: boxed answers first, then answer phrases, then the last number. */
import { extractAnswer, isEquivalent } from '../src/grader';

describe('extractAnswer', () => {
  test.each([
    ['So the result is $\\boxed{\\frac{1}{2}}$.', '\\frac{1}{2}'],
    ['$\\boxed{\\frac{\\sqrt{3}}{2}}$', '\\frac{\\sqrt{3}}{2}'],
    ['first \\boxed{1}, then corrected: \\boxed{2}', '2'],
    ['\\fbox{7}', '7'],
    ['hence $\\boxed 5$', '5'],
    ['\\boxed{\\{1,2\\}}', '\\{1,2\\}'],
    ['\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}', '\\left( 3, \\frac{\\pi}{2} \\right)'],
    ['The answer is 42.', '42'],
    ['Final Answer: The final answer is $\\frac{3}{4}$. I hope it is correct.', '\\frac{3}{4}'],
    ['final answer: 3.5', '3.5'],
    ['Answer: (2,3)', '(2,3)'],
    ['we get 3 apples and 5 pears', '5'],
    ['the total is 1,000 dollars', '1,000'],
    ['ratio 7/8 in the end', '7/8'],
    ['unterminated \\boxed{3', '3'],
    ['```python\nprint(2+2)\n```\noutput 4', '4'],
  ])('%j → %j', (response, expected) => {
    expect(extractAnswer(response)).toBe(expected);
  });

  test.each([[''], ['   '], ['no digits here'], ['\\boxed{}']])('%j → null', (response) => {
    expect(extractAnswer(response)).toBeNull();
  });

  test('non-string input returns null', () => {
    expect(extractAnswer(undefined as unknown as string)).toBeNull();
  });

  test('extract then grade end to end', () => {
    const r = 'Let me compute... so $x = \\boxed{\\dfrac{14}{3}}$';
    expect(isEquivalent(extractAnswer(r) ?? '', '\\frac{14}{3}')).toBe(true);
    expect(isEquivalent(extractAnswer('The answer is 0.5.') ?? '', '50\\%')).toBe(true);
  });
});
