/**
 * H5's step-0 measurement: a family's greedy accuracy, answer-parse rate, boxed rate and code
 * frequency under each prompt template, from generations of its shipped checkpoint — how badly
 * the prior handles a format, measured before any RL run uses it.
 */
import { Rng } from '../engine/rng';
import { WorkerPool } from '../runtime/pool';
import { generate } from './generate';
import { loadFamilyModel } from './priors';
import type { Problem } from './problems';
import { wrapProblems } from './promptFormat';
import { worldTokenizer } from './vocab';

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
      const g = await generate(pool, worldTokenizer(), wrapProblems(test, t.template ?? undefined), null, { temperature: 0, k: 1, maxNewTokens: opts.maxNewTokens, rng: new Rng(1) });
      const frac = (f: (x: (typeof g)[number]) => boolean) => (g.length ? g.filter(f).length / g.length : 0);
      rows.push({ family, id: t.id, template: t.template, n: g.length, acc: frac((x) => x.correct), parsed: frac((x) => x.answer !== null), boxed: frac((x) => x.boxed), code: frac((x) => x.code) });
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
