import {
  ACCURACY_RATIOS,
  AUDIT_RATIOS,
  MATH_ANSWER_GRADER,
  TRUNCATION_BOUNDARY,
  answerAccuracy,
  auditProblem,
  continuationTarget,
  cutPrediction,
  gradeContinuation,
  lcsLength,
  pyRstrip,
  pySplit,
  pyStrip,
  rougeL,
  runAudit,
  scoreContinuation,
  summarizeAudit,
  truncatePrompt,
  type AnswerGrader,
} from '../src/contamination/index';

describe('truncatePrompt (official truncate_prompt)', () => {
  const q = 'What is the value of x?'; // 23 characters

  it('cuts at floor(len·ratio) and moves forward to the next boundary, which is dropped', () => {
    // 0.4 → 9 ('h' of "the") → space at 11; 0.6 → 13 → space at 17; 0.8 → 18 → space at 20
    expect(truncatePrompt(q, 0.4)).toBe('What is the');
    expect(truncatePrompt(q, 0.6)).toBe('What is the value');
    expect(truncatePrompt(q, 0.8)).toBe('What is the value of');
    expect(AUDIT_RATIOS).toEqual([0.4, 0.6, 0.8]);
    expect(ACCURACY_RATIOS).toEqual([0.4, 0.6, 0.8, 1.0]);
  });

  it('stops before each of the nine boundary characters', () => {
    expect(TRUNCATION_BOUNDARY).toBe(' \n,.!?)]}');
    // "abcde" + ch + "fghij": 11 characters, 0.4 → cut 4 ('e'), the boundary is at 5
    for (const ch of [' ', '\n', ',', '.', '!', '?', ')', ']', '}']) {
      expect(truncatePrompt(`abcde${ch}fghij`, 0.4)).toBe('abcde');
    }
  });

  it('passes over characters that are not boundaries; none left keeps the whole prompt, right-stripped', () => {
    for (const ch of [';', ':', '(', '[', '{', '$', '\t', '=', '-']) {
      expect(truncatePrompt(`abcde${ch}fghij`, 0.4)).toBe(`abcde${ch}fghij`);
    }
    expect(truncatePrompt('abcdefghij  ', 0.4)).toBe('abcdefghij');
  });

  it('a cut landing on a boundary stays there; whitespace before the boundary is stripped', () => {
    expect(truncatePrompt('ab cd', 0.4)).toBe('ab'); // floor(2.0) = 2 is the space
    // a0 b1 c2 ' '3 ' '4 \t5 ,6 d7 e8 f9: 0.5 → 5 (tab, not a boundary) → comma at 6 → "abc  \t" → "abc"
    expect(truncatePrompt('abc  \t,def', 0.5)).toBe('abc');
  });

  it('ratio ≥ 1 returns the prompt untouched; an empty prompt stays empty; bad ratios throw', () => {
    expect(truncatePrompt('abc  ', 1)).toBe('abc  ');
    expect(truncatePrompt('abc  ', 0.8)).toBe('abc');
    expect(truncatePrompt('', 0.6)).toBe('');
    expect(() => truncatePrompt('abc', -0.1)).toThrow('truncatePrompt: ratio must be a finite number ≥ 0, got -0.1');
    expect(() => truncatePrompt('abc', NaN)).toThrow(/ratio/);
  });

  it('counts code points as Python does, not UTF-16 units', () => {
    // 10 code points (14 UTF-16 units): 0.6 → 6 ('b') → space at 7. UTF-16 indexing would stop at the first space.
    expect(truncatePrompt('😀😀😀😀 ab cd', 0.6)).toBe('😀😀😀😀 ab');
  });

  it('continuationTarget is the stripped rest of the prompt', () => {
    expect(continuationTarget(q, 'What is the value')).toBe('of x?');
    expect(continuationTarget('😀 ab', '😀')).toBe('ab');
    expect(() => continuationTarget(q, 'Who')).toThrow(/not a prefix/);
  });
});

describe('Python string semantics', () => {
  it('strip/split use str.isspace: \\x1c is whitespace, the BOM is not', () => {
    expect(pySplit('a\x1cb  c\n')).toEqual(['a', 'b', 'c']);
    expect(pySplit('   ')).toEqual([]);
    expect(pyStrip('\ufeffa \x85')).toBe('\ufeffa');
    expect(pyRstrip(' a \u3000')).toBe(' a');
  });
});

