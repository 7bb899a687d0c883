import { parseFlags } from '../scripts/cli';

describe('parseFlags: one strict parser for every script', () => {
  const spec = {
    family: { type: 'string' },
    'clip-mode': { type: 'string', default: 'clip', choices: ['clip', 'noclip'] },
    seeds: { type: 'number', integer: true, min: 1, default: 1 },
    gamma: { type: 'number' },
    json: { type: 'boolean' },
  } as const;

  test('parses values, defaults and booleans', () => {
    const f = parseFlags(spec, ['--family', 'good-code', '--seeds', '3', '--json', '--gamma=0.25']);
    expect(f).toEqual({ family: 'good-code', 'clip-mode': 'clip', seeds: 3, gamma: 0.25, json: true, positionals: [] });
    const d = parseFlags(spec, []);
    expect(d.family).toBeUndefined();
    expect(d.gamma).toBeUndefined();
    expect(d.json).toBe(false);
    expect(d.seeds).toBe(1);
  });

  test('an unknown flag is a one-line error listing the known ones', () => {
    expect(() => parseFlags(spec, ['--clipmode', 'noclip'])).toThrow('unknown flag --clipmode (known: --family, --clip-mode, --seeds, --gamma, --json)');
  });

  test('a flag without its value is an error naming it', () => {
    expect(() => parseFlags(spec, ['--family'])).toThrow(/^--family needs a value$/);
    expect(() => parseFlags(spec, ['--family', '--json'])).toThrow(/^--family needs a value/);
    expect(() => parseFlags(spec, ['--json=yes'])).toThrow('--json takes no value');
    expect(parseFlags(spec, ['--gamma', '-0.5', '--family', '-x']).gamma).toBe(-0.5);
    expect(parseFlags(spec, ['--family', '-x']).family).toBe('-x');
  });

  test('numbers: bad number, non-integer and below min are errors; --seeds 0 among them', () => {
    expect(() => parseFlags(spec, ['--gamma', 'abc'])).toThrow("--gamma must be a number, got 'abc'");
    expect(() => parseFlags(spec, ['--seeds', '1.5'])).toThrow("--seeds must be an integer ≥ 1, got '1.5'");
    expect(() => parseFlags(spec, ['--seeds', '0'])).toThrow("--seeds must be an integer ≥ 1, got '0'");
    expect(() => parseFlags(spec, ['--seeds', ''])).toThrow("--seeds must be an integer ≥ 1, got ''");
  });

  test('choices and positionals', () => {
    expect(() => parseFlags(spec, ['--clip-mode', 'nope'])).toThrow("--clip-mode must be one of clip, noclip, got 'nope'");
    expect(() => parseFlags(spec, ['extra'])).toThrow("unexpected argument 'extra' (this command takes only flags: --family, --clip-mode, --seeds, --gamma, --json)");
    expect(parseFlags(spec, ['a', '--json', 'b'], { positionals: true }).positionals).toEqual(['a', 'b']);
  });
});
