import { loadWorldSplit } from '../src/world/dataset';
import { DEFAULT_RANGES, applyOp, generateFreshProblems, problemKey } from '../src/world/problems';

test('fresh problems are seeded, unique, disjoint from the shipped splits and correctly answered', () => {
  const shipped = new Set([...loadWorldSplit('test'), ...loadWorldSplit('train')].map(problemKey));
  const a = generateFreshProblems(7, 200, shipped);
  const b = generateFreshProblems(7, 200, shipped);
  expect(a).toEqual(b);
  expect(a.map((p) => p.id).slice(0, 2)).toEqual(['fresh-0000', 'fresh-0001']);
  const keys = a.map(problemKey);
  expect(new Set(keys).size).toBe(200);
  expect(keys.filter((k) => shipped.has(k))).toEqual([]);
  for (const p of a) expect(String(p.steps.reduce((v, s) => applyOp(v, s.op, s.operand), p.start))).toBe(p.answer);
  expect(generateFreshProblems(8, 50, shipped).map(problemKey)).not.toEqual(keys.slice(0, 50));
});

test('ranges too narrow for n fresh problems are an error, not a hang', () => {
  const tiny = { ...DEFAULT_RANGES, minOperands: 2, maxOperands: 2, start: [1, 1] as [number, number], addend: [1, 1] as [number, number], factor: [2, 2] as [number, number], opWeights: [1, 0, 0] as [number, number, number] };
  expect(() => generateFreshProblems(1, 5, new Set(), tiny)).toThrow(/only 1 of 5 fresh problems/);
});
