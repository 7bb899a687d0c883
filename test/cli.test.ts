import { flag, hasFlag, numFlag } from '../scripts/cli';

test('flags parse values and name the flag in errors', () => {
  const argv = ['node', 'x', '--family', 'good-code', '--k', '4', '--json', '--lr', 'abc', '--steps'];
  expect(flag('family', argv)).toBe('good-code');
  expect(flag('missing', argv)).toBeUndefined();
  expect(numFlag('k', { integer: true, min: 1 }, argv)).toBe(4);
  expect(hasFlag('json', argv)).toBe(true);
  expect(() => numFlag('lr', {}, argv)).toThrow("--lr must be a number, got 'abc'");
  expect(() => numFlag('k', { integer: true, min: 5 }, argv)).toThrow("--k must be an integer ≥ 5, got '4'");
  expect(() => flag('steps', argv)).toThrow('--steps needs a value');
  expect(() => flag('k', ['--k', '--json'])).toThrow('--k needs a value');
});