describe('ROUGE-L and EM (official cal_rouge, without stemming)', () => {
  it('LCS length', () => {
    expect(lcsLength(['a', 'b', 'c', 'd'], ['a', 'c', 'd', 'b'])).toBe(3);
    expect(lcsLength([], ['a'])).toBe(0);
    expect(lcsLength(['x', 'y'], ['y', 'x'])).toBe(1);
  });

  it('F-measure from LCS over whitespace tokens', () => {
    // prediction a b c d (4), target a x c (3), LCS 2: P 1/2, R 2/3, F 4/7
    const s = rougeL('a b c d', 'a x c');
    expect(s.lcs).toBe(2);
    expect(s.precision).toBeCloseTo(0.5, 12);
    expect(s.recall).toBeCloseTo(2 / 3, 12);
    expect(s.fmeasure).toBeCloseTo(4 / 7, 12);
    expect(rougeL('the cat sat', 'the cat sat').fmeasure).toBe(1);
    expect(rougeL('The cat', 'the dog').fmeasure).toBe(0); // case-sensitive over whitespace tokens
  });

  it('empty strings score 0, even two of them', () => {
    expect(rougeL('', '').fmeasure).toBe(0);
    expect(rougeL('', 'x').fmeasure).toBe(0);
    expect(rougeL('x', '').fmeasure).toBe(0);
    expect(rougeL('  \n ', 'x').fmeasure).toBe(0);
  });

  it("the rouge-score tokeniser lower-cases and drops non-alphanumerics; whitespace tokens do not", () => {
    expect(rougeL('\\frac{1}{2} = X', 'frac 1 2 x', 'rouge-score').fmeasure).toBe(1);
    expect(rougeL('\\frac{1}{2} = X', 'frac 1 2 x').fmeasure).toBe(0);
  });

  // "Compute the sum of 1 and 2." at 0.6: cut 16 ('o') → space at 18 → prefix "Compute the sum of", target "1 and 2."
  const original = 'Compute the sum of 1 and 2.';
  const prefix = truncatePrompt(original, 0.6);

  it('the prediction is cut to the target token count, so going on past the problem is free', () => {
    expect(prefix).toBe('Compute the sum of');
    const long = '  1 and 2. The answer is 3.';
    const s = scoreContinuation(original, prefix, long);
    expect(s.target).toBe('1 and 2.');
    expect(s.prediction).toBe('1 and 2.');
    expect(s.rougeL).toBe(1);
    expect(s.exactMatch).toBe(true);
    // uncut: P 3/7, R 1, F 0.6
    expect(rougeL(long, '1 and 2.').fmeasure).toBeCloseTo(0.6, 12);
    expect(cutPrediction('1\nand   2.\tmore', '1 and 2.')).toBe('1 and 2.');
  });

  it('identical, wrong, shorter and empty continuations', () => {
    expect(scoreContinuation(original, prefix, '1 and 2.').exactMatch).toBe(true);
    const wrong = scoreContinuation(original, prefix, '1 and 3. Then');
    expect(wrong.rougeL).toBeCloseTo(2 / 3, 12);
    expect(wrong.exactMatch).toBe(false);
    // shorter: P 2/2, R 2/3 → F 0.8
    expect(scoreContinuation(original, prefix, '1 and').rougeL).toBeCloseTo(0.8, 12);
    const empty = scoreContinuation(original, prefix, '');
    expect(empty.rougeL).toBe(0);
    expect(empty.exactMatch).toBe(false);
  });

  it('a prefix that is the whole prompt leaves an empty target: never a match', () => {
    const p = truncatePrompt('abcdefghij', 0.4);
    expect(p).toBe('abcdefghij');
    expect(scoreContinuation('abcdefghij', p, '')).toEqual({ target: '', prediction: '', rougeL: 0, exactMatch: false });
    expect(scoreContinuation('abcdefghij', p, 'anything').exactMatch).toBe(false);
  });
});

