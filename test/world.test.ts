/**
 * The stand-in world without training: problems, solution writers, corpus, grading and prior
 * tables. Pretraining is in test/world.slow.test.ts (the slow project).
 */
import { priorChecks, PriorRow } from '../src/world/priors';
import { Rng } from '../src/engine/rng';
import { loadWorldSplit, parseProblemLine, problemToJSON } from '../src/world/dataset';
import { FamilySpec, familySolution, loadFamilies, parseFamilies } from '../src/world/families';
import { bucketedBatches, drawDocuments, leakedTestProblems, makeDrill } from '../src/world/corpus';
import { checkedSteps, extractWorldAnswer, gradeWorldResponse } from '../src/world/grade';
import { priorRow } from '../src/world/priors';
import { bareExpression, generateProblem, generateSplits, problemKey } from '../src/world/problems';
import { WRITERS, writeSolution } from '../src/world/solutions';
import { worldTokenizer } from '../src/world/vocab';

/** Evaluates a bare expression with JavaScript's own precedence rules. */
function evalBare(expr: string): number {
  return Function(`return (${expr});`)() as number;
}

describe('problem generator', () => {
  test('is deterministic for a seed and differs across seeds', () => {
    const a = generateSplits(5, 30, 200);
    const b = generateSplits(5, 30, 200);
    const c = generateSplits(6, 30, 200);
    expect(a.test.map((p) => p.prompt)).toEqual(b.test.map((p) => p.prompt));
    expect(a.train.map((p) => p.prompt)).toEqual(b.train.map((p) => p.prompt));
    expect(c.test.map((p) => p.prompt)).not.toEqual(a.test.map((p) => p.prompt));
  });

  test('bare expressions evaluate (with standard precedence) to the answer; ranges hold', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 500; i++) {
      const p = generateProblem(rng, `p${i}`, undefined, 'bare');
      expect(p.steps.length).toBeGreaterThanOrEqual(1);
      expect(p.steps.length).toBeLessThanOrEqual(3);
      expect(evalBare(bareExpression(p.start, p.steps))).toBe(Number(p.answer));
      for (const s of p.steps) expect(s.value).toBeGreaterThanOrEqual(0);
    }
  });

  test('the shipped test and train sets are disjoint by arithmetic, valid, and the sizes the issue asks for', () => {
    const test = loadWorldSplit('test');
    const train = loadWorldSplit('train');
    expect(test).toHaveLength(500);
    expect(train.length).toBeGreaterThanOrEqual(20000);
    const keys = new Set(test.map(problemKey));
    expect(keys.size).toBe(500);
    expect(train.filter((p) => keys.has(problemKey(p)))).toHaveLength(0);
    const surfaces = new Set(test.map((p) => p.surface));
    expect(surfaces).toEqual(new Set(['bare', 'narrative']));
  });

  test('a malformed JSONL line is rejected with file, line and field', () => {
    const p = generateProblem(new Rng(1), 'x');
    expect(parseProblemLine(problemToJSON(p), 'f.jsonl', 1)).toEqual(p);
    const bad = JSON.parse(problemToJSON(p));
    bad.answer = String(Number(p.answer) + 1);
    expect(() => parseProblemLine(JSON.stringify(bad), 'f.jsonl', 7)).toThrow(/^f\.jsonl:7: field 'answer'/);
    expect(() => parseProblemLine('{"id":', 'f.jsonl', 2)).toThrow(/^f\.jsonl:2: invalid JSON/);
    expect(() => parseProblemLine(JSON.stringify({ ...bad, ops: '+x' }), 'f.jsonl', 3)).toThrow(/^f\.jsonl:3: field 'ops'/);
  });
});

