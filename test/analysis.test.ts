/** Code-reasoning analysis on hand-written responses; expected values worked out by hand below. */
import {
  codeAccuracySummary,
  codeFrequency,
  isCodeReasoning,
  partialContributionScores,
  responseAccuracy,
  strategySwitching,
  type GradedResponse,
} from '../src/analysis';

const code = (correct: boolean, id: number): GradedResponse => ({
  response: `Let's verify.\n\`\`\`python\nprint(${id})\n\`\`\`\nSo the answer is \\boxed{${id}}.`,
  correct,
  id,
});
const lang = (correct: boolean, id: number): GradedResponse => ({
  response: `We reason step by step. Therefore the answer is \\boxed{${id}}.`,
  correct,
  id,
});

describe('isCodeReasoning (paper: response contains the string "python")', () => {
  test.each([
    ['```python\nx = 1\n```', true],
    ['import sympy  # run with python3', true],
    ["Let's solve this using Python.", false], // capitalised only: not counted by default
    ['PYTHON', false],
    ['no code at all', false],
    ['', false],
  ])('%j → %s', (r, expected) => {
    expect(isCodeReasoning(r)).toBe(expected);
  });

  test('case-insensitive variant on request', () => {
    expect(isCodeReasoning("Let's solve this using Python.", { caseSensitive: false })).toBe(true);
    expect(isCodeReasoning('PYTHON', { caseSensitive: false })).toBe(true);
    expect(isCodeReasoning('Pyth on', { caseSensitive: false })).toBe(false);
  });
});

// Ten problems. before → after, (C)ode / (L)anguage, T/F correct:
//  0 CT→CT  1 CF→CT  2 CT→LF  3 LF→CT  4 LF→CT  5 LT→CT  6 LF→LF  7 LT→LF  8 LF→LT  9 CF→CF
const before = [code(true, 0), code(false, 1), code(true, 2), lang(false, 3), lang(false, 4),
  lang(true, 5), lang(false, 6), lang(true, 7), lang(false, 8), code(false, 9)];
const after = [code(true, 0), code(true, 1), lang(false, 2), code(true, 3), code(true, 4),
  code(true, 5), lang(false, 6), lang(false, 7), lang(true, 8), code(false, 9)];

describe('Table 1 summary', () => {
  test('before: code 4/10; accuracy with code 2/4 (0,2); language only 2/6 (5,7)', () => {
    expect(codeFrequency(before)).toBeCloseTo(0.4, 12);
    expect(codeAccuracySummary(before)).toEqual({
      n: 10, nCode: 4, nLanguage: 6, codeFrequency: 0.4, accuracy: 0.4,
      accuracyWithCode: 0.5, accuracyLanguageOnly: 2 / 6,
    });
  });

  test('after: code 6/10 (0,1,3,4,5,9); with code 5/6; language only 1/4 (8)', () => {
    const s = codeAccuracySummary(after);
    expect(s.codeFrequency).toBeCloseTo(0.6, 12);
    expect(s.accuracy).toBeCloseTo(0.6, 12);
    expect(s.accuracyWithCode).toBeCloseTo(5 / 6, 12);
    expect(s.accuracyLanguageOnly).toBeCloseTo(1 / 4, 12);
  });

  test('empty subsets give null, not NaN', () => {
    expect(codeAccuracySummary([lang(true, 1), lang(false, 2)]).accuracyWithCode).toBeNull();
    expect(codeAccuracySummary([code(true, 1)]).accuracyLanguageOnly).toBeNull();
    expect(codeAccuracySummary([])).toEqual({
      n: 0, nCode: 0, nLanguage: 0, codeFrequency: null, accuracy: null, accuracyWithCode: null, accuracyLanguageOnly: null,
    });
    expect(codeFrequency([])).toBeNull();
    expect(responseAccuracy([])).toBeNull();
  });
});

describe('strategy switching and Partial Contribution Score (Table 2)', () => {
  const r = strategySwitching(before, after);

  test('totals: 4 correct before, 6 after, net gain 2', () => {
    expect([r.total, r.correctBefore, r.correctAfter, r.totalNetGain]).toEqual([10, 4, 6, 2]);
  });

  test('subset sizes and accuracies', () => {
    // Code→Code {0,1,9}: 1 → 2 correct; Code→Lang {2}: 1 → 0; Lang→Code {3,4,5}: 1 → 3; Lang→Lang {6,7,8}: 1 → 1
    expect(r.subsets['Code→Code']).toMatchObject({ size: 3, correctBefore: 1, correctAfter: 2, netGain: 1 });
    expect(r.subsets['Code→Lang']).toMatchObject({ size: 1, correctBefore: 1, correctAfter: 0, netGain: -1, accuracyBefore: 1, accuracyAfter: 0 });
    expect(r.subsets['Lang→Code']).toMatchObject({ size: 3, correctBefore: 1, correctAfter: 3, netGain: 2, accuracyAfter: 1 });
    expect(r.subsets['Lang→Lang']).toMatchObject({ size: 3, correctBefore: 1, correctAfter: 1, netGain: 0 });
    expect(r.subsets['Code→Code'].accuracyBefore).toBeCloseTo(1 / 3, 12);
    expect(r.subsets['Code→Code'].accuracyAfter).toBeCloseTo(2 / 3, 12);
    expect(r.subsets['Lang→Code'].fraction).toBeCloseTo(0.3, 12);
  });

  test('C_d = net gain in d / total net gain: 1/2, -1/2, 2/2, 0/2 (sums to 1)', () => {
    const c = partialContributionScores(before, after);
    expect(c).toEqual({ 'Code→Code': 0.5, 'Code→Lang': -0.5, 'Lang→Code': 1, 'Lang→Lang': 0 });
    expect(Object.values(c).reduce((s: number, x) => s + (x ?? 0), 0)).toBeCloseTo(1, 12);
  });

  test('zero total net gain: C_d is null (undefined ratio); empty subsets have null accuracy', () => {
    const b = [code(true, 0), lang(false, 1)];
    const a = [lang(false, 0), code(true, 1)]; // one lost, one gained → net 0
    const z = strategySwitching(b, a);
    expect(z.totalNetGain).toBe(0);
    expect(Object.values(z.subsets).map((s) => s.partialContribution)).toEqual([null, null, null, null]);
    expect(z.subsets['Code→Code']).toMatchObject({ size: 0, accuracyBefore: null, accuracyAfter: null, netGain: 0 });
  });

  test('misaligned inputs are a one-line error', () => {
    expect(() => strategySwitching(before, after.slice(1))).toThrow(
      'strategySwitching: before has 10 responses but after has 9; they must be aligned per problem',
    );
  });
});
