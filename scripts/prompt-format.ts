/**
 * `npm run prompt-format -- [--family good-code-global] [--n 200] [--json]`
 * H5's step-0 measurement: greedy accuracy, answer-parse rate, boxed rate and code frequency of a
 * family's shipped checkpoint under each candidate prompt template (src/world/promptFormat.ts), on
 * the first n test problems; names the template the selection rule picks and writes
 * results/phase/format-candidates.json (other families or n: format-candidates-<family>-n<n>.json).
 */
import * as path from 'path';
import { writeFileAtomic } from '../src/engine/atomic';
import { initBackend } from '../src/engine/backend';
import { PHASE_CENTRE } from '../src/rl/phase';
import { validateGrpoConfig } from '../src/rl/config';
import { RESULTS_DIR } from '../src/rl/results';
import { loadWorldSplit } from '../src/world/dataset';
import { getFamily } from '../src/world/families';
import { measurePromptFormats, worstHandledTemplate } from '../src/rl/formatProbe';
import { H5_TEMPLATE_CANDIDATES } from '../src/world/promptFormat';
import { parseFlags } from './cli';

async function main(): Promise<void> {
  const f = parseFlags({
    family: { type: 'string', default: 'good-code-global' },
    n: { type: 'number', integer: true, min: 1, default: 200 },
    json: { type: 'boolean' },
  });
  const family = getFamily(f.family).name; // an unknown family fails here, in one line
  const test = loadWorldSplit('test');
  if (f.n > test.length) throw new Error(`--n must be at most ${test.length} (the test split's size), got ${f.n}`);
  await initBackend({ quiet: f.json });
  // The phase runs' response length, so that step 0 here is step 0 there.
  const rows = await measurePromptFormats(family, test.slice(0, f.n), H5_TEMPLATE_CANDIDATES, { maxNewTokens: validateGrpoConfig(PHASE_CENTRE, 'PHASE_CENTRE').maxNewTokens });
  const pick = worstHandledTemplate(rows);
  // The default measurement is the one the format cell cites; other families or sizes get their own file.
  const isDefault = family === 'good-code-global' && f.n === 200;
  const out = path.join(RESULTS_DIR, 'phase', isDefault ? 'format-candidates.json' : `format-candidates-${family}-n${f.n}.json`);
  writeFileAtomic(out, JSON.stringify({ rows, pick: pick?.id ?? null }, null, 1) + '\n');
  if (f.json) {
    console.log(JSON.stringify({ rows, pick: pick?.id ?? null }));
    return;
  }
  const pct = (x: number) => (100 * x).toFixed(1).padStart(6);
  console.log(`${family}, ${rows[0].n} test problems, greedy\ntemplate          acc%  parsed%  boxed%   code%`);
  for (const r of rows) console.log(`${r.id.padEnd(16)} ${pct(r.acc)}  ${pct(r.parsed)}  ${pct(r.boxed)}  ${pct(r.code)}`);
  console.log(`selection rule (lowest parse rate among those parsing ≥ 20%): ${pick?.id ?? 'none qualifies'}`);
  console.error(`written to ${out}`);
}

main().catch((e) => {
  console.error(`prompt-format: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