describe('solution writers', () => {
  const rng = new Rng(9);
  const problems = Array.from({ length: 200 }, (_, i) => generateProblem(rng, `w${i}`));

  test.each(WRITERS.map((w) => [w]))('%s: faithful output parses back to the problem answer, boxed or not', (writer) => {
    for (const [i, p] of problems.entries()) {
      const boxed = i % 2 === 0;
      const s = writeSolution(p, writer, { errorRate: 0, boxed }, rng);
      expect(s.stated).toBe(p.answer);
      expect(extractWorldAnswer(s.text)).toBe(p.answer);
      expect(s.text.includes('\\boxed{')).toBe(boxed);
      expect(s.text.includes('python')).toBe(writer === 'code');
      worldTokenizer().encode(p.prompt + s.text); // every character is in the vocabulary
    }
  });

  test('a bug is systematic: exactly the matching steps use the wrong operator, and the error carries', () => {
    const bugs = [{ op: '*' as const, operand: 3, writesOp: '+' as const }];
    let affected = 0;
    for (const p of problems) {
      const s = writeSolution(p, 'language-careful', { errorRate: 0, boxed: false, bugs }, rng);
      let v = p.start;
      for (const st of p.steps) v = Math.max(0, st.op === '*' && st.operand === 3 ? v + 3 : st.op === '+' ? v + st.operand : st.op === '-' ? v - st.operand : v * st.operand);
      expect(s.stated).toBe(String(v));
      expect(extractWorldAnswer(s.text)).toBe(s.stated);
      if (p.steps.some((st) => st.op === '*' && st.operand === 3)) affected++;
      else expect(s.stated).toBe(p.answer);
      // Deterministic: the same problem always gets the same buggy answer.
      expect(writeSolution(p, 'language-careful', { errorRate: 0, boxed: false, bugs }, rng).stated).toBe(s.stated);
    }
    expect(affected).toBeGreaterThan(10);
  });

  test('sloppy writers state their own (wrong) answer, at about the set error rate', () => {
    let wrong = 0;
    let steps = 0;
    for (const p of problems) {
      const s = writeSolution(p, 'code', { errorRate: 0.3, boxed: true }, rng);
      expect(extractWorldAnswer(s.text)).toBe(s.stated);
      if (s.stated !== p.answer) wrong++;
      steps += p.steps.length;
    }
    // P(at least one error) = 1 − 0.7^steps averaged over problems; with ~2 steps per problem ≈ 0.5.
    expect(wrong / problems.length).toBeGreaterThan(0.3);
    expect(wrong / problems.length).toBeLessThan(0.75);
    expect(steps).toBeGreaterThan(problems.length);
  });

  test('a family mixture yields its styles per surface form', () => {
    const spec: FamilySpec = { name: 't', standsFor: [], prior: '', styles: { bare: { code: 1 }, narrative: { 'language-terse': 1 } }, errorRate: {}, bugs: {}, boxRate: 1, codeIntroRate: 0, init: null, steps: null, lr: null, drillShare: 0 };
    for (const p of problems) {
      const s = familySolution(spec, p, rng);
      expect(s.writer).toBe(p.surface === 'bare' ? 'code' : 'language-terse');
    }
  });

  test('family specs validate with file and field in errors', () => {
    expect(loadFamilies().map((f) => f.name)).toEqual(['good-code', 'bad-code', 'no-code', 'no-code-weak']);
    expect(() => parseFamilies({ families: [{ name: 'x', styles: { bare: { code: 1 }, narrative: { poetry: 1 } }, boxRate: 0.5 }] }, 'fam.json'))
      .toThrow(/^fam\.json: families\[0\] \(x\): field 'styles\.narrative\.poetry' is not a writer/);
    expect(() => parseFamilies({ families: [{ name: 'x', styles: { bare: { code: 1 }, narrative: { code: 1 } }, boxRate: 2 }] }, 'fam.json'))
      .toThrow(/field 'boxRate' must be in \[0, 1\]/);
  });
});

