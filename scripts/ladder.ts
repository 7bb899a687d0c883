/**
 * `npm run ladder -- [--list] [--seeds 101,102,103] [--filter TEXT] [--workers N] [--summarize]`
 * The update-size ladder (notebook 08): every cell × arm × seed, one process per core, resumable
 * (finished runs are skipped, interrupted ones resume from their checkpoint), results/ladder/
 * summary.json rebuilt as runs land. Pending runs go cheapest first (rollouts sampled). `--seeds decisive` runs the decisive cell's new seeds once
 * notebook 08's rule has picked it (`--cell ID`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { validateGrpoConfig } from '../src/rl/config';
import { DECISIVE_SEEDS, LADDER_CELLS, LADDER_DIR, LADDER_SEEDS, isLadderRunFinished, ladderRunCost, ladderRunDir, ladderRuns, summarizeLadder } from '../src/rl/ladder';
import { RESULTS_DIR } from '../src/rl/results';
import { runGrpo } from '../src/rl/standin';
import { parseFlags } from './cli';
import { defaultLanes, runInProcesses } from './processes';

const FLAGS = {
  seeds: { type: 'string', default: LADDER_SEEDS.join(','), description: "comma-separated seeds, or 'decisive' for the decisive cell's five new seeds" },
  cell: { type: 'string', description: 'only this cell (required with --seeds decisive)' },
  filter: { type: 'string', description: 'only runs whose id contains this text' },
  workers: { type: 'number', integer: true, min: 1, description: 'processes at once (default: one per core)' },
  list: { type: 'boolean', description: 'list the runs and which are finished' },
  summarize: { type: 'boolean', description: 'only rebuild results/ladder/summary.json' },
  one: { type: 'string', description: 'internal: run one ladder run (a JSON file {id, cfg}) in this process' },
} as const;

function seedsOf(text: string, cell: string | undefined): number[] {
  if (text === 'decisive') {
    if (!cell) throw new Error("--seeds decisive needs --cell ID (the cell notebook 08's rule picked)");
    return [...DECISIVE_SEEDS];
  }
  const seeds = text.split(',').map((s) => Number(s.trim()));
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds '${text}': use comma-separated non-negative integers or 'decisive'`);
  return seeds;
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
  const cells = f.cell ? LADDER_CELLS.filter((c) => c.id === f.cell) : LADDER_CELLS;
  if (cells.length === 0) throw new Error(`--cell '${f.cell}' is not a ladder cell (use one of ${LADDER_CELLS.map((c) => c.id).join(', ')})`);
  const all = ladderRuns(seedsOf(f.seeds, f.cell), cells).filter((r) => !f.filter || r.id.includes(f.filter));
  // Cheapest first (stable, so seed-major within a cost): short cells reach n = 3 paired seeds
  // before the long rungs start, and finished runs land early in a session that may be cut.
  const todo = all.filter((r) => !isLadderRunFinished(r)).map((r, i) => ({ r, i })).sort((a, b) => ladderRunCost(a.r) - ladderRunCost(b.r) || a.i - b.i).map(({ r }) => r);
  if (f.list) {
    for (const r of all) console.log(`${todo.includes(r) ? ' ' : '✓'} ${r.id}`);
    console.log(`${all.length - todo.length} of ${all.length} finished`);
    return;
  }
  const workers = f.workers ?? defaultLanes();
  console.error(`[ladder] ${all.length} runs, ${all.length - todo.length} already finished, ${todo.length} to run on ${workers} processes`);
  fs.mkdirSync(LADDER_DIR, { recursive: true });
  const jobs = todo.map((run) => ({ id: run.id, payload: { id: run.id, cfg: run.cfg }, argv: (file: string) => [__filename, '--one', file] }));
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
