/**
 * `npm run ladder -- [--list] [--seeds 101,102,103|decisive|decisive-extra] [--cell ID] [--size x4] [--filter TEXT] [--workers N] [--summarize]`
 * The update-size ladder (notebook 08), one process per core, resumable (finished runs are skipped,
 * interrupted ones resume from their checkpoint), results/ladder/summary.json rebuilt as runs land.
 * With no selection it walks the whole pre-registered plan (ladderPlan) and re-plans after each run:
 * the 1× cells on seeds 101–103, then, once the rule has picked the decisive cell, its new seeds
 * (and the extra three if their sd exceeds 5), and the x4 cells with the decisive cell's twin where
 * the x4 checkpoint is built and its prior passed notebook 08's tolerance. Pending runs go in
 * ladderRunOrder: what the rules read first, then least work first. A selection runs just that:
 * `--seeds decisive --cell ID`, `--seeds decisive-extra --cell ID`, `--size x4`, `--filter TEXT`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { readJsonl } from '../src/engine/jsonl';
import { validateGrpoConfig } from '../src/rl/config';
import type { StepLog } from '../src/rl/log';
import { DECISIVE_EXTRA_SEEDS, DECISIVE_SEEDS, LADDER_CELLS, LADDER_DIR, LADDER_SEEDS, LadderCell, LadderRun, SIZE_FAMILY, isLadderRunFinished, ladderRunDir, ladderRunWork, ladderRuns, ladderSummaryRows, loadLadderSummary, summarizeLadder } from '../src/rl/ladder';
import { ladderPlan, orderRuns } from '../src/rl/ladderPlan';
import { ladderSizeCells } from '../src/rl/ladderTable';
import { RESULTS_DIR } from '../src/rl/results';
import { runGrpo } from '../src/rl/standin';
import { hasCheckpoint } from '../src/runtime/checkpoint';
import { CHECKPOINTS_DIR, loadPriorRows } from '../src/world/priors';
import { checkWeightsDigest, sizeToleranceChecks, sizedFamily } from '../src/world/sizes';
import { parseFlags } from './cli';
import { defaultLanes, runInProcesses } from './processes';

const FLAGS = {
  seeds: { type: 'string', description: "comma-separated seeds, 'decisive' for the decisive cell's five new seeds, or 'decisive-extra' for the three the rule adds when their sd exceeds 5" },
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

/** Why the x4 runs must wait (their weights, or the pre-registered prior tolerance of notebook 08), or null when they can run. */
function sizeBlocked(family: string): string | null {
  const dir = path.join(CHECKPOINTS_DIR, family);
  if (!hasCheckpoint(dir)) return `${dir}: missing; build it with npm run pretrain -- --family ${family}`;
  const bad = checkWeightsDigest(dir);
  if (bad) return bad;
  const sized = sizedFamily(family)!;
  const rows = loadPriorRows(family);
  const twin = loadPriorRows(sized.twin);
  if (!rows || !twin) return `the prior of ${rows ? sized.twin : family} is not measured: npm run priors -- --family ${rows ? sized.twin : family}`;
  const failed = sizeToleranceChecks(twin, rows).filter((c) => !c.pass);
  if (failed.length) return `${family}'s prior fails notebook 08's tolerance (${failed.map((c) => `${c.criterion}: ${c.value === null ? '—' : (100 * c.value).toFixed(1)}`).join('; ')}): its runs are not made`;
  return null;
}

/**
 * A run another process holds now (its .lock names a live pid): a second parent's, so not started
 * here, where it would only fail on the lock. (protocol.ts has the same liveness check, but it is
 * part of the hashed step code.)
 */
