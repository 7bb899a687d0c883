import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { appendJsonl, readJsonl } from '../src/engine/jsonl';
import { PRESETS, runId, validateGrpoConfig } from '../src/rl/config';
import { loadRuns } from '../src/rl/results';

describe('readJsonl: one reader for every log', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-jsonl-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  let warn: jest.SpyInstance;
  beforeEach(() => { warn = jest.spyOn(console, 'error').mockImplementation(() => undefined); });
  afterEach(() => warn.mockRestore());
  const file = (name: string, text: string) => { const f = path.join(dir, name); fs.writeFileSync(f, text); return f; };

  test('reads rows, skipping blank lines; a missing file is no rows', () => {
    expect(readJsonl(file('ok.jsonl', '{"a":1}\n\n{"a":2}\n'))).toEqual([{ a: 1 }, { a: 2 }]);
    expect(readJsonl(path.join(dir, 'none.jsonl'))).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  test('drops a torn last line (a killed append) with one warning naming the file', () => {
    const f = file('torn.jsonl', '{"a":1}\n{"a":2}\n{"a":');
    expect(readJsonl(f)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain(`${f}:3`);
    expect(String(warn.mock.calls[0][0])).not.toContain('\n');
  });

  test('an unparsable line anywhere else is an error naming file:line', () => {
    const f = file('bad.jsonl', '{"a":1}\n{"a":\n{"a":3}\n');
    expect(() => readJsonl(f)).toThrow(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: invalid JSON`));
  });

  test('tornTail: "throw" refuses a torn last line (files written atomically cannot have one)', () => {
    const f = file('strict.jsonl', '{"a":1}\n{"a":');
    expect(() => readJsonl(f, { tornTail: 'throw' })).toThrow(/strict\.jsonl:2: invalid JSON/);
  });

  test('parse validates each row and gets file:line', () => {
    const f = file('typed.jsonl', '{"n":1}\n{"n":"x"}\n');
    const parse = (o: unknown, at: string) => {
      const n = (o as { n: unknown }).n;
      if (typeof n !== 'number') throw new Error(`${at}: field 'n' must be a number`);
      return n;
    };
    expect(() => readJsonl(f, { parse })).toThrow(/typed\.jsonl:2: field 'n' must be a number/);
  });

  test('appendJsonl adds one line per row', () => {
    const f = path.join(dir, 'app.jsonl');
    appendJsonl(f, { a: 1 });
    appendJsonl(f, { b: 'x' });
    expect(fs.readFileSync(f, 'utf8')).toBe('{"a":1}\n{"b":"x"}\n');
  });

  test('loadRuns keeps a finished run whose log has a torn tail', () => {
    const cfg = validateGrpoConfig({ ...PRESETS.smoke, family: 'good-code', reward: 'random', gamma: 0.5, steps: 1, seed: 1 });
    const run = path.join(dir, 'results', 'p', runId(cfg));
    fs.mkdirSync(run, { recursive: true });
    fs.writeFileSync(path.join(run, 'config.json'), JSON.stringify(cfg));
    const row = (step: number) => JSON.stringify({ step, reward_mean: 0.5, eval: step === 0 ? { acc: 0.5, code: 0.5, boxed: 0, length: 3, avg_at_k: null, n: 2 } : undefined });
    fs.writeFileSync(path.join(run, 'log.jsonl'), `${row(0)}\n${row(1)}\n{"step":2,"rew`);
    expect(loadRuns('p', path.join(dir, 'results')).map((r) => r.log.length)).toEqual([2]);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