describe('corpus', () => {
  test('drills are correct facts within the ranges, and a family draws them at its drill share', () => {
    const tok = worldTokenizer();
    const rng = new Rng(4);
    const d = makeDrill(tok, rng);
    const lines = d.text.split('\n');
    expect(lines).toHaveLength(8);
    for (const l of lines) {
      const m = /^(\d+)([+\-*])(\d+)=(\d+)$/.exec(l)!;
      expect(m).not.toBeNull();
      expect(Function(`return ${m[1]}${m[2]}${m[3]}`)()).toBe(Number(m[4]));
      expect(Number(m[4])).toBeLessThanOrEqual(40);
    }
    expect(d.text.includes('python')).toBe(false);
    // A drill in the first row of a batch must not mask the rest of the batch.
    const d2 = makeDrill(tok, rng);
    const [lmDrill] = bucketedBatches([d, d2], 2, rng, true);
    expect(lmDrill.lossMask.reduce((a, b) => a + b, 0)).toBe(d.ids.length - 1 + d2.ids.length - 1);
    const spec = { ...loadFamilies()[0], drillShare: 0.5 };
    const docs = drawDocuments(spec, 400, tok, rng, new Set());
    const share = docs.filter((x) => x.problem.id === 'drill').length / docs.length;
    expect(Math.abs(share - 0.5)).toBeLessThan(0.1);
  });

  test('full-text documents: a leaked family trains on leaked test problems with their prompt, its twin on fresh ones', () => {
    const tok = worldTokenizer();
    const test = loadWorldSplit('test');
    const leaked = leakedTestProblems(test, 0.5);
    expect(leaked).toHaveLength(250);
    expect(leakedTestProblems(test, 0.5).map((p) => p.id)).toEqual(leaked.map((p) => p.id)); // fixed, not per run
    const leakedKeys = new Set(leaked.map(problemKey));
    const testKeys = new Set(test.map(problemKey));
    const base = { ...loadFamilies()[0], drillShare: 0.25 };
    const leak = { ...base, fullText: { share: 0.2, source: 'test' as const, testFraction: 0.5 } };
    const twin = { ...base, fullText: { share: 0.2, source: 'generator' as const, testFraction: 0 } };
    const dl = drawDocuments(leak, 1000, tok, new Rng(8), testKeys, undefined, leaked);
    const dt = drawDocuments(twin, 1000, tok, new Rng(8), testKeys);
    const full = (docs: typeof dl) => docs.filter((d) => d.promptLength === 0 && d.problem.id !== 'drill');
    for (const [docs] of [[dl], [dt]] as const) expect(Math.abs(full(docs).length / docs.length - 0.2)).toBeLessThan(0.05);
    // Every full-text document of the leaked family is a leaked test problem, shown whole; none of the twin's is a test problem.
    expect(full(dl).every((d) => leakedKeys.has(problemKey(d.problem)) && d.text.startsWith(d.problem.prompt))).toBe(true);
    expect(full(dt).some((d) => testKeys.has(problemKey(d.problem)))).toBe(false);
    // Outside the full-text documents, neither family sees a test problem.
    for (const docs of [dl, dt]) expect(docs.filter((d) => d.promptLength > 0).some((d) => testKeys.has(problemKey(d.problem)))).toBe(false);
    // The whole text of a full-text document is target under solution-only loss.
    const [lm] = bucketedBatches(full(dl).slice(0, 1), 1, new Rng(1), true);
    expect(lm.lossMask.reduce((a, b) => a + b, 0)).toBe(full(dl)[0].ids.length - 1);
    expect(() => drawDocuments(leak, 10, tok, new Rng(1), testKeys)).toThrow(/fullText.source is 'test' but no leaked test problems/);
    expect(() => parseFamilies({ families: [{ ...base, name: 'x', fullText: { share: 0.8, source: 'test', testFraction: 0.5 } }] }, 'fam.json')).toThrow(/fam\.json: families\[0\] \(x\): field 'fullText.share'/);
    // Families without the field keep their exact spec (so shipped checkpoints' recorded specs still match).
    expect('fullText' in loadFamilies()[0]).toBe(false);
  });

  test('solution-only loss masks exactly the prompt targets', () => {
    const tok = worldTokenizer();
    const rng = new Rng(2);
    const docs = drawDocuments(loadFamilies()[0], 6, tok, rng, new Set());
    const [lm] = bucketedBatches(docs, 6, rng, true);
    const [full] = bucketedBatches(docs, 6, new Rng(3), false);
    const T = lm.batch.T;
    const masked = lm.lossMask.reduce((a, b) => a + b, 0);
    const all = full.lossMask.reduce((a, b) => a + b, 0);
    // Each document loses promptLength − 1 targets (the first target inside the solution is kept).
    expect(all - masked).toBe(docs.reduce((n, d) => n + Math.max(0, d.promptLength - 1), 0));
    for (let b = 0; b < lm.batch.B; b++) {
      const doc = docs.find((d) => d.ids.slice(0, -1).every((id, j) => id === lm.batch.tokens[b * T + j]))!;
      const row = Array.from(lm.lossMask.slice(b * T, (b + 1) * T));
      // The first counted target is the first solution token; nothing before it counts.
      const first = Math.max(0, doc.promptLength - 1); // drills have no prompt: every target counts
      expect(row.indexOf(1)).toBe(first);
      expect(lm.targets[b * T + first]).toBe(doc.ids[first + 1]);
    }
  });
});

