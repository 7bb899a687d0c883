/** Benchmark loaders: counts, fields, and one-line errors for malformed records. */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { BENCHMARKS, BENCHMARK_NAMES, loadBenchmark, loadBenchmarkFile, parseBenchmark } from '../src/benchmarks';

describe('loadBenchmark', () => {
  test.each(BENCHMARK_NAMES.map((n) => [n]))('%s has the documented number of well-formed records', (name) => {
    const probs = loadBenchmark(name);
    expect(probs).toHaveLength(BENCHMARKS[name].count);
    for (const p of probs) {
      expect(typeof p.prompt).toBe('string');
      expect(p.prompt.length).toBeGreaterThan(10);
      expect(p.answer.trim()).not.toBe('');
    }
  });

  test('sources and ids', () => {
    expect(new Set(loadBenchmark('math500').map((p) => p.source))).toEqual(new Set(['math']));
    expect(new Set(loadBenchmark('amc').map((p) => p.source))).toEqual(new Set(['amc']));
    expect(new Set(loadBenchmark('aime2024').map((p) => p.source))).toEqual(new Set(['aime']));
    expect(new Set(loadBenchmark('aime2025').map((p) => p.source))).toEqual(new Set(['aime2025']));
    const first = loadBenchmark('math500')[0];
    expect(first.id).toBe('test/precalculus/807.json');
    expect(first.answer).toBe('\\left( 3, \\frac{\\pi}{2} \\right)');
    expect(new Set(loadBenchmark('math500').map((p) => p.id)).size).toBe(500);
  });

  test('unknown name is a one-line error', () => {
    expect(() => loadBenchmark('gsm8k' as never)).toThrow(/^unknown benchmark "gsm8k"; expected one of math500, amc, aime2024, aime2025$/);
  });
});

describe('malformed records give one-line errors naming file, record and field', () => {
  const ok = { prompt: 'What is 1+1?', answer: '2', source: 'x', id: '0' };
  test.each([
    [{ notAnArray: true }, /^f\.json: expected a JSON array of records, got object$/],
    [[ok, 7], /^f\.json: record 1: expected an object, got number$/],
    [[ok, ok, { ...ok, answer: undefined }], /^f\.json: record 2: field "answer" is missing$/],
    [[{ ...ok, id: 3 }], /^f\.json: record 0: field "id" must be a string, got number$/],
    [[ok, { ...ok, answer: '  ' }], /^f\.json: record 1: field "answer" is empty$/],
  ])('%j', (data, message) => {
    const clean = JSON.parse(JSON.stringify(data)) as unknown;
    expect(() => parseBenchmark(clean, 'f.json')).toThrow(message);
  });

  test('a file on disk: invalid JSON and a bad record are reported with the path', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '[{"prompt": "p", "answer": "1", "source": "s"}]');
    expect(() => loadBenchmarkFile(bad)).toThrow(`${bad}: record 0: field "id" is missing`);
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '[{');
    expect(() => loadBenchmarkFile(broken)).toThrow(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: invalid JSON`));
    expect(() => loadBenchmarkFile(path.join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read/);
  });
});
