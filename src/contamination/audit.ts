/**
 * Paper B's contamination audit for one prefix ratio: truncate each problem, let the caller's
 * model continue it, and score the continuations (ROUGE-L, EM, answer accuracy). Averaging follows
 * the official code: per problem over its samples, then over problems, reported in percent.
 */
import { gradeContinuation, MATH_ANSWER_GRADER, type AnswerGrader } from './accuracy';
import { scoreContinuation, type RougeTokenizer } from './rouge';
import { truncatePrompt } from './truncate';

export interface AuditProblem {
  id: string;
  prompt: string;
  gold: string;
}

export interface AuditOptions {
  grader?: AnswerGrader;
  tokenizer?: RougeTokenizer;
}

export interface AuditRecord {
  id: string;
  ratio: number;
  prefix: string;
  samples: number;
  /** Mean ROUGE-L over samples (0–1); null at ratio ≥ 1, where there is nothing left to reproduce. */
  rougeL: number | null;
  /** Fraction of samples with ROUGE-L = 1; null at ratio ≥ 1. */
  exactMatch: number | null;
  /** Fraction of samples whose final answer is correct. */
  accuracy: number;
  /** Some sample's final answer is correct. */
  pass: boolean;
}

/** Scores the continuations of one problem's prefix (`continuations` were generated from `truncatePrompt(prompt, ratio)`). */
export function auditProblem(problem: AuditProblem, ratio: number, continuations: readonly string[], options: AuditOptions = {}): AuditRecord {
  if (continuations.length === 0) throw new Error(`auditProblem: problem ${problem.id} has no continuations`);
  const grader = options.grader ?? MATH_ANSWER_GRADER;
  const prefix = truncatePrompt(problem.prompt, ratio);
  const full = ratio >= 1;
  let rouge = 0;
  let em = 0;
  let correct = 0;
  for (const c of continuations) {
    if (!full) {
      const s = scoreContinuation(problem.prompt, prefix, c, options.tokenizer);
      rouge += s.rougeL;
      if (s.exactMatch) em++;
    }
    if (gradeContinuation(c, problem.gold, grader).correct) correct++;
  }
  const k = continuations.length;
  return {
    id: problem.id,
    ratio,
    prefix,
    samples: k,
    rougeL: full ? null : rouge / k,
    exactMatch: full ? null : em / k,
    accuracy: correct / k,
    pass: correct > 0,
  };
}

export interface AuditSummary {
  ratio: number;
  problems: number;
  /** Percent, as Paper B's tables; null at ratio ≥ 1. */
  rougeL: number | null;
  exactMatch: number | null;
  accuracy: number;
  passAtK: number;
}

/** Means over problems, ×100. All records must share one ratio. */
export function summarizeAudit(records: readonly AuditRecord[]): AuditSummary {
  if (records.length === 0) throw new Error('summarizeAudit: no records');
  const ratio = records[0].ratio;
  const other = records.find((r) => r.ratio !== ratio);
  if (other) throw new Error(`summarizeAudit: mixed ratios ${ratio} and ${other.ratio} (problem ${other.id})`);
  const mean = (f: (r: AuditRecord) => number): number => (100 * records.reduce((s, r) => s + f(r), 0)) / records.length;
  const full = ratio >= 1;
  return {
    ratio,
    problems: records.length,
    rougeL: full ? null : mean((r) => r.rougeL ?? 0),
    exactMatch: full ? null : mean((r) => r.exactMatch ?? 0),
    accuracy: mean((r) => r.accuracy),
    passAtK: mean((r) => (r.pass ? 1 : 0)),
  };
}

/** Continues a prefix: one string for greedy decoding, several for Avg@k. */
export type Continue = (prefix: string, problem: AuditProblem, ratio: number) => readonly string[] | Promise<readonly string[]>;

/** The whole audit: every problem at every ratio, in order, with one summary per ratio. */
export async function runAudit(
  problems: readonly AuditProblem[],
  ratios: readonly number[],
  complete: Continue,
  options: AuditOptions = {},
): Promise<{ records: AuditRecord[]; summaries: AuditSummary[] }> {
  const records: AuditRecord[] = [];
  const summaries: AuditSummary[] = [];
  for (const ratio of ratios) {
    const mine: AuditRecord[] = [];
    for (const p of problems) {
      const continuations = await complete(truncatePrompt(p.prompt, ratio), p, ratio);
      mine.push(auditProblem(p, ratio, continuations, options));
    }
    records.push(...mine);
    summaries.push(summarizeAudit(mine));
  }
  return { records, summaries };
}
