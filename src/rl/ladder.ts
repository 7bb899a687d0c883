/**
 * The update-size ladder (notebook 08, pre-registered there before its first run): on the phase
 * map's centre family, random(0.5) rewards at a fixed lr·N (the centre's 1e-4 × 48 steps) while
 * the learning rate walks down and ε shrinks with it, plus a rung at the paper's per-update size.
 * Four arms per cell on paired seeds: random + clip, random + noclip, the matched on-policy null
 * (the clip arm's updates, rows per update and samples, every update on fresh rollouts, so ρ = 1
 * and nothing clips) and ground truth (the positive control).
 *
 * Runs live in results/ladder/<cell>__<run-id>/ with a provenance.json beside each config.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../engine/atomic';
import { readJsonl } from '../engine/jsonl';
import { hasCheckpoint } from '../runtime/checkpoint';
import { CHECKPOINTS_DIR } from '../world/priors';
import { GrpoConfig, runId, validateGrpoConfig } from './config';
import type { StepLog } from './log';
import { PHASE_CENTRE } from './phase';
import { isFinishedRun } from './protocol';
import { stepCodeHashes } from './provenance';
import { RESULTS_DIR } from './results';
import { standinIdentity } from './run';
import { derived } from './settings';

export const LADDER_DIR = path.join(RESULTS_DIR, 'ladder');

/** The phase map's centre family: every 1x cell runs on it. */
export const LADDER_FAMILY: string = PHASE_CENTRE.family!;

export const LADDER_ARMS = ['random-clip', 'random-noclip', 'matched-null', 'ground-truth'] as const;
export type LadderArm = (typeof LADDER_ARMS)[number];

export interface LadderCell {
  id: string;
  note: string;
  lr: number;
  epsilon: number;
  /** N: the steps at which lr·N equals the centre's (the primary endpoint's budget). */
  budget: number;
  /** Steps run (2N for the cells also read at twice the budget: their first N steps are the N-step run). */
  steps: number;
  /** Default every arm. */
  arms?: readonly LadderArm[];
  /** Default the phase map's centre family (good-code-global); the second size's cells name theirs. */
  family?: string;
  /** A size cell compared with a 1x cell of another lr (default: the 1x cell with its lr, ε and steps). */
  twin?: string;
}

/** lr·N = 4.8e-3 on every rung; ε ∝ lr so the clip keeps binding. */
export const LADDER_CELLS: readonly LadderCell[] = [
  { id: 'lr1e-4', note: 'lr 1e-4, ε 0.2, N 48 (the phase map centre on new seeds)', lr: 1e-4, epsilon: 0.2, budget: 48, steps: 48 },
  { id: 'lr5e-5', note: 'lr 5e-5, ε 0.1, N 96', lr: 5e-5, epsilon: 0.1, budget: 96, steps: 96 },
  { id: 'lr2.5e-5', note: 'lr 2.5e-5, ε 0.05, N 192, run to 384', lr: 2.5e-5, epsilon: 0.05, budget: 192, steps: 384 },
  { id: 'paper-rung', note: "the paper's per-update relative size: lr 1.5e-6, ε 0.003, N 512 (3 h of both cores for 4 arms × 3 seeds)", lr: 1.5e-6, epsilon: 0.003, budget: 512, steps: 512 },
  { id: 'lr1.25e-5', note: 'lr 1.25e-5, ε 0.025, N 384, run to 768', lr: 1.25e-5, epsilon: 0.025, budget: 384, steps: 768 },
  { id: 'lr1.25e-5-eps0.2', note: 'control: lr 1.25e-5 with ε fixed at 0.2 (clip arm only)', lr: 1.25e-5, epsilon: 0.2, budget: 384, steps: 768, arms: ['random-clip'] },
];

/** The second model size's family (notebook 08's D). */
export const SIZE_FAMILY = 'good-code-global-x4';

/**
 * The second model size (notebook 08's addendum): 1× cells' configs on good-code-global-x4.
 * `npm run ladder` runs them once its checkpoint exists and its prior passed the pre-registered
 * tolerance; the decisive cell's x4 twin joins through sizeCells once the 1× rule has picked it.
 */
