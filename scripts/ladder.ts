/**
 * `npm run ladder -- [--list] [--seeds 101,102,103|decisive|decisive-extra] [--filter TEXT] [--workers N] [--summarize]`
 * The update-size ladder (notebook 08): every cell × arm × seed, one process per core, resumable
 * (finished runs are skipped, interrupted ones resume from their checkpoint), results/ladder/
 * summary.json rebuilt as runs land. Pending runs go in ladderRunOrder: what the decisive-cell rule reads first, then the rest, cheapest first. `--seeds decisive` runs the decisive cell's new seeds once
 * notebook 08's rule has picked it (`--cell ID`); `--seeds decisive-extra` the three it adds when their sd exceeds 5. `--size x4` runs the second model size's cells (with the decisive cell's twin once it is picked),
 * once its checkpoint is built and its measured prior passed notebook 08's tolerance.
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { validateGrpoConfig } from '../src/rl/config';
import { DECISIVE_EXTRA_SEEDS, DECISIVE_SEEDS, LADDER_CELLS, LADDER_DIR, LADDER_SEEDS, LadderCell, isLadderRunFinished, ladderRunCost, ladderRunDir, ladderRunOrder, ladderRuns, loadLadderSummary, summarizeLadder } from '../src/rl/ladder';
import { ladderSizeCells } from '../src/rl/ladderTable';
import { RESULTS_DIR } from '../src/rl/results';
import { runGrpo } from '../src/rl/standin';
import { hasCheckpoint } from '../src/runtime/checkpoint';
import { CHECKPOINTS_DIR, loadPriorRows } from '../src/world/priors';
import { checkWeightsDigest, sizeToleranceChecks, sizedFamily } from '../src/world/sizes';
import { parseFlags } from './cli';
import { defaultLanes, runInProcesses } from './processes';

const FLAGS = {
  seeds: { type: 'string', default: LADDER_SEEDS.join(','), description: "comma-separated seeds, 'decisive' for the decisive cell's five new seeds, or 'decisive-extra' for the three the rule adds when their sd exceeds 5" },
  cell: { type: 'string', description: 'only this cell (required with --seeds decisive)' },
  size: { type: 'string', description: "run the second model size's cells (x4) instead of the 1x ladder" },
  filter: { type: 'string', description: 'only runs whose id contains this text' },
  workers: { type: 'number', integer: true, min: 1, description: 'processes at once (default: one per core)' },
  list: { type: 'boolean', description: 'list the runs and which are finished' },
  summarize: { type: 'boolean', description: 'only rebuild results/ladder/summary.json' },
  one: { type: 'string', description: 'internal: run one ladder run (a JSON file {id, cfg}) in this process' },
} as const;

function seedsOf(text: string, cell: string | undefined): number[] {
  if (text === 'decisive' || text === 'decisive-extra') {
    if (!cell) throw new Error(`--seeds ${text} needs --cell ID (the cell notebook 08's rule picked)`);
    return text === 'decisive' ? [...DECISIVE_SEEDS] : [...DECISIVE_EXTRA_SEEDS];
  }
  const seeds = text.split(',').map((s) => Number(s.trim()));
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds '${text}': use comma-separated non-negative integers, 'decisive' or 'decisive-extra'`);
  return seeds;
}

/** The x4 runs wait for their weights and for the pre-registered prior tolerance (notebook 08). */
function assertSizeReady(family: string): void {
  const dir = path.join(CHECKPOINTS_DIR, family);
  if (!hasCheckpoint(dir)) throw new Error(`${dir}: missing; build it with npm run pretrain -- --family ${family}`);
  const bad = checkWeightsDigest(dir);
  if (bad) throw new Error(bad);
  const sized = sizedFamily(family)!;
  const rows = loadPriorRows(family);
  const twin = loadPriorRows(sized.twin);
  if (!rows || !twin) throw new Error(`the prior of ${rows ? sized.twin : family} is not measured: npm run priors -- --family ${rows ? sized.twin : family}`);
  const failed = sizeToleranceChecks(twin, rows).filter((c) => !c.pass);
  if (failed.length) throw new Error(`${family}'s prior fails notebook 08's tolerance (${failed.map((c) => `${c.criterion}: ${c.value === null ? '—' : (100 * c.value).toFixed(1)}`).join('; ')}): its runs are not made`);
}

async function main(): Promise<void> {
  const f = parseFlags(FLAGS);
  if (f.one) {
    await initBackend({ quiet: true });
    const { id, cfg } = JSON.parse(fs.readFileSync(f.one, 'utf8')) as { id: string; cfg: unknown };
    await runGrpo(validateGrpoConfig(cfg as object, f.one), { runDir: ladderRunDir({ id }), labelsDir: path.join(RESULTS_DIR, 'labels') }, { quiet: true });
    return;
  }
  if (f.summarize) {
    console.error(`[ladder] results/ladder/summary.json: ${summarizeLadder().length} finished runs`);
    return;
  }
  if (f.size !== undefined && f.size !== 'x4') throw new Error(`--size '${f.size}': the only second size is x4`);
  // The x4 pool grows by the decisive cell's twin once the committed runs let the rule pick it.
  const pool: readonly LadderCell[] = f.size ? ladderSizeCells(loadLadderSummary()) : LADDER_CELLS;
  const cells = f.cell ? pool.filter((c) => c.id === f.cell) : pool;
  if (cells.length === 0) throw new Error(`--cell '${f.cell}' is not a${f.size ? ` ${f.size}` : ''} ladder cell (use one of ${pool.map((c) => c.id).join(', ')})`);
  if (f.size && !f.list) for (const family of new Set(cells.map((c) => c.family!))) assertSizeReady(family);
  const all = ladderRuns(seedsOf(f.seeds, f.cell), cells).filter((r) => !f.filter || r.id.includes(f.filter));
  // What the decisive-cell rule reads first, then cheapest first (stable, so seed-major within a
  // cost): finished runs land early in a session that may be cut.
  const todo = all.filter((r) => !isLadderRunFinished(r)).map((r, i) => ({ r, i, k: ladderRunOrder(r) })).sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i).map(({ r }) => r);
  if (f.list) {
    for (const r of all) console.log(`${todo.includes(r) ? ' ' : '✓'} ${r.id}`);
    console.log(`${all.length - todo.length} of ${all.length} finished`);
    return;
  }
  const workers = f.workers ?? defaultLanes();
  console.error(`[ladder] ${all.length} runs, ${all.length - todo.length} already finished, ${todo.length} to run on ${workers} processes`);
  fs.mkdirSync(LADDER_DIR, { recursive: true });
  // Weighted by rollouts (an x4 rollout counted 4×): the paper rung costs ten lr 1e-4 runs.
  const jobs = todo.map((run) => ({ id: run.id, payload: { id: run.id, cfg: run.cfg }, argv: (file: string) => [__filename, '--one', file], weight: ladderRunCost(run) * (run.cell.family ? 4 : 1) }));
  const failures = await runInProcesses(jobs, { lanes: workers, label: 'ladder', afterEach: () => summarizeLadder() });
  console.error(`[ladder] results/ladder/summary.json: ${summarizeLadder().length} finished runs`);
  if (failures.length) {
    console.error(`[ladder] ${failures.length} runs failed:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(`ladder: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
