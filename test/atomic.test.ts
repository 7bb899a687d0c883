import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeFileAtomic } from '../src/engine/atomic';
import { writeProblems } from '../src/world/dataset';

describe('writeFileAtomic: one temp-then-rename for every write that replaces a file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-atomic-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('writes text and bytes, replaces an existing file, leaves no temporary file', () => {
    const f = path.join(dir, 'a.json');
    writeFileAtomic(f, 'old\n');
    writeFileAtomic(f, '{"new":1}\n');
    expect(fs.readFileSync(f, 'utf8')).toBe('{"new":1}\n');
    writeFileAtomic(path.join(dir, 'b.bin'), Buffer.from([1, 2, 3]));
    expect([...fs.readFileSync(path.join(dir, 'b.bin'))]).toEqual([1, 2, 3]);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.json', 'b.bin']);
  });

  test('a write that cannot complete keeps the old file, removes its temporary file and names the file', () => {
    const sub = path.join(dir, 'fail');
    fs.mkdirSync(path.join(sub, 'target'), { recursive: true });
    expect(() => writeFileAtomic(path.join(sub, 'target'), 'x')).toThrow(/target/);
    expect(fs.readdirSync(sub)).toEqual(['target']);
  });

  test('writeProblems (one of its users) leaves no temporary file behind on failure', () => {
    const sub = path.join(dir, 'problems');
    fs.mkdirSync(path.join(sub, 'test.jsonl'), { recursive: true });
    expect(() => writeProblems(path.join(sub, 'test.jsonl'), [])).toThrow();
    expect(fs.readdirSync(sub)).toEqual(['test.jsonl']);
  });
});
