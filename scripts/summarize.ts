/** `npm run summarize -- --preset P`: rebuilds results/<P>/summary.json from the run logs and prints the cell table. */
import { printCellTable } from './table';
import { summarizePreset } from '../src/rl/grid';

const i = process.argv.indexOf('--preset');
const preset = i >= 0 ? process.argv[i + 1] : undefined;
if (!preset) {
  console.error('usage: npm run summarize -- --preset P');
  process.exit(2);
}
try {
  const s = summarizePreset(preset);
  console.error(`results/${preset}/summary.json: ${s.length} finished runs`);
  printCellTable(s);
} catch (e) {
  console.error(`summarize: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
