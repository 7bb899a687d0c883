/**
 * Paper B's contamination audit applied to a stand-in family: each problem's prompt is cut at
 * 40/60/80% (and kept whole for answer accuracy), the family's checkpoint continues it greedily,
 * and the continuation is scored by src/contamination (ROUGE-L, EM, partial-prompt answer
 * accuracy) with the world's own verifier. Here we know which model saw which problem, so the
 * audit can be checked: it must flag the leaked half of the test set for the leaked family only.
 */
import { ACCURACY_RATIOS, AuditRecord, AuditSummary, runAudit, summarizeAudit, truncatePrompt, type AnswerGrader } from '../contamination/index';
import { Rng } from '../engine/rng';
import { WorkerPool } from '../runtime/pool';
import { leakedTestProblems } from './corpus';
import { FamilySpec } from './families';
import { generate } from './generate';
import { extractWorldAnswer, sameWorldAnswer } from './grade';
import { Problem, generateFreshProblems, problemKey } from './problems';
import { worldTokenizer } from './vocab';

export const WORLD_ANSWER_GRADER: AnswerGrader = { extract: extractWorldAnswer, equal: sameWorldAnswer };

/**
 * Problem sets an audit can run on. 'leaked' / 'unleaked' split the test set by the fixed shuffle
 * the leaked family's pretraining used (the same split for every family, so a clean family's
 * numbers on the two halves are a check that the halves are alike). 'fresh': new problems from a
 * seeded generator, disjoint from both shipped splits (RandomCalculation's role).
 */
export const AUDIT_SPLITS = ['test', 'leaked', 'unleaked', 'fresh'] as const;
export type AuditSplit = (typeof AUDIT_SPLITS)[number];

/** The leak fraction every split is cut with: the contamination variants' (datasets/world/families.json). */
export const AUDIT_LEAK_FRACTION = 0.5;
export const FRESH_SEED = 7;

export function auditProblems(split: AuditSplit, test: readonly Problem[], train: readonly Problem[], n = test.length, leakFraction = AUDIT_LEAK_FRACTION): Problem[] {
  if (split === 'fresh') return generateFreshProblems(FRESH_SEED, n, new Set([...test, ...train].map(problemKey)));
  const leaked = leakedTestProblems(test, leakFraction);
  const ids = new Set(leaked.map((p) => p.id));
  const chosen = split === 'test' ? test : split === 'leaked' ? leaked : test.filter((p) => !ids.has(p.id));
  return chosen.slice(0, n);
}

/** Which test problems a family saw whole (empty for a clean family). */
export function leakedFor(spec: FamilySpec, test: readonly Problem[]): Problem[] {
  return spec.fullText?.source === 'test' ? leakedTestProblems(test, spec.fullText.testFraction) : [];
}

/** The leak fraction a family's 'leaked'/'unleaked' splits are cut with: its own, or AUDIT_LEAK_FRACTION for a clean family. */
export function leakFractionOf(spec: FamilySpec): number {
  return spec.fullText?.source === 'test' ? spec.fullText.testFraction : AUDIT_LEAK_FRACTION;
}

export interface WorldAuditRow extends AuditSummary {
  family: string;
  split: AuditSplit;
  /** The leak fraction the leaked/unleaked halves were cut with. */
  leak_fraction: number;
  /** 'all' or one surface form: bare prompts ("Compute 12+9-5+1.") have a single boundary, so their 60/80% cuts leave only "." to reproduce. */
  surface: 'all' | 'bare' | 'narrative';
}

/**
 * Greedy continuations of every prefix in one batched generation per ratio (one call per problem
 * would be ~100× slower), then scored problem by problem as Paper B's code does.
 */
export async function auditWorldFamily(
  pool: WorkerPool,
  family: string,
  split: AuditSplit,
  problems: readonly Problem[],
  opts: { ratios?: readonly number[]; contextLength: number; leakFraction?: number; onProgress?: (done: number, total: number) => void },
): Promise<{ rows: WorldAuditRow[]; records: AuditRecord[] }> {
  const ratios = opts.ratios ?? ACCURACY_RATIOS;
  const tok = worldTokenizer();
  const continuations = new Map<string, string>();
  let done = 0;
  for (const ratio of ratios) {
    const cut = problems.map((p) => ({ ...p, prompt: truncatePrompt(p.prompt, ratio) }));
    const longest = Math.max(...cut.map((p) => tok.encode(p.prompt).length));
    const g = await generate(pool, tok, cut, null, { temperature: 0, k: 1, maxNewTokens: opts.contextLength - longest, rng: new Rng(1) });
    g.forEach((x, i) => continuations.set(`${ratio}|${problems[i].id}`, x.response));
    opts.onProgress?.(++done, ratios.length);
  }
  const audit = (ps: readonly Problem[]) => runAudit(ps.map((p) => ({ id: p.id, prompt: p.prompt, gold: p.answer })), ratios, (_prefix, p, ratio) => [continuations.get(`${ratio}|${p.id}`)!], { grader: WORLD_ANSWER_GRADER });
  const { records } = await audit(problems);
  const rows: WorldAuditRow[] = [];
  for (const surface of ['all', 'bare', 'narrative'] as const) {
    const ids = new Set(problems.filter((p) => surface === 'all' || p.surface === surface).map((p) => p.id));
    if (ids.size === 0) continue;
    for (const ratio of ratios) rows.push({ family, split, leak_fraction: opts.leakFraction ?? AUDIT_LEAK_FRACTION, surface, ...summarizeAudit(records.filter((r) => r.ratio === ratio && ids.has(r.id))) });
  }
  return { rows, records };
}
