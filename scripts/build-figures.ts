/**
 * Regenerates figures/: for every entry of FIGURE_CATALOG writes <name>.html (interactive, with
 * figures/plotly.min.js beside it) and <name>.png (rendered in headless Chromium).
 * Usage: npm run figures [-- <name-prefix> ...]
 */
import { FIGURE_CATALOG, closeBrowser, saveFigure } from '../src/plot';
import { parseFlags } from './cli';

async function main(): Promise<void> {
  const filters = parseFlags({}, process.argv.slice(2), { positionals: true }).positionals;
  const entries = FIGURE_CATALOG.filter((e) => filters.length === 0 || filters.some((f) => e.name.startsWith(f)));
  if (entries.length === 0) throw new Error(`no figure matches ${filters.join(' ')}`);
  const t0 = Date.now();
  try {
    for (const e of entries) {
      const out = await saveFigure(e.build(), e.name);
      console.log(`figures: ${e.name} -> ${out.png}`);
    }
  } finally {
    await closeBrowser();
  }
  console.log(`figures: ${entries.length} figure(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  console.error(`figures: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
