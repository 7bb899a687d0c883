/**
 * `npm run audit -- --family F [--split test|leaked|unleaked|fresh] [--n N] [--json]`
 * `npm run audit -- --all`
 * Paper B's contamination audit on a stand-in family (src/world/audit.ts): ROUGE-L, EM and
 * answer accuracy of greedy continuations of 40/60/80/100% prompt prefixes. `--all` audits the
 * shipped families and the contamination variants on every split and writes
 * results/contamination/audit.json (what notebook 07 reads), keeping families already audited.
 */
import { initBackend } from '../src/engine/backend';
import { AUDIT_FAMILIES, auditFamily, saveAuditRows } from '../src/rl/auditRun';
import { loadAuditRows } from '../src/rl/contaminationTable';
import { AUDIT_SPLITS, AuditSplit, WorldAuditRow } from '../src/world/audit';
import { getFamily } from '../src/world/families';
import { parseFlags } from './cli';

const pct = (x: number | null) => (x === null ? '    —' : x.toFixed(1).padStart(5));

function printRows(rows: readonly WorldAuditRow[]): void {
  console.log('family                  split     leak  surface    prefix  n    ROUGE-L  EM     acc');
  for (const r of rows) {
    console.log(`${r.family.padEnd(23)} ${r.split.padEnd(9)} ${r.split === 'leaked' || r.split === 'unleaked' ? r.leak_fraction.toFixed(1) : '  — '}  ${r.surface.padEnd(10)} ${`${Math.round(r.ratio * 100)}%`.padStart(5)}  ${String(r.problems).padEnd(4)} ${pct(r.rougeL)}   ${pct(r.exactMatch)}  ${pct(r.accuracy)}`);
  }
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
    const rows = await auditFamily(f.family!, splits, f.n, !!f.json);
    if (f.json) console.log(JSON.stringify(rows));
    else printRows(rows);
    return;
  }
  // --all: resumable family by family; the file is rewritten atomically after each.
  const saved: WorldAuditRow[] = loadAuditRows();
  for (const family of AUDIT_FAMILIES) {
    if (saved.some((r) => r.family === family)) continue;
    saved.push(...(await auditFamily(family, AUDIT_SPLITS, f.n, !!f.json)));
    saveAuditRows(saved);
  }
  if (f.json) console.log(JSON.stringify(saved));
  else printRows(saved.filter((r) => r.surface === 'all'));
}

main().catch((e) => {
  console.error(`audit: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
