/**
 * `npm run priors -- [--json] [--family NAME] [--k 4] [--seed 1]`
 * Measures each family's prior (Table 1 analogue + Table 3's forced-code accuracy) from
 * generations of its shipped checkpoint on datasets/world/test.jsonl, prints the table (or a JSON
 * array with --json) and writes datasets/world/priors.json.
 */
import * as path from 'path';
import { writeFileAtomic } from '../src/engine/atomic';
import { initBackend } from '../src/engine/backend';
import { Progress } from '../src/engine/progress';
import { WORLD_DIR, loadWorldSplit } from '../src/world/dataset';
import { loadFamilies } from '../src/world/families';
import { pretrainTarget } from '../src/world/sizes';
import { measureFamilyPriors } from '../src/world/priorTable';
import { priorChecks } from '../src/world/priors';
import { parseFlags } from './cli';

function pct(x: number | null): string {
  return x === null ? '   —' : (100 * x).toFixed(1).padStart(5);
}

async function main(): Promise<void> {
  const f = parseFlags({
    json: { type: 'boolean' },
    family: { type: 'string' },
    k: { type: 'number', integer: true, min: 1, default: 4 },
    seed: { type: 'number', integer: true, min: 0, default: 1 },
  });
  const { json, k, seed } = f;
  const families = f.family ? [pretrainTarget(f.family).spec.name] : loadFamilies().map((x) => x.name);
  await initBackend({ quiet: json });
  const test = loadWorldSplit('test');
  let bar: Progress | null = null;
  let label = '';
  const rows = await measureFamilyPriors(families, test, {
    k,
    seed,
    onProgress: (l, d, t) => {
      if (l !== label) { label = l; bar = new Progress({ label: `priors ${l}`, total: t, everySeconds: 20 }); }
      bar!.update(d);
    },
  });
  const out = path.join(WORLD_DIR, families.length === loadFamilies().length ? 'priors.json' : `priors-${families.join('-')}.json`);
  writeFileAtomic(out, JSON.stringify(rows, null, 1) + '\n');
  if (json) {
    console.log(JSON.stringify(rows));
    return;
  }
  console.log('family        decoding    n     code%  acc(code) acc(lang)  acc%  boxed%  forced-code acc%');
  for (const r of rows) {
    console.log(`${r.family.padEnd(13)} ${`${r.decoding}${r.k > 1 ? ` k=${r.k}` : ''}`.padEnd(11)} ${String(r.n).padStart(4)}  ${pct(r.code_frequency)}  ${pct(r.acc_code)}     ${pct(r.acc_lang)}   ${pct(r.acc)}  ${pct(r.boxed_rate)}   ${pct(r.forced_code_acc)}`);
  }
  console.log('\ntarget pattern (paper Table 1 / Table 3):');
  for (const c of priorChecks(rows)) console.log(`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.family.padEnd(13)} ${c.decoding.padEnd(8)} ${c.criterion.padEnd(32)} ${c.value === null ? '—' : c.value.toFixed(3)}`);
  console.error(`written to ${out}`);
}

main().catch((e) => {
  console.error(`priors: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