export const SIZE_CELLS: readonly LadderCell[] = [
  { ...LADDER_CELLS[0], id: 'x4-lr1e-4', note: 'the lr 1e-4 rung on good-code-global-x4 (3.79× the parameters)', family: SIZE_FAMILY },
  // Notebook 08's addendum, fixed after x4-lr1e-4 finished and before any run of this cell: at the
  // same lr the x4 weights moved 1.59× further relative to their size (clip arms' Σ‖Δθ‖/‖θ‖ at N,
  // 0.1806 vs 0.1133), so the lr is scaled by 5/8 (0.1133/0.1806 = 0.628, rounded) to compare the
  // damage at the 1× rung's relative update size. Only the lr changes.
  { ...LADDER_CELLS[0], id: 'x4-lr6.25e-5', note: "x4 at the 1× lr 1e-4 rung's relative update size: lr 6.25e-5, ε 0.2, N 48", lr: 6.25e-5, family: SIZE_FAMILY, twin: 'lr1e-4' },
];

/** A 1× cell on the x4 family with every other field kept: the form the decisive cell's size twin was pre-registered in. */
export function sizeTwin(cell: LadderCell): LadderCell {
  return { ...cell, id: `x4-${cell.id}`, note: `${cell.note}, on ${SIZE_FAMILY}`, family: SIZE_FAMILY };
}

/** Whether the decisive-cell rule chooses among this cell: a 1× cell with a matched null (the lr rungs and the paper rung). */
export function isDecisiveCandidate(cell: LadderCell): boolean {
  return !cell.family && (!cell.arms || cell.arms.includes('matched-null'));
}

export function decisiveCandidates(cells: readonly LadderCell[] = LADDER_CELLS): LadderCell[] {
  return cells.filter(isDecisiveCandidate);
}

/**
 * The size cells to run and read: SIZE_CELLS, and once the 1× rule has picked the decisive cell
 * (decisiveCell), its x4 twin, unless SIZE_CELLS already holds it (as for lr1e-4).
 */
export function sizeCells(decisive: string | null): LadderCell[] {
  if (!decisive || SIZE_CELLS.some((c) => !c.twin && twinCell(c)?.id === decisive)) return [...SIZE_CELLS];
  const cell = decisiveCandidates().find((c) => c.id === decisive);
  if (!cell) throw new Error(`decisive cell '${decisive}' is not one of the rule's candidates (${decisiveCandidates().map((c) => c.id).join(', ')})`);
  return [...SIZE_CELLS, sizeTwin(cell)];
}

/** Every size cell that can have runs: SIZE_CELLS and the twin sizeCells would add for each candidate (the summary reads them all). */
export function possibleSizeCells(): LadderCell[] {
  return [...SIZE_CELLS, ...decisiveCandidates().flatMap((c) => sizeCells(c.id).slice(SIZE_CELLS.length))];
}

/** The 1× cell a size cell is compared with (paired x4 − 1×): its named twin, else the one with its lr, ε and steps. */
export function twinCell(cell: LadderCell): LadderCell | null {
  if (!cell.family) return null;
  if (cell.twin) return LADDER_CELLS.find((c) => c.id === cell.twin) ?? null;
  return LADDER_CELLS.find((c) => c.lr === cell.lr && c.epsilon === cell.epsilon && c.steps === cell.steps && c.budget === cell.budget && !c.family) ?? null;
}

/** New seeds: none of them ran in the phase map, the full grid or the pilot. */
export const LADDER_SEEDS: readonly number[] = [101, 102, 103];
/** The decisive cell's confirmation seeds, new again. */
export const DECISIVE_SEEDS: readonly number[] = [104, 105, 106, 107, 108];
/** Added to the decisive cell, once, when its paired sd on DECISIVE_SEEDS exceeds 5 points (notebook 08's rule). */
export const DECISIVE_EXTRA_SEEDS: readonly number[] = [109, 110, 111];
/** Every seed a 1× ladder run can have. */
export const ALL_LADDER_SEEDS: readonly number[] = [...LADDER_SEEDS, ...DECISIVE_SEEDS, ...DECISIVE_EXTRA_SEEDS];

/** The matched null makes one update per step, so it runs this many times the steps. */
export const NULL_STEP_FACTOR = 8;

export interface LadderRun {
  cell: LadderCell;
  arm: LadderArm;
  cfg: GrpoConfig;
  id: string;
}