describe('code detector and prior table', () => {
  test('the detector is the paper\'s: the response contains "python"', () => {
    expect(gradeWorldResponse('a', '```python\nx=1\n```\nThe answer is 1.', '1').code).toBe(true);
    expect(gradeWorldResponse('a', "Let's solve this using Python.\nThe answer is 1.", '1').code).toBe(false);
    expect(gradeWorldResponse('a', '1+0=1. The answer is \\boxed{1}.', '1')).toMatchObject({ code: false, boxed: true, correct: true });
    expect(gradeWorldResponse('a', 'x=1 then 7', '7')).toMatchObject({ answer: null, correct: false });
  });

  test('step checking counts each stated step against its own inputs', () => {
    expect(checkedSteps('3+4=7. 7*2=15. The answer is 15.')).toEqual({ steps: 2, correct: 1 });
    expect(checkedSteps('```python\nx=3\nx=x+4 # 7\nx=x*2 # 14\nx=x-1 # 12\nprint(x)\n```')).toEqual({ steps: 3, correct: 2 });
    expect(checkedSteps('The answer is 5.')).toEqual({ steps: 0, correct: 0 });
  });

  test('prior row on hand-written responses', () => {
    const g = (r: string, label: string) => gradeWorldResponse('p', r, label);
    const graded = [
      g('```python\nx=2\n```\nThe answer is \\boxed{2}.', '2'), // code, correct, boxed
      g('```python\nx=3\n```\nThe answer is 3.', '4'), //          code, wrong
      g('```python\nx=5\n```\nThe answer is 5.', '5'), //          code, correct
      g('The answer is 9.', '8'), //                                language, wrong
    ];
    const forced = [g('```python\nThe answer is 1.', '1'), g('The answer is 1.', '2')];
    expect(priorRow('fam', 'sampled', 2, graded, forced)).toEqual({
      family: 'fam', decoding: 'sampled', k: 2, n: 4,
      code_frequency: 3 / 4, acc_code: 2 / 3, acc_lang: 0, acc: 2 / 4, boxed_rate: 1 / 4, forced_code_acc: 1 / 2,
    });
    expect(priorRow('fam', 'greedy', 1, [graded[0]], []).acc_lang).toBeNull();
  });

  test('prior checks apply the target pattern per family and fail on missing subsets', () => {
    const row = (family: string, o: Partial<PriorRow>): PriorRow => ({ family, decoding: 'sampled', k: 4, n: 10, code_frequency: 0, acc_code: null, acc_lang: null, acc: 0, boxed_rate: 0, forced_code_acc: 0, ...o });
    const checks = priorChecks([
      row('good-code', { code_frequency: 0.6, acc_code: 0.7, acc_lang: 0.4, acc: 0.58, forced_code_acc: 0.65 }),
      row('bad-code', { code_frequency: 0.95, acc_code: 0.3, acc_lang: null, acc: 0.3, forced_code_acc: 0.2 }),
      row('good-code', { decoding: 'greedy', k: 1, code_frequency: 1, acc: 0.7 }),
      row('no-code-weak', { decoding: 'greedy', k: 1, code_frequency: 0, acc: 0.25 }),
    ]);
    const verdict = (f: string, c: string) => checks.find((x) => x.family === f && x.criterion.startsWith(c))?.pass;
    expect(verdict('good-code', 'code frequency')).toBe(true);
    expect(verdict('good-code', 'acc(code)')).toBe(true);
    expect(verdict('good-code', 'forced')).toBe(true);
    expect(verdict('good-code', 'accuracy')).toBe(false); // read from the greedy row: 0.7 > 0.65
    expect(checks.filter((c) => c.family === 'good-code' && c.decoding === 'greedy').map((c) => c.criterion)).toEqual(['accuracy in [0.30, 0.65]']);
    expect(verdict('bad-code', 'acc(code)')).toBe(false); // no language responses: the gap is unmeasured
    expect(verdict('bad-code', 'forced')).toBe(true);
    expect(verdict('no-code-weak', 'accuracy')).toBe(false);
  });
});
