/**
 * npm run notebooks [-- [--fast] [--no-inplace] [--out-dir DIR] [notebooks/x.ipynb ...]]
 *
 * Executes every notebooks/*.ipynb (or the ones given) headless with the tslab kernel and writes
 * the outputs back in place. Exits 1 at the first failing cell, naming notebook and cell.
 * --fast sets SR_NOTEBOOK_FAST=1 (reduced live re-runs; not for committing outputs).
 */
import { parseFlags } from './cli';
import { executeNotebook, listNotebooks } from './notebook-runner';

async function main(): Promise<void> {
  const f = parseFlags({ fast: { type: 'boolean' }, 'no-inplace': { type: 'boolean' }, 'out-dir': { type: 'string' } }, process.argv.slice(2), { positionals: true });
  const fast = f.fast || process.env.SR_NOTEBOOK_FAST === '1';
  const inplace = !f['no-inplace'];
  const outDir = f['out-dir'];
  const files = f.positionals;
  const notebooks = files.length > 0 ? files : listNotebooks();
  for (const nb of notebooks) {
    const r = await executeNotebook(nb, { fast, inplace, outDir });
    if (!r.ok) {
      console.error(r.error);
      if (r.detail) console.error(r.detail.split('\n').slice(0, 30).join('\n'));
      console.error(`(partly executed copy: ${r.executed})`);
      process.exit(1);
    }
    console.log(`notebooks: ${r.notebook} ok in ${r.seconds.toFixed(1)} s${inplace ? ' (outputs written in place)' : ''}`);
  }
}

main().catch((e) => {
  console.error(`notebooks: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
