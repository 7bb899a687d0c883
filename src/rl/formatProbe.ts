/**
 * H5's step-0 measurement: a family's greedy accuracy, answer-parse rate, boxed rate and code
 * frequency under each prompt template, from generations of its shipped checkpoint — how badly
 * the prior handles a format, measured before any RL run uses it.
 */
import { WorkerPool } from '../runtime/pool';
import { loadFamilyModel } from '../world/priors';
import type { Problem } from '../world/problems';
import { wrapProblems } from '../world/promptFormat';
import { evaluatePolicy } from './evaluate';

export interface FormatRow {
  family: string;
  /** 'none' for the unwrapped prompt. */
  id: string;
  template: string | null;
  n: number;
  acc: number;
  /** Greedy responses stating an answer the verifier reads. */
  parsed: number;
  boxed: number;
  code: number;
}

export async function measurePromptFormats(family: string, test: readonly Problem[], templates: readonly { id: string; template: string }[], opts: { maxNewTokens: number; workers?: number }): Promise<FormatRow[]> {
  const model = loadFamilyModel(family);
  const pool = await WorkerPool.create(model, opts.workers);
  const rows: FormatRow[] = [];
  try {
    for (const t of [{ id: 'none', template: null as string | null }, ...templates]) {
      // The runs' own greedy evaluation (no avg@k), so step 0 here is step 0 there.
      const e = await evaluatePolicy(pool, wrapProblems(test, t.template ?? undefined), [], { maxNewTokens: opts.maxNewTokens, avgK: 0, seed: 1 });
      rows.push({ family, id: t.id, template: t.template, n: e.n, acc: e.acc, parsed: e.parsed ?? 0, boxed: e.boxed, code: e.code });
    }
  } finally {
    await pool.close();
    model.dispose();
  }
  return rows;
}

/**
 * H5's selection rule, fixed before the measurement: the template with the lowest parse rate
 * among those that still parse at least `minParsed` (a correct reward needs some parsed answers).
 */
export function worstHandledTemplate(rows: readonly FormatRow[], minParsed = 0.2): FormatRow | null {
  const ok = rows.filter((r) => r.template !== null && r.parsed >= minParsed);
  return ok.length ? ok.reduce((a, b) => (b.parsed < a.parsed ? b : a)) : null;
}
