/**
 * Answer forms that MATH/AMC/AIME golds and model outputs take beyond plain numbers: relations,
 * unordered collections, labelled answers, percent words, unions, thousands separators and
 * radicals / fractional exponents. Rows marked "MV" are taken from Math-Verify's regression tests
 * (huggingface/Math-Verify, tests/test_all.py: test_relations_math, test_percent_notation,
 * test_number_extraction, test_latex_notation_math, test_complex_math_expressions,
 * test_math_extraction_edge_cases / _additional_cases, test_set_rel_assymetry, test_sqrt_precision,
 * test_float_precision),
 * reduced to the final answer each side holds; the others are ours.
 * Each row: [prediction, gold, expected verdict, 'MV' when from Math-Verify].
 */
import { isEquivalent } from '../src/grader';
import { GOLDS, NASTY } from './fixtures/grader-inputs';

/** The optional fourth field marks a row taken from Math-Verify's tests. */
type Case = [string, string, boolean, ('MV' | undefined)?];

const FORMS: Record<string, Case[]> = {
  'relations and inequalities': [
    ['x \\geq 5', 'x >= 5', true, 'MV'],
    ['x \\lt 3', 'x < 3', true, 'MV'],
    ['x <= 2', 'x \\leq 2', true, 'MV'],
    ['x \\gt 5', 'x > 5', true, 'MV'],
    ['x \\neq 3', 'x != 3', true, 'MV'],
    ['x < 5', 'x > 5', false, 'MV'],
    ['x \\leq 5', 'x \\geq 5', false, 'MV'],
    ['5 \\geq x', 'x \\leq 5', true, 'MV'],
    ['5 \\leq x', 'x \\geq 5', true, 'MV'],
    ['-x > -1', 'x < 1', true, 'MV'],
    ['x > -1', 'x < 1', false, 'MV'],
    ['-x >= -1', 'x <= 1', true, 'MV'],
    ['x\\geq 3', 'x>=3', true],
    ['x \\ge 3', 'x\u22653', true],
    ['x \\le 2', 'x\u2264 2', true],
    ['x\\leqslant 2', 'x \\le 2', true],
    ['x \\ne 2', 'x\u22602', true],
    ['x>3', '3<x', true],
    ['x>3', 'x<3', false],
    ['x \\geq 3', 'x > 3', false],
    ['x > 3', 'x > 4', false],
    ['2x > 6', 'x > 3', true],
    ['-2x > -6', 'x < 3', true],
    ['-2x > -6', 'x > 3', false],
    ['-2 \\le x \\le 7', '7 \\ge x \\ge -2', true],
    ['-2 \\le x \\le 7', '-2 \\leq x \\leq 7', true],
    ['-2 \\le x \\le 7', '-2 \\le x < 7', false],
    ['-2 \\le x \\le 7', '-3 \\le x \\le 7', false],
    ['f(2) < f(1) < f(4)', 'f(2) < f(1) < f(4)', true, 'MV'],
    ['x < -2, x > -1', 'x > -1, x < -2', true],
    ['x \\in [-2,7]', '-2 \\le x \\le 7', true, 'MV'], // test_set_rel_assymetry
    ['[-2,7]', '-2 \\le x \\le 7', true],
    ['(-2,7]', '-2 \\le x \\le 7', false],
    ['7 \\ge x > -2', '(-2,7]', true],
    ['x>3', '(3,\\infty)', true],
    ['x\\ge 3', '[3,\\infty)', true],
    ['x\\ge 3', '(3,\\infty)', false],
    ['3 > x', '(-\\infty,3)', true],
    ['x<3', '(3,\\infty)', false],
  ],
  'unordered collections of tuples; ordered tuples stay ordered': [
    ['(1,2),(3,4)', '(3,4),(1,2)', true],
    ['(1,2),(3,4)', '(1,2),(3,4)', true],
    ['(1,2),(3,4)', '(2,1),(3,4)', false],
    ['(1,2),(3,4)', '(1,2)', false],
    ['(1,2) \\text{ and } (3,4)', '(3,4), (1,2)', true],
    ['\\{(1,2),(3,4)\\}', '(3,4),(1,2)', true],
    ['\\{1,2\\}', '\\{2,1\\}', true],
    ['\\{1,2,3\\}', '\\{3,1,2\\}', true],
    ['\\{1,2\\}', '\\{1,3\\}', false],
    ['-2,1', '1,-2', true, 'MV'],
    ['(1,2)', '(2,1)', false],
    ['[1,2)', '(1,2]', false],
    ['(1,2,3)', '(1,3,2)', false],
    ['(1,\\frac{9}{2})', '(1,4.5)', true, 'MV'], // (Qwen parser cases)
    ['(1,2),(1,2),(3,4)', '(1,2),(3,4),(3,4)', false],
  ],
  'labelled answers': [
    ['(p,q)=(3,2)', '(3,2)', true],
    ['(3,2)', '(p,q)=(3,2)', true],
    ['(p,q)=(3,2)', '(2,3)', false],
    ['(p,q,r) = (6,31,-1)', '(6,31,-1)', true, 'MV'],
    ['(t,u) = \\left( \\frac{4}{5}, \\frac{1}{5} \\right)', '\\left(\\frac{4}{5},\\frac{1}{5}\\right)', true, 'MV'],
    ['x=5', '5', true],
    ['k = 5', '5', true],
    ['k=1', '1', true, 'MV'],
    ['1', 'k=1', true, 'MV'],
    ['k = \\frac{1}{3}', '1/3', true, 'MV'],
    ['\\theta = \\frac{\\pi}{2}', '\\frac{\\pi}{2}', true],
    ['a_1 = 7', '7', true],
    ['x=5', 'x = 5', true],
    ['x=5', 'y=5', false],
    ['(p,q)=(3,2)', '(a,b)=(3,2)', false],
    ['x=5', 'x=6', false],
    ['7 = 11a+c', '11a+c', false, 'MV'],
    ['2x + z = 1', '1', false, 'MV'],
    ['a^2 + b = 0', '0', false, 'MV'],
    ['y=-\\frac{1}{2}x+\\frac{3}{4}', '2x+4y-3=0', true, 'MV'],
    ['x^2/16 + y^2/12 = 1/4', 'x^2/4 + y^2/3 = 1', true, 'MV'],
    ['-34x-45y+20z-100=0', '34x+45y-20z+100=0', true, 'MV'],
  ],
  'percent (a bare number equals its percentage, as in Math-Verify)': [
    ['28 percent', '28\\%', true, 'MV'],
    ['28 pct', '28\\%', true, 'MV'],
    ['28 %', '28\\%', true, 'MV'],
    ['28 percentage', '28\\%', true, 'MV'],
    ['\\boxed{28 percent}', '28\\%', true, 'MV'],
    ['28', '28\\%', true, 'MV'],
    ['28', '0.28', false, 'MV'],
    ['28', '28/100', false, 'MV'],
    ['28/100', '28', false, 'MV'],
    ['28', '\\frac{28}{100}', false, 'MV'],
    ['50 percent', '50', true],
    ['50\\%', '50', true],
    ['50%', '50', true],
    ['50 percent', '0.5', true],
    ['50\\text{ percent}', '50\\%', true],
    ['50 percent', '25\\%', false],
    ['50 percent', '5', false],
  ],
  'unions of sets and intervals': [
    ['(-\\infty,1)\\cup(2,\\infty)', '(2,\\infty)\\cup(-\\infty,1)', true],
    ['(-\\infty,1]\\cup(2,\\infty)', '(2,\\infty)\\cup(-\\infty,1)', false],
    ['(-\\infty,1)\\cup[2,\\infty)', '(-\\infty,1)\\cup(2,\\infty)', false],
    ['[-1, -\\tfrac12) \\cup (-\\tfrac12, 0) \\cup (0, 1) \\cup (1, \\infty)', '[-1, -\\frac{1}{2}) \\cup (-\\frac{1}{2}, 0) \\cup (0, 1) \\cup (1, \\infty)', true, 'MV'],
    ['(1, \\infty) \\cup (0, 1) \\cup [-1, -\\frac{1}{2}) \\cup (-\\frac{1}{2}, 0)', '[-1, -\\frac{1}{2}) \\cup (-\\frac{1}{2}, 0) \\cup (0, 1) \\cup (1, \\infty)', true],
    ['x \\in \\{-1\\} \\cup [0,7)', '\\{-1\\} \\cup [0,7)', true, 'MV'],
    ['[0,7) \\cup \\{-1\\}', '\\{-1\\} \\cup [0,7)', true],
    ['x \\in (2,12) \\cup (12,102)', '(2, 12) \\cup (12, 102)', true, 'MV'],
    ['\\{1,3\\} \\cup \\{2,4\\}', '\\{1,2,3,4\\}', true], // Math-Verify README
    ['\\{1,3\\} \\cup \\{2,5\\}', '\\{1,2,3,4\\}', false],
    ['(-\\infty, -3] \\cup [2, \\infty)', '[-3,2]', false, 'MV'],
    ['(0,1)\\cup(1,2)', '(0,2)', false],
  ],
  'thousands separators': [
    ['14{,}916', '14916', true, 'MV'],
    ['14 {, }916', '14916', true, 'MV'],
    ['14,916', '14916', true],
    ['14{,}916', '14{,}917', false],
    ['12,000,023', '12000023', true, 'MV'],
    ['7,425,000', '7425000', true, 'MV'],
    ['11,\\! 111,\\! 111,\\! 100', '11111111100', true, 'MV'],
    ['32,\\! 349', '32349', true, 'MV'],
    ['32, 349', '32349', false, 'MV'],
    ['\\$16,\\!386.20', '16386.20', true, 'MV'],
    ['1,234', '1234', true],
    ['1,2345', '12345', false],
    ['(1,234)', '1234', false],
    ['(1,2)', '12', false],
    ['1,2', '12', false],
    ['(1,2)', '(1,2)', true],
  ],
  'radicals and fractional exponents': [
    ['\\sqrt{8}', '2\\sqrt{2}', true],
    ['2^{1/2}', '\\sqrt{2}', true],
    ['\\frac{\\sqrt{3}}{3}', '\\frac{1}{\\sqrt{3}}', true],
    ['\\sqrt{117}', '3\\sqrt{13}', true, 'MV'],
    ['\\sqrt3', '\\sqrt{3}', true, 'MV'],
    ['\\sqrt 2+\\sqrt 5', '\\sqrt{2}+\\sqrt{5}', true, 'MV'],
    ['\\frac{\\sqrt{\\sqrt{11}+\\sqrt{194}}}{2\\sqrt{33}+15}', '\\frac{\\sqrt{\\sqrt{11}+\\sqrt{194}}}{15+2\\sqrt{33}}', true, 'MV'],
    ['\\frac{10\\sqrt{10.5}}{27}', '\\frac{5\\sqrt{42}}{27}', true, 'MV'], // issue #12 (Math-Verify itself misses it)
    ['\\frac{1}{3x^{2/3}}', '\\frac{1}{3\\sqrt[3]{x}^2}', true, 'MV'], // (matrix entry)
    ['\\frac{1+\\sqrt{5}}{2}', '2', false, 'MV'],
    ['\\frac{34}{16}+\\frac{\\sqrt{1358}}{16}', '4', false, 'MV'],
    ['1\\sqrt{19}', '1', false, 'MV'],
    ['4\\sqrt{2}', '4', false, 'MV'], // issue #41
    ['\\sqrt{17}', '4.123105625617661', true, 'MV'], // (float precision)
    ['\\frac{1}{12}', '0.0833333333333333', true, 'MV'], // (Qwen parser cases)
    ['8^{2/3}', '4', true],
    ['27^{-1/3}', '\\frac13', true],
    ['\\sqrt[4]{16}', '2', true],
    ['2\\sqrt[3]{2}', '\\sqrt[3]{16}', true],
    ['x^{1/2}', '\\sqrt{x}', true],
    ['\\sqrt{x^2}', 'x', false],
    ['\\sqrt{2}', '1.4142135', false],
    ['2^{1/3}', '\\sqrt{2}', false],
  ],
  'tolerance never merges distinct integers': [
    ['1000000001', '1000000000', false],
    ['123456789013', '123456789012', false],
    ['10^{20}+1', '10^{20}', false],
    ['10^{20}', '100000000000000000000', true],
    ['2^{64}', '18446744073709551616', true],
    ['2^{64}', '18446744073709551617', false],
    ['\\binom{10}{3}', '120', true],
    ['10!', '3628800', true],
    ['1000000000.5', '1000000000', false],
  ],
};