/** A cell × arm × seed as a full config. */
export function ladderConfig(cell: LadderCell, arm: LadderArm, seed: number): GrpoConfig {
  const base = {
    ...PHASE_CENTRE,
    // Every test problem at every evaluation: 200 problems carry a binomial sd of ~3 points.
    evalProblems: 500,
    family: cell.family ?? LADDER_FAMILY,
    lr: cell.lr,
    epsilon: cell.epsilon,
    steps: cell.steps,
    evalEvery: cell.budget / 4,
    checkpointEvery: 12,
    seed,
  };
  const where = `ladder cell ${cell.id}`;
  switch (arm) {
    case 'random-clip': return validateGrpoConfig({ ...base, reward: 'random', gamma: 0.5, clipMode: 'clip' }, where);
    case 'random-noclip': return validateGrpoConfig({ ...base, reward: 'random', gamma: 0.5, clipMode: 'noclip' }, where);
    case 'ground-truth': return validateGrpoConfig({ ...base, reward: 'ground-truth', gamma: null, clipMode: 'clip' }, where);
    case 'matched-null': {
      const k = NULL_STEP_FACTOR;
      return validateGrpoConfig({ ...base, reward: 'random', gamma: 0.5, clipMode: 'rollout=minibatch', steps: base.steps * k, evalEvery: base.evalEvery * k, checkpointEvery: base.checkpointEvery * k, logEvery: k }, where);
    }
  }
}

/** Rollouts a run samples: its cost, near enough (the matched null samples as many as the clip arm). */
export function ladderRunCost(run: Pick<LadderRun, 'cfg'>): number {
  return run.cfg.steps * derived(run.cfg).rollouts;
}

/** An x4 rollout costs about this many 1× rollouts (measured 3–4× on the committed runs' step times). */
export const SIZE_COST_FACTOR = 4;

/** A run's work in 1× rollouts: what the order and the ETA count. */
export function ladderRunWork(run: Pick<LadderRun, 'cell' | 'cfg'>): number {
  return ladderRunCost(run) * (run.cell.family ? SIZE_COST_FACTOR : 1);
}

/**
 * The order pending runs go in: first what the decisive-cell rule and H2 read (random + clip and
 * the matched null of every candidate cell on the screen seeds, and of the decisive cell on its new
 * seeds once they are planned), then the rest; least work first within each. The rule picks nothing
 * until all of its runs have landed, and the confirmation seeds wait on it.
 */
export function ladderRunOrder(run: Pick<LadderRun, 'cell' | 'arm' | 'cfg'>): [number, number] {
  const ruleReads = isDecisiveCandidate(run.cell) && (run.arm === 'random-clip' || run.arm === 'matched-null') && ALL_LADDER_SEEDS.includes(run.cfg.seed);
  return [ruleReads ? 0 : 1, ladderRunWork(run)];
}

/** Every run, seed-major (a partial ladder has every cell at its first seed), cheap cells first. */
export function ladderRuns(seeds: readonly number[] = LADDER_SEEDS, cells: readonly LadderCell[] = LADDER_CELLS): LadderRun[] {
  const out: LadderRun[] = [];
  for (const seed of seeds) {
    for (const cell of cells) {
      for (const arm of cell.arms ?? LADDER_ARMS) {
        const cfg = ladderConfig(cell, arm, seed);
        out.push({ cell, arm, cfg, id: `${cell.id}__${runId(cfg)}` });
      }
    }
  }
  return out;
}

export function ladderRunDir(run: Pick<LadderRun, 'id'>, root = LADDER_DIR): string {
  return path.join(root, run.id);
}

/** A family's weights are here (a sized family commits its checkpoint.json and digest, not weights.bin). */
export function hasWeights(dir: string): boolean {
  return hasCheckpoint(dir) && fs.existsSync(path.join(dir, 'weights.bin'));
}

export function isLadderRunFinished(run: LadderRun, root = LADDER_DIR, checkpointsDir = CHECKPOINTS_DIR): boolean {
  // A size cell whose weights are not built here cannot be checked against its identity (which
  // holds the weights digest); its committed summary is still read by loadLadderSummary.
  if (!hasWeights(path.join(checkpointsDir, run.cfg.family))) return false;
  return isFinishedRun(ladderRunDir(run, root), standinIdentity(run.cfg, checkpointsDir));
}

