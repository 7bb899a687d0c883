/** Hand-written grading cases, by category. Each row: [prediction, gold, expected verdict]. */
import { isEquivalent } from '../src/grader';

type Case = [string, string, boolean];

const CASES: Record<string, Case[]> = {
  'integers (leading zeros, .0)': [
    ['070', '70', true],
    ['70', '070', true],
    ['142.0', '142', true],
    ['142', '142.0', true],
    ['025', '25', true],
    ['0', '0.0', true],
    ['-4.0', '-4', true],
    ['25', '250', false],
    ['4', '-4', false],
    ['7', '070', false],
  ],
  decimals: [
    ['0.15', '.15', true],
    ['.35625', '0.35625', true],
    ['3.210', '3.21', true],
    ['3.2', '3.21', false],
    ['4.5', '\\frac92', true],
    ['6.72\\times 10^{-5}', '.0000672', true],
    ['0.333', '\\frac13', false],
  ],
  fractions: [
    ['\\frac14', '\\frac{1}{4}', true],
    ['0.33', '\\dfrac{33}{100}', true],
    ['3/2', '\\tfrac{3}{2}', true],
    ['1/4', '\\frac{1}{4}', true],
    ['\\frac{2}{4}', '\\frac12', true],
    ['5/9', '\\frac 59', true],
    ['9/19', '\\frac9{19}', true],
    ['\\frac{-3}{8}', '-\\frac{3}{8}', true],
    ['\\frac{4}{3}', '\\frac{3}{4}', false],
    ['\\frac{3}{8}', '-\\frac{3}{8}', false],
    ['\\frac95', '1\\frac{4}{5}', true],
    ['137.5', '137 \\frac{1}{2}', true],
    ['\\frac{4}{5}', '1\\frac{4}{5}', false],
  ],
  radicals: [
    ['2\\sqrt{3}', '\\sqrt{12}', true],
    ['2\\sqrt3', '2\\sqrt{3}', true],
    ['\\frac{1}{\\sqrt3}', '\\frac{\\sqrt{3}}{3}', true],
    ['2', '\\sqrt[3]{8}', true],
    ['\\sqrt{242}', '11\\sqrt2', true],
    ['\\sqrt{3}', '\\sqrt{2}', false],
    ['\\sqrt{39}', '3\\sqrt{13}', false],
    ['\\sqrt{5}', '5', false],
  ],
  pi: [
    ['8\\pi', '8 \\pi', true],
    ['20000/\\pi', '\\frac{20000}{\\pi}', true],
    ['2\\pi+18', '18+2\\pi', true],
    ['\u03c0', '\\pi', true],
    ['3.14159', '\\pi', false],
    ['7', '7\\pi', false],
  ],
  percentages: [
    ['50', '50\\%', true],
    ['0.5', '50\\%', true],
    ['50%', '50\\%', true],
    ['\\frac18', '12.5\\%', true],
    ['25\\%', '50\\%', false],
    ['0.25', '50\\%', false],
  ],
  degrees: [
    ['30', '30^\\circ', true],
    ['30^{\\circ}', '30^\\circ', true],
    ['30\u00b0', '30', true],
    ['\\frac{270}{7}', '\\frac{270}7\\text{ degrees}', true],
    ['90 degrees', '90^\\circ', true],
    ['60^\\circ', '30^\\circ', false],
  ],
  'units in \\text and words': [
    ['5.4', '5.4 \\text{ cents}', true],
    ['864', '864 \\mbox{ inches}^2', true],
    ['15', '15\\mbox{ cm}^2', true],
    ['864 square inches', '864 \\mbox{ inches}^2', true],
    ['18.9', '\\$18.90', true],
    ['36', '\\$36', true],
    ['16', '15 \\text{ cm}^2', false],
  ],
  'thousands separators': [
    ['1000', '1,000', true],
    ['1{,}000', '1000', true],
    ['10080', '10,\\!080', true],
    ['11111111100', '11,\\! 111,\\! 111,\\! 100', true],
    ['32348', '\\$32,\\!348', true],
    ['58500', '58,500', true],
    ['1\\,000', '1000', true],
    ['100', '1,000', false],
    ['1', '1,000', false],
  ],
  'tuples and points (ordered)': [
    ['(2, 4)', '(2,4)', true],
    ['(3,\\pi/2)', '\\left( 3, \\frac{\\pi}{2} \\right)', true],
    ['(1.5, -13)', '\\left( \\frac{3}{2}, -13 \\right)', true],
    ['\\begin{pmatrix}6\\\\31\\\\-1\\end{pmatrix}', '(6,31,-1)', true],
    ['(4,2)', '(2,4)', false],
    ['(1,2)', '(1,2,3)', false],
    ['2,4', '(2,4)', false],
  ],
  'intervals (bracket type matters)': [
    ['(3,4]', '(3,4]', true],
    ['(-\\infty,0]', '(-\\infty, 0]', true],
    ['[-2,7]', 'x \\in [-2,7]', true],
    ['(0.6, 8/3]', '\\left(\\frac{3}{5},\\frac{8}{3}\\right]', true],
    ['(3,\\infty)\\cup(-\\infty,2)', '(-\\infty, 2) \\cup (3, \\infty)', true],
    ['(3,4)', '(3,4]', false],
    ['[3,4]', '(3,4]', false],
    ['(-\\infty,0)', '(-\\infty, 0]', false],
    ['(3,\\infty)', '(2,\\infty)', false],
    ['(-\\infty, 2] \\cup (3, \\infty)', '(-\\infty, 2) \\cup (3, \\infty)', false],
    ['(-\\infty, 2)', '(-\\infty, 2) \\cup (3, \\infty)', false],
  ],
  'sets and lists of solutions (unordered)': [
    ['7,5,3', '3, 5, 7', true],
    ['-2,1', '1,-2', true],
    ['-2, 1+\\sqrt5, 1-\\sqrt5', '\\{1\\pm\\sqrt{5},-2\\}', true],
    ['3+2\\sqrt2, 3-2\\sqrt2', '3 \\pm 2 \\sqrt{2}', true],
    ['1 - \\sqrt{19}, 1 + \\sqrt{19}', '1 \\pm \\sqrt{19}', true],
    ['2,1', '\\{1,2\\}', true],
    ['x=1, x=2', '2, 1', true],
    ['3 \\text{ and } 5', '3, 5', true],
    ['3, 5', '3, 5, 7', false],
    ['3, 5, 5', '3, 5, 7', false],
    ['3+2\\sqrt{2}', '3 \\pm 2\\sqrt{2}', false],
    ['\\{1,3\\}', '\\{1,2\\}', false],
  ],
  'equations vs values': [
    ['5', 'x=5', true],
    ['x=5', '5', true],
    ['x = 5', 'x=5', true],
    ['2x+3', 'y = 2x + 3', true],
    ['y = 3+2x', 'y=2x+3', true],
    ['-5x+7y-11z-4=0', '5x - 7y + 11z + 4 = 0', true],
    ['10x - 14y + 22z + 8 = 0', '5x - 7y + 11z + 4 = 0', true],
    ['6', 'x=5', false],
    ['y=2x-3', 'y=2x+3', false],
    ['5x - 7y + 11z - 4 = 0', '5x - 7y + 11z + 4 = 0', false],
  ],
  'algebraic expressions (random points)': [
    ['3x+x^3-6', 'x^3+3x-6', true],
    ['2(k+1)', '2k+2', true],
    ['2 (2n)^2 + 4n + 1', '8n^2 + 4n + 1', true],
    ['2(3r^2-2r-12)', '6r^2-4r-24', true],
    ['ab+2a+5b+10', '(a+5)(b+2)', true],
    ['-q+p', 'p - q', true],
    ['\\frac{11}{20}+\\frac{9a}{20}', '\\frac{11+9a}{20}', true],
    ['(x-1)(x^4+x^2+1)', 'x^5 - x^4 + x^3 - x^2 + x - 1', true],
    ['\\frac{\\cos x}{\\sin x}', '\\cot x', true],
    ['x \\cdot x', 'x^2', true],
    ['2k', '2k+2', false],
    ['(a+2)(b+5)', '(a+5)(b+2)', false],
    ['q-p', 'p - q', false],
    ['\\tan x', '\\cot x', false],
    ['3r^2', '3R^2', false],
    ['x^2', 'x^3', false],
  ],
  'complex numbers': [
    ['9i+6', '6+9i', true],
    ['-2+7i', '-2 + 7i', true],
    ['6+5i', '6 - 5i', false],
    ['1+2i', '1-2i', false],
  ],
  infinity: [
    ['\\infty', '\\infty', true],
    ['-\\infty', '\\infty', false],
    ['1000000', '\\infty', false],
  ],
  'presentation: \\left/\\right, \\!, \\$, trailing period, $…$, \\boxed': [
    ['\\left(2,4\\right)', '(2,4)', true],
    ['5.', '5', true],
    ['\\$5', '5', true],
    ['$\\frac{1}{2}$', '\\frac12', true],
    ['\\boxed{5}.', '5', true],
    ['10,\\!000', '10000', true],
    ['\\left[ 1, 2 \\right)', '[1,2)', true],
    ['\\$6', '5', false],
  ],
  'multiple choice letters': [
    ['C', '\\text{(C)}', true],
    ['(C)', '\\text{(C)}', true],
    ['\\textbf{(C)}', '\\text{(C)}', true],
    ['\\text{(B)}', '\\text{(C)}', false],
    ['C', '(D)', false],
  ],
  'text answers': [
    ['even', '\\text{even}', true],
    ['Even', '\\text{even}', true],
    ['Navin', '\\text{Navin}', true],
    ['\\text{odd}', '\\text{even}', false],
    ['neither', '\\text{even}', false],
  ],
  'base subscripts': [
    ['52', '52_8', true],
    ['4210_5', '4210_{5}', true],
    ['53_8', '52_8', false],
  ],
  matrices: [
    ['\\begin{bmatrix}-1&0\\\\0&-1\\end{bmatrix}', '\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}', true],
    ['\\begin{pmatrix} 0.2 \\\\ -3.6 \\end{pmatrix}', '\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}', true],
    ['\\begin{pmatrix} -18/5 \\\\ 1/5 \\end{pmatrix}', '\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}', false],
    ['\\begin{pmatrix} -1 & 0 \\end{pmatrix}', '\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}', false],
  ],
  'unparsable input never throws and is not equivalent': [
    ['', '5', false],
    ['5', '', false],
    ['\\frac{', '\\frac{1}{2}', false],
    ['}}}{{{', '1', false],
    ['\\unknowncmd{3}', '3', false],
    ['\\sqrt', '2', false],
    ['((((', '(((', false],
    ['x = ', '5', false],
  ],
};

const all = Object.values(CASES).flat();

describe('isEquivalent — hand-written cases', () => {
  test('there are at least 100 cases, with both verdicts well represented', () => {
    expect(all.length).toBeGreaterThanOrEqual(100);
    expect(all.filter((c) => c[2]).length).toBeGreaterThan(50);
    expect(all.filter((c) => !c[2]).length).toBeGreaterThan(50);
  });

  for (const [category, cases] of Object.entries(CASES)) {
    test.each(cases)(`${category}: %j vs gold %j → %s`, (pred, gold, expected) => {
      expect(isEquivalent(pred, gold)).toBe(expected);
    });
  }

  test('symmetric on every case', () => {
    const asym = all.filter(([p, g]) => isEquivalent(p, g) !== isEquivalent(g, p));
    expect(asym).toEqual([]);
  });

  test('non-string inputs return false instead of throwing', () => {
    expect(isEquivalent(undefined as unknown as string, '1')).toBe(false);
    expect(isEquivalent('1', null as unknown as string)).toBe(false);
    expect(isEquivalent(5 as unknown as string, '5')).toBe(false);
  });
});
