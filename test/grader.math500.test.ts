/**
 * The grader on the real gold answers: every gold answer matches itself and its \boxed{}
 * rendering, and across problems only genuinely equal answers match.
 */
import { loadBenchmark, BENCHMARK_NAMES } from '../src/benchmarks';
import { extractAnswer, isEquivalent } from '../src/grader';
import { equivalenceBucket, WILDCARD_BUCKETS } from '../src/grader/buckets';

const math = loadBenchmark('math500');

/**
 * Cross-problem pairs of MATH-500 gold answers (file indices) whose strings differ but which the
 * grader calls equivalent. Hand-checked: each is the same value written with/without a unit
 * (°, \$, cm²), as `x=5` vs `5`, \frac14 vs \frac{1}{4}, 10,\!080 vs 10080, spacing, or the same
 * unordered solution list (1,-2 vs -2,1). The two `40_9` vs `40` pairs are equal only under the
 * grader's deliberate leniency that drops a base subscript (a model answering "40" to a base-9
 * question gets credit); as numbers they differ (40_9 = 36).
 */
const EXPECTED_DIFFERENT_STRING_PAIRS: [number, number][] = [
  [7, 229], [13, 23], [22, 23], [23, 47], [23, 59], [23, 211], [23, 302], [23, 344], [25, 456],
  [70, 104], [70, 200], [109, 133], [109, 324], [128, 281], [128, 488], [133, 260], [155, 362],
  [156, 192], [177, 192], [192, 233], [194, 362], [198, 349], [229, 372], [260, 324], [263, 467],
  [281, 287], [281, 488], [287, 488], [327, 467], [362, 494], [409, 418], [445, 467], [467, 489],
];

describe('grader on benchmark gold answers', () => {
  test.each(BENCHMARK_NAMES.map((n) => [n]))('%s: each gold equals itself and its \\boxed{} rendering', (name) => {
    const bad: string[] = [];
    for (const p of loadBenchmark(name)) {
      const boxed = `Therefore, the final answer is $\\boxed{${p.answer}}$.`;
      if (!isEquivalent(p.answer, p.answer)) bad.push(`self: ${p.answer}`);
      if (!isEquivalent(`\\boxed{${p.answer}}`, p.answer)) bad.push(`boxed: ${p.answer}`);
      if (!isEquivalent(extractAnswer(boxed) ?? '', p.answer)) bad.push(`extracted: ${p.answer}`);
      if (extractAnswer(boxed) !== p.answer.trim()) bad.push(`extract: ${p.answer}`);
    }
    expect(bad).toEqual([]);
  });

  test('AMC floats and AIME zero-padded answers match their plain integers', () => {
    for (const p of loadBenchmark('amc')) expect(isEquivalent(String(Math.round(Number(p.answer))), p.answer)).toBe(true);
    for (const p of [...loadBenchmark('aime2024'), ...loadBenchmark('aime2025')]) {
      expect(isEquivalent(String(Number(p.answer)), p.answer)).toBe(true);
      expect(isEquivalent(String(Number(p.answer) + 1), p.answer)).toBe(false);
    }
  });

  test('MATH-500: cross-problem equivalences are exactly the identical strings plus the hand-checked pairs', () => {
    const answers = math.map((p) => p.answer);
    const keys = answers.map(equivalenceBucket);
    const equalPairs: [number, number][] = [];
    for (let i = 0; i < answers.length; i++) {
      for (let j = i + 1; j < answers.length; j++) {
        // only pairs sharing a bucket (or involving a wildcard bucket) can be equivalent
        if (keys[i] !== keys[j] && !WILDCARD_BUCKETS.has(keys[i]) && !WILDCARD_BUCKETS.has(keys[j])) continue;
        if (isEquivalent(answers[i], answers[j])) equalPairs.push([i, j]);
      }
    }
    const identical = equalPairs.filter(([i, j]) => answers[i] === answers[j]);
    const different = equalPairs.filter(([i, j]) => answers[i] !== answers[j]);

    // every pair of identical gold strings is found: sum over strings of C(count, 2)
    const counts = new Map<string, number>();
    for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
    const expectedIdentical = [...counts.values()].reduce((s, c) => s + (c * (c - 1)) / 2, 0);
    expect(identical.length).toBe(expectedIdentical);
    expect(identical.length).toBe(971);

    expect(different).toEqual(EXPECTED_DIFFERENT_STRING_PAIRS);
    expect(equalPairs.length).toBe(1004);
  });

  test('the bucket key is shared by the hand-checked pairs (bucketing does not hide them)', () => {
    for (const [i, j] of EXPECTED_DIFFERENT_STRING_PAIRS) {
      const ki = equivalenceBucket(math[i].answer);
      const kj = equivalenceBucket(math[j].answer);
      expect(ki === kj || WILDCARD_BUCKETS.has(ki) || WILDCARD_BUCKETS.has(kj)).toBe(true);
    }
  });
});