/** One evaluation of a ladder run, in the units the notebook reports (fractions). */
export interface LadderPoint {
  step: number;
  /** Steps of the clip arm this point corresponds to (the null's steps / 8). */
  clip_steps: number;
  acc: number;
  code: number;
  sampled_acc: number | null;
  sampled_code: number | null;
  majority_code: number | null;
  update_rel_cum: number | null;
}

export interface LadderRow {
  id: string;
  cell: string;
  arm: LadderArm;
  seed: number;
  lr: number;
  epsilon: number;
  updates: number;
  samples: number;
  /** Mean over steps of the fraction of computed tokens clipped above / below. */
  clip_high: number | null;
  clip_low: number | null;
  kl_ref_end: number | null;
  step_code: (string | null)[];
  points: LadderPoint[];
}

function meanOf(xs: readonly (number | null | undefined)[]): number | null {
  const v = xs.filter((x): x is number => typeof x === 'number');
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

/** A finished run's row: its evaluations, update count and samples, clip fractions, KL at the end. */
export function ladderRow(run: LadderRun, log: readonly StepLog[], stepCode: (string | null)[] = []): LadderRow {
  const factor = run.arm === 'matched-null' ? NULL_STEP_FACTOR : 1;
  const trained = log.filter((r) => r.step > 0);
  const d = derived(run.cfg);
  return {
    id: run.id, cell: run.cell.id, arm: run.arm, seed: run.cfg.seed, lr: run.cfg.lr, epsilon: run.cfg.epsilon,
    updates: trained.reduce((n, r) => n + r.updates, 0),
    samples: run.cfg.steps * d.rollouts,
    clip_high: meanOf(trained.map((r) => r.clip_high)),
    clip_low: meanOf(trained.map((r) => r.clip_low)),
    kl_ref_end: trained.length ? trained[trained.length - 1].kl_ref : null,
    step_code: stepCode,
    points: log.filter((r) => r.eval).map((r) => ({
      step: r.step, clip_steps: r.step / factor, acc: r.eval!.acc, code: r.eval!.code,
      sampled_acc: r.eval!.probe?.acc ?? null, sampled_code: r.eval!.probe?.code ?? null, majority_code: r.eval!.probe?.majority_code ?? null,
      update_rel_cum: r.update_rel_cum ?? (r.step === 0 ? 0 : null),
    })),
  };
}

/** Every finished ladder run as a summary row (first seeds, decisive seeds and their extra seeds, size cells); writes nothing. */
export function ladderSummaryRows(root = LADDER_DIR): LadderRow[] {
  if (!fs.existsSync(root)) return [];
  const runs = [...ladderRuns(ALL_LADDER_SEEDS), ...ladderRuns(LADDER_SEEDS, possibleSizeCells())];
  const before = new Map(loadLadderSummary(root).map((r) => [r.id, r]));
  const out: LadderRow[] = [];
  for (const run of runs) {
    if (!isLadderRunFinished(run, root)) {
      // A committed size-cell run stays in the summary on a machine without the x4 weights.
      const kept = before.get(run.id);
      if (kept && !hasWeights(path.join(CHECKPOINTS_DIR, run.cfg.family))) out.push(kept);
      continue;
    }
    const dir = ladderRunDir(run, root);
    out.push(ladderRow(run, readJsonl<StepLog>(path.join(dir, 'log.jsonl')), stepCodeHashes(dir)));
  }
  return out;
}

/** Rebuilds results/ladder/summary.json from ladderSummaryRows. */
export function summarizeLadder(root = LADDER_DIR): LadderRow[] {
  if (!fs.existsSync(root)) return [];
  const out = ladderSummaryRows(root);
  writeFileAtomic(path.join(root, 'summary.json'), JSON.stringify(out) + '\n');
  return out;
}

export function loadLadderSummary(root = LADDER_DIR): LadderRow[] {
  const file = path.join(root, 'summary.json');
  if (!fs.existsSync(file)) return [];
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LadderRow[];
  } catch (e) {
    throw new Error(`${file}: cannot read the ladder summary (${(e as Error).message}); rebuild it with npm run ladder -- --summarize`);
  }
}