describe('partial-prompt answer accuracy', () => {
  it('extracts the final answer from the continuation and grades it with the MATH grader', () => {
    expect(gradeContinuation('so the total is \\boxed{\\frac{1}{2}}', '\\frac12')).toEqual({ extracted: '\\frac{1}{2}', correct: true });
    expect(gradeContinuation('The answer is 0.5.', '\\frac{1}{2}').correct).toBe(true);
    expect(gradeContinuation('\\boxed{3}', '4')).toEqual({ extracted: '3', correct: false });
    expect(gradeContinuation('no answer here', '4')).toEqual({ extracted: null, correct: false });
    expect(gradeContinuation('', '4').correct).toBe(false);
    expect(MATH_ANSWER_GRADER.equal('10', '10.0')).toBe(true);
  });

  it('takes another verifier (e.g. the stand-in world one)', () => {
    const world: AnswerGrader = {
      extract: (r) => /The answer is (-?\d+)\./.exec(r)?.[1] ?? null,
      equal: (a, g) => Number(a) === Number(g),
    };
    expect(gradeContinuation('x. The answer is 07.', '7', world)).toEqual({ extracted: '07', correct: true });
    expect(gradeContinuation('\\boxed{7}', '7', world)).toEqual({ extracted: null, correct: false });
  });

  it('accuracy is the fraction of items answered correctly', () => {
    const items = [
      { continuation: '\\boxed{1}', gold: '1' },
      { continuation: '\\boxed{2}', gold: '2' },
      { continuation: 'The answer is 3.', gold: '3' },
      { continuation: '\\boxed{5}', gold: '4' },
    ];
    expect(answerAccuracy(items)).toBe(0.75);
    expect(() => answerAccuracy([])).toThrow('answerAccuracy: no items');
  });
});

describe('the audit', () => {
  const problem = { id: 'p1', prompt: 'Compute the sum of 1 and 2.', gold: '3' };

  it('one problem, two samples: means over samples', () => {
    const r = auditProblem(problem, 0.6, ['1 and 2. The answer is \\boxed{3}.', '1 and 3. So \\boxed{4}.']);
    expect(r.prefix).toBe('Compute the sum of');
    expect(r.samples).toBe(2);
    expect(r.rougeL).toBeCloseTo((1 + 2 / 3) / 2, 12);
    expect(r.exactMatch).toBe(0.5);
    expect(r.accuracy).toBe(0.5);
    expect(r.pass).toBe(true);
  });

  it('at the full prompt there is no ROUGE-L, only accuracy', () => {
    const r = auditProblem(problem, 1, ['\\boxed{3}']);
    expect(r.prefix).toBe(problem.prompt);
    expect(r.rougeL).toBeNull();
    expect(r.exactMatch).toBeNull();
    expect(r.accuracy).toBe(1);
    expect(() => auditProblem(problem, 1, [])).toThrow('auditProblem: problem p1 has no continuations');
  });

  it('summaries are means over problems in percent', () => {
    const a = auditProblem(problem, 0.6, ['1 and 2. The answer is \\boxed{3}.', '1 and 3. So \\boxed{4}.']);
    const b = auditProblem({ id: 'p2', prompt: 'Compute the sum of 2 and 2.', gold: '4' }, 0.6, ['']);
    const s = summarizeAudit([a, b]);
    expect(s.problems).toBe(2);
    expect(s.rougeL).toBeCloseTo((100 * 5) / 6 / 2, 10);
    expect(s.exactMatch).toBe(25);
    expect(s.accuracy).toBe(25);
    expect(s.passAtK).toBe(50);
    expect(() => summarizeAudit([a, auditProblem(problem, 0.8, [''])])).toThrow('summarizeAudit: mixed ratios 0.6 and 0.8 (problem p1)');
  });

  it('a model that has memorised the problems scores 100 at every prefix; one that says nothing scores 0', async () => {
    const problems = [
      problem,
      { id: 'p2', prompt: 'Let $f(x) = 2x + 1$. Find f(3), then add four.', gold: '11' },
      { id: 'p3', prompt: 'How many primes are below 10? Give the count.', gold: '4' },
    ];
    const seen: string[] = [];
    const memoriser = (prefix: string, p: { prompt: string; gold: string }): string[] => {
      seen.push(prefix);
      return [`${p.prompt.slice(prefix.length)} \\boxed{${p.gold}}`];
    };
    const out = await runAudit(problems, [0.4, 0.6, 0.8, 1], memoriser);
    expect(out.records).toHaveLength(12);
    expect(seen[0]).toBe('Compute the'); // 27 chars, 0.4 → 10 ('e' of "the") → space at 11
    expect(out.summaries.map((s) => [s.ratio, s.rougeL, s.exactMatch, s.accuracy])).toEqual([
      [0.4, 100, 100, 100],
      [0.6, 100, 100, 100],
      [0.8, 100, 100, 100],
      [1, null, null, 100],
    ]);
    const silent = await runAudit(problems, [0.6], async () => ['']);
    expect(silent.summaries[0]).toEqual({ ratio: 0.6, problems: 3, rougeL: 0, exactMatch: 0, accuracy: 0, passAtK: 0 });
  });
});
