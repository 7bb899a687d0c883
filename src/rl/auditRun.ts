/**
 * Running Paper B's contamination audit on stand-in families (src/world/audit.ts measures one
 * family and split) and saving results/contamination/audit.json, which notebook 07 reads.
 * `npm run audit` is the command-line entry.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../engine/atomic';
import { Progress } from '../engine/progress';
import { WorkerPool } from '../runtime/pool';
import { AUDIT_LEAK_FRACTION, AuditSplit, WorldAuditRow, auditProblems, auditWorldFamily, leakFractionOf } from '../world/audit';
import { loadWorldSplit } from '../world/dataset';
import { getFamily, loadFamilies, loadVariants } from '../world/families';
import { loadFamilyModel } from '../world/priors';
import { AUDIT_FILE } from './contaminationTable';

/** The families `--all` audits: the shipped four, the clean global twin and the contamination pair. */
export const AUDIT_FAMILIES = [...loadFamilies().map((f) => f.name), 'good-code-global', 'good-code-unleaked', 'good-code-leaked', 'good-code-leaked-heavy'];

/** The default split fraction first, then every contaminated variant's. */
function leakFractions(): number[] {
  return [...new Set([AUDIT_LEAK_FRACTION, ...loadVariants().filter((v) => v.fullText?.source === 'test').map(leakFractionOf)])];
}

export async function auditFamily(family: string, splits: readonly AuditSplit[], n: number | undefined, quiet: boolean): Promise<WorldAuditRow[]> {
  const spec = getFamily(family); // one clear line for an unknown family before anything loads
  // A leaked family's halves are its own leak; a clean family is cut at the default fraction,
  // and also at every contaminated family's, so each has a clean control on the same problems.
  const fractions = spec.fullText?.source === 'test' ? [leakFractionOf(spec)] : leakFractions();
  const model = loadFamilyModel(family);
  const pool = await WorkerPool.create(model);
  const test = loadWorldSplit('test');
  const train = loadWorldSplit('train');
  const rows: WorldAuditRow[] = [];
  try {
    for (const split of splits) {
      for (const leakFraction of split === 'leaked' || split === 'unleaked' ? fractions : [fractions[0]]) {
        const problems = auditProblems(split, test, train, n, leakFraction);
        const bar = quiet ? null : new Progress({ label: `audit ${family} ${split}`, total: 4 });
        const r = await auditWorldFamily(pool, family, split, problems, { contextLength: model.config.contextLength, leakFraction, onProgress: (d) => bar?.update(d) });
        rows.push(...r.rows);
      }
    }
  } finally {
    await pool.close();
  }
  return rows;
}

/** Writes every audited row to results/contamination/audit.json, atomically (a killed `--all` keeps the families done). */
export function saveAuditRows(rows: readonly WorldAuditRow[]): void {
  fs.mkdirSync(path.dirname(AUDIT_FILE), { recursive: true });
  writeFileAtomic(AUDIT_FILE, JSON.stringify({ note: 'Paper B audit on stand-in families (npm run audit -- --all): greedy continuations; ROUGE-L/EM/acc in percent', rows }, null, 0) + '\n');
}
