/**
 * `npm run audit -- --family F [--split test|leaked|unleaked|fresh] [--n N] [--json]`
 * `npm run audit -- --all`
 * Paper B's contamination audit on a stand-in family (src/world/audit.ts): ROUGE-L, EM and
 * answer accuracy of greedy continuations of 40/60/80/100% prompt prefixes. `--all` audits the
 * shipped families and the contamination variants on every split and writes
 * results/contamination/audit.json (what notebook 07 reads), keeping families already audited.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../src/engine/atomic';
import { initBackend } from '../src/engine/backend';
import { Progress } from '../src/engine/progress';
import { WorkerPool } from '../src/runtime/pool';
import { AUDIT_FILE, loadAuditRows } from '../src/rl/contaminationTable';
import { AUDIT_LEAK_FRACTION, AUDIT_SPLITS, AuditSplit, WorldAuditRow, auditProblems, auditWorldFamily, leakFractionOf } from '../src/world/audit';
import { loadWorldSplit } from '../src/world/dataset';
import { getFamily, loadFamilies, loadVariants } from '../src/world/families';
import { loadFamilyModel } from '../src/world/priors';
import { parseFlags } from './cli';

/** The families `--all` audits: the shipped four, the clean global twin and the contamination pair. */
const ALL = [...loadFamilies().map((f) => f.name), 'good-code-global', 'good-code-unleaked', 'good-code-leaked', 'good-code-leaked-heavy'];

/** The default split fraction first, then every contaminated variant's. */
function leakFractions(): number[] {
  return [...new Set([AUDIT_LEAK_FRACTION, ...loadVariants().filter((v) => v.fullText?.source === 'test').map(leakFractionOf)])];
}

const pct = (x: number | null) => (x === null ? '    —' : x.toFixed(1).padStart(5));

function printRows(rows: readonly WorldAuditRow[]): void {
  console.log('family                  split     leak  surface    prefix  n    ROUGE-L  EM     acc');
  for (const r of rows) {
    console.log(`${r.family.padEnd(23)} ${r.split.padEnd(9)} ${r.split === 'leaked' || r.split === 'unleaked' ? r.leak_fraction.toFixed(1) : '  — '}  ${r.surface.padEnd(10)} ${`${Math.round(r.ratio * 100)}%`.padStart(5)}  ${String(r.problems).padEnd(4)} ${pct(r.rougeL)}   ${pct(r.exactMatch)}  ${pct(r.accuracy)}`);
  }
}

async function auditOne(family: string, splits: readonly AuditSplit[], n: number | undefined, quiet: boolean): Promise<WorldAuditRow[]> {
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

async function main(): Promise<void> {
  const f = parseFlags({
    family: { type: 'string' },
    split: { type: 'string' },
    n: { type: 'number', integer: true, min: 1 },
    json: { type: 'boolean' },
    all: { type: 'boolean' },
  });
  if (f.split !== undefined && !(AUDIT_SPLITS as readonly string[]).includes(f.split)) throw new Error(`--split must be one of ${AUDIT_SPLITS.join(', ')}, got '${f.split}'`);
  if (!f.all && !f.family) throw new Error('give --family NAME (or --all)');
  if (f.family) getFamily(f.family); // an unknown family fails before the backend loads
  await initBackend({ quiet: f.json });
  const splits = f.split ? [f.split as AuditSplit] : AUDIT_SPLITS;
  if (!f.all) {
    const rows = await auditOne(f.family!, splits, f.n, !!f.json);
    if (f.json) console.log(JSON.stringify(rows));
    else printRows(rows);
    return;
  }
  // --all: resumable family by family; the file is rewritten atomically after each.
  const saved: WorldAuditRow[] = loadAuditRows();
  for (const family of ALL) {
    if (saved.some((r) => r.family === family)) continue;
    saved.push(...(await auditOne(family, AUDIT_SPLITS, f.n, !!f.json)));
    fs.mkdirSync(path.dirname(AUDIT_FILE), { recursive: true });
    writeFileAtomic(AUDIT_FILE, JSON.stringify({ note: 'Paper B audit on stand-in families (npm run audit -- --all): greedy continuations; ROUGE-L/EM/acc in percent', rows: saved }, null, 0) + '\n');
  }
  if (f.json) console.log(JSON.stringify(saved));
  else printRows(saved.filter((r) => r.surface === 'all'));
}

main().catch((e) => {
  console.error(`audit: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
