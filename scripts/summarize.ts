/** `npm run summarize -- --preset P`: rebuilds results/<P>/summary.json from the run logs and prints the cell table. */
import { printCellTable } from './table';
import { summarizePreset } from '../src/rl/grid';
import { parseFlags } from './cli';

try {
  const { preset } = parseFlags({ preset: { type: 'string' } });
  if (!preset) {
    console.error('usage: npm run summarize -- --preset P');
    process.exit(2);
  }
  const s = summarizePreset(preset);
  console.error(`results/${preset}/summary.json: ${s.length} finished runs`);
  printCellTable(s);
} catch (e) {
  console.error(`summarize: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