const all = Object.values(FORMS).flat();

describe('isEquivalent — answer forms', () => {
  for (const [form, cases] of Object.entries(FORMS)) {
    test.each(cases)(`${form}: %j vs gold %j → %s`, (pred, gold, expected) => {
      expect(isEquivalent(pred, gold)).toBe(expected);
    });
  }

  test('symmetric on every case', () => {
    const asym = all.filter(([p, g]) => isEquivalent(p, g) !== isEquivalent(g, p));
    expect(asym).toEqual([]);
  });

  test('agreement with the Math-Verify rows is complete', () => {
    const mv = all.filter((c) => c[3] === 'MV');
    const agree = mv.filter(([p, g, e]) => isEquivalent(p, g) === e).length;
    expect(mv.length).toBeGreaterThanOrEqual(50);
    expect(`${agree}/${mv.length}`).toBe(`${mv.length}/${mv.length}`);
  });
});

describe('isEquivalent never throws', () => {
  // How long these pairs take is measured by `npm run bench:grader` (bench/grader.ts), not asserted here.
  test('nasty inputs against each other and against ordinary golds give booleans', () => {
    const inputs = [...NASTY, ...GOLDS];
    const verdicts: unknown[] = [];
    for (const a of NASTY) {
      for (const b of inputs) {
        let v: unknown;
        try {
          v = isEquivalent(a, b);
        } catch (e) {
          v = `threw ${String(e)}`;
        }
        if (typeof v !== 'boolean') verdicts.push([a.slice(0, 40), b.slice(0, 40), v]);
      }
    }
    expect(verdicts).toEqual([]);
  });

  test('garbage is not equivalent to ordinary golds', () => {
    const hits: string[][] = [];
    for (const a of NASTY) for (const g of GOLDS) if (isEquivalent(a, g)) hits.push([a.slice(0, 40), g]);
    // both are readings we accept: a programmer's "==" for "=", and 1e-400 within the tolerance of 0
    expect(hits).toEqual([
      ['x==5', '5'],
      ['x==5', 'x=5'],
      ['10^{-400}', '0'],
    ]);
  });
});
