/**
 * Paper B's continuous reward for RandomCalculation (§4.3, Eq. 2). Its answers are 15-digit
 * decimals, so a binary exact-match reward almost never fires; this one gives partial credit.
 */
import { extractAnswer } from '../grader/index';
import { normalizeAnswer } from '../grader/normalize';
import { evaluateNode, freeVariables, parseLatex } from '../grader/toMath';

/** ε of Eq. 2 (the v1 text printed "10e-6"; v3 and the fact sheet use 1e-6). */
export const CALCULATION_REWARD_EPS = 1e-6;

/**
 * r = 1 − 0.5·min(|a−b|, 1) − 0.5·min(|a−b|/(|b|+ε), 1) for answer a and gold b: an absolute and a
 * relative distance, each capped at 1, so r ∈ [0, 1] and r = 1 only for a = b. No answer (null,
 * NaN, ±∞) earns 0.
 */
export function calculationReward(answer: number | null, gold: number): number {
  if (!Number.isFinite(gold)) throw new Error(`calculationReward: gold must be a finite number, got ${gold}`);
  if (answer === null || !Number.isFinite(answer)) return 0;
  const d = Math.abs(answer - gold);
  return 1 - 0.5 * Math.min(d, 1) - 0.5 * Math.min(d / (Math.abs(gold) + CALCULATION_REWARD_EPS), 1);
}

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The real number an extracted answer denotes: plain decimals and scientific notation
 * ("7.27838010204082e-6", sympy's style) directly, else LaTeX through the grader ("\frac{3}{4}",
 * "-\sqrt{2}"). Null for anything with a free variable, a non-real or a non-finite value.
 */
export function numericAnswer(text: string | null): number | null {
  if (text === null) return null;
  const t = text.trim();
  if (PLAIN_NUMBER.test(t)) return Number(t);
  const n = normalizeAnswer(t);
  if (n.text === '') return null;
  const node = parseLatex(n.text);
  if (node === null || freeVariables(node).length > 0) return null;
  const v = evaluateNode(node, {});
  if (v === null || v[1] !== 0 || !Number.isFinite(v[0])) return null;
  return n.percent ? v[0] / 100 : v[0];
}

/** Eq. 2 on a whole response: extract the final answer (the MATH extractor by default), read it as a number, score it. */
export function calculationRewardForResponse(response: string, gold: number, extract: (response: string) => string | null = extractAnswer): number {
  return calculationReward(numericAnswer(extract(response)), gold);
}
