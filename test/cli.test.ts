import { spawnSync } from 'child_process';
import * as path from 'path';
import { helpText, parseFlags } from '../scripts/cli';

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

describe('--help on every command: flags, types, defaults; exit 0', () => {
  const spec = {
    family: { type: 'string', description: 'the problem family' },
    'clip-mode': { type: 'string', default: 'clip', choices: ['clip', 'noclip'] },
    seeds: { type: 'number', integer: true, min: 1, default: 1 },
    gamma: { type: 'number' },
    json: { type: 'boolean', description: 'one JSON line' },
  } as const;

  test('helpText: one line per flag with its type or choices, default and description', () => {
    expect(helpText(spec, { command: 'npm run x --', about: 'Runs x.' }).split('\n')).toEqual([
      'usage: npm run x -- [flags]',
      '',
      'Runs x.',
      '',
      'flags:',
      '  --family <string>        the problem family',
      '  --clip-mode clip|noclip  default: clip',
      '  --seeds <integer ≥ 1>    default: 1',
      '  --gamma <number>',
      '  --json                   one JSON line; switch, off unless given',
      '  --help                   print this help and exit',
      '',
    ]);
    expect(helpText({}, { command: 'npm run doctor --' })).toBe('usage: npm run doctor\n\nflags:\n  --help  print this help and exit\n');
    expect(helpText({}, { command: 'npm run figures --', positionals: true }).split('\n')[0]).toBe('usage: npm run figures -- [arguments]');
  });

  test('parseFlags: --help prints the help and exits 0, whatever else is on the line; after -- it is an argument', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => { throw new Error(`exit ${code}`); }) as never);
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      for (const argv of [['--help'], ['--clipmode', 'x', '--help'], ['--seeds', '0', '--help'], ['--family', '--help']]) {
        expect(() => parseFlags(spec, argv, { command: 'npm run x --' })).toThrow('exit 0');
      }
      expect(write).toHaveBeenCalledTimes(4);
      expect(write).toHaveBeenLastCalledWith(helpText(spec, { command: 'npm run x --' }));
      expect(parseFlags(spec, ['--family', 'a', '--', '--help'], { positionals: true }).positionals).toEqual(['--help']);
    } finally {
      exit.mockRestore();
      write.mockRestore();
    }
  });

  const ROOT = path.join(__dirname, '..');

  test('npm run real -- export --help, and every subcommand of real (eval, grpo, export) and real itself', () => {
    const exportHelp = spawnSync('npm', ['run', '--silent', 'real', '--', 'export', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(exportHelp.status).toBe(0);
    const lines = exportHelp.stdout.split('\n');
    expect(lines[0]).toBe('usage: npm run real -- export [flags]');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}--engine openrlhf\|ttrl +the trainer to launch on; default: openrlhf$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}--gpus <integer ≥ 1> +GPUs on the node \(the paper: 8\); default: 8$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}--steps <integer ≥ 1> +default: 150$/));

    // in one process: each subcommand's --help (process.exit stubbed so the next one runs)
    const script = [
      "const { realCli } = require('./scripts/real');",
      'process.exit = (code) => { throw Object.assign(new Error("exit"), { exitCode: code }); };',
      '(async () => {',
      "  for (const argv of [['eval', '--help'], ['grpo', '--help'], ['export', '--help'], ['--help']]) {",
      "    process.argv = [process.argv[0], require('path').resolve('scripts/real.ts'), ...argv]; // as `tsx scripts/real.ts ...` sets it",
      "    try { await realCli(argv); console.log(`## ${argv[0]} returned`); } catch (e) { console.log(`## ${argv[0]} exit ${e.exitCode}`); }",
      '  }',
      '})();',
    ].join('\n');
    const all = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(all.status).toBe(0);
    const out = all.stdout;
    expect(out).toMatch(/usage: tsx scripts\/real\.ts eval \[flags\][\s\S]*--bench math500\|amc\|aime2024\|aime2025\s+default: math500[\s\S]*## eval exit 0/);
    expect(out).toMatch(/usage: .* grpo \[flags\][\s\S]*--run-dir <string>[\s\S]*## grpo exit 0/);
    expect(out).toMatch(/usage: .* export \[flags\][\s\S]*--engine openrlhf\|ttrl[\s\S]*## export exit 0/);
    expect(out).toMatch(/usage: npm run real -- eval[\s\S]*npm run real -- <command> --help[\s\S]*## --help returned/);
  });
});
