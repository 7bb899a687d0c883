/**
 * The prior table over several families: each family's shipped checkpoint is loaded, measured
 * (measurePriors) on a worker pool of its own, and released before the next, so only one model
 * is in memory at a time. Used by `npm run priors` and notebook 03.
 */
import { WorkerPool } from '../runtime/pool';
import { loadFamilyModel, measurePriors, type PriorOptions, type PriorRow } from './priors';
import type { Problem } from './problems';

export async function measureFamilyPriors(families: readonly string[], test: readonly Problem[], opts: PriorOptions): Promise<PriorRow[]> {
  const rows: PriorRow[] = [];
  for (const family of families) {
    const model = loadFamilyModel(family);
    const pool = await WorkerPool.create(model);
    try {
      rows.push(...(await measurePriors(family, model, pool, test, opts)).rows);
    } finally {
      await pool.close();
      model.dispose();
    }
  }
  return rows;
}