function runningElsewhere(run: LadderRun): boolean {
  try {
    const pid = Number(fs.readFileSync(path.join(ladderRunDir(run), '.lock'), 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Measured seconds per unit of ladderRunWork: the median over finished runs of one process's step
 * time (sampling + training, from log.jsonl) per rollout, x4 runs divided by their cost factor.
 * The matched null is left out (its log lines aggregate 8 steps); evaluations are not counted.
 */
function secondsPerWork(runs: readonly LadderRun[]): number | null {
  const rates: number[] = [];
  for (const run of runs) {
    if (run.arm === 'matched-null' || !isLadderRunFinished(run)) continue;
    const steps = readJsonl<StepLog>(path.join(ladderRunDir(run), 'log.jsonl')).filter((l) => typeof l.sample_s === 'number' && typeof l.train_s === 'number');
    if (steps.length === 0) continue;
    const perStep = steps.reduce((t, l) => t + l.sample_s! + l.train_s!, 0) / steps.length;
    rates.push(perStep / (ladderRunWork(run) / run.cfg.steps));
  }
  rates.sort((a, b) => a - b);
  return rates.length ? rates[Math.floor(rates.length / 2)] : null;
}

/** The runs of an explicit selection (--seeds, --cell, --size, --filter): no re-planning. */
function selectedRuns(f: { seeds?: string; cell?: string; size?: string; filter?: string; list?: boolean }): LadderRun[] {
  if (f.size !== undefined && f.size !== 'x4') throw new Error(`--size '${f.size}': the only second size is x4`);
  // The x4 pool grows by the decisive cell's twin once the committed runs let the rule pick it.
  const pool: readonly LadderCell[] = f.size ? ladderSizeCells(ladderSummaryRows()) : LADDER_CELLS;
  const cells = f.cell ? pool.filter((c) => c.id === f.cell) : pool;
  if (cells.length === 0) throw new Error(`--cell '${f.cell}' is not a${f.size ? ` ${f.size}` : ''} ladder cell (use one of ${pool.map((c) => c.id).join(', ')})`);
  if (f.size && !f.list) {
    for (const family of new Set(cells.map((c) => c.family!))) {
      const why = sizeBlocked(family);
      if (why) throw new Error(why);
    }
  }
  return ladderRuns(seedsOf(f.seeds ?? LADDER_SEEDS.join(','), f.cell), cells).filter((r) => !f.filter || r.id.includes(f.filter));
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
  // No selection: the whole pre-registered plan (ladderPlan), re-made each time a run lands, so the
  // decisive cell's seeds and the x4 twin join when the rule picks it. The x4 family is checked once.
  const planned = f.seeds === undefined && f.cell === undefined && f.size === undefined && f.filter === undefined;
  const blocked = planned ? sizeBlocked(SIZE_FAMILY) : null;
  const first = planned ? ladderPlan(ladderSummaryRows(), blocked) : { runs: selectedRuns(f), waiting: [] as string[] };
  const todo = first.runs.filter((r) => !isLadderRunFinished(r));
  if (f.list) {
    for (const r of first.runs) console.log(`${!todo.includes(r) ? '✓' : runningElsewhere(r) ? '▶' : ' '} ${r.id}`);
    console.log(`${first.runs.length - todo.length} of ${first.runs.length} finished (▶ running now)${first.waiting.map((w) => `\n(${w})`).join('')}`);
    const rate = secondsPerWork(first.runs);
    if (rate !== null && todo.length) {
      const hours = (rate * todo.reduce((t, r) => t + ladderRunWork(r), 0)) / 3600;
      console.log(`left: ~${hours.toFixed(1)} process-hours of steps (${(rate * 64).toFixed(1)} s per 64-rollout 1× step, the median of the finished runs; evaluations not counted), ~${(hours / defaultLanes()).toFixed(1)} h on ${defaultLanes()} cores`);
    }
    return;
  }
  const workers = f.workers ?? defaultLanes();
  console.error(`[ladder] ${first.runs.length} runs, ${first.runs.length - todo.length} already finished, ${todo.length} to run on ${workers} processes`);
  for (const w of first.waiting) console.error(`[ladder] ${w}`);
  fs.mkdirSync(LADDER_DIR, { recursive: true });
  if (planned) summarizeLadder();
  let waiting = first.waiting.join('\n');
  const plan = (): LadderRun[] => {
    if (!planned) return first.runs;
    const p = ladderPlan(loadLadderSummary(), blocked);
    if (p.waiting.join('\n') !== waiting) {
      waiting = p.waiting.join('\n');
      console.error(`[ladder] the plan grew to ${p.runs.length} runs${p.waiting.length ? `; still waiting: ${p.waiting.join('; ')}` : ''}`);
    }
    return p.runs;
  };
  // Weighted by work: the paper rung costs ten lr 1e-4 runs.
  const job = (run: LadderRun) => ({ id: run.id, payload: { id: run.id, cfg: run.cfg }, argv: (file: string) => [__filename, '--one', file], weight: ladderRunWork(run) });
  const jobs = () => orderRuns(plan().filter((r) => !isLadderRunFinished(r) && !runningElsewhere(r))).map(job);
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
