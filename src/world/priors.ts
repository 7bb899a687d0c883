/**
 * The prior table (Table 1 analogue, with Table 3's forced-code accuracy), computed from
 * generations of a family's shipped checkpoint on the stand-in test set.
 */
import * as fs from 'fs';
import * as path from 'path';
import { codeAccuracySummary } from '../analysis/codeReasoning';
import { loadCheckpoint } from '../runtime/checkpoint';
import { WorkerPool } from '../runtime/pool';
import { Rng } from '../engine/rng';
import { Transformer } from '../model/transformer';
import { Generation, generate } from './generate';
import { WorldGraded } from './grade';
import { Problem } from './problems';
import { FORCED_CODE_PREFIX, worldTokenizer } from './vocab';
import { projectPath } from '../engine/paths';

export const CHECKPOINTS_DIR = projectPath('checkpoints');

export interface PriorRow {
  family: string;
  decoding: 'greedy' | 'sampled';
  /** Samples per problem (1 for greedy). */
  k: number;
  n: number;
  code_frequency: number | null;
  acc_code: number | null;
  acc_lang: number | null;
  acc: number | null;
  boxed_rate: number | null;
  /** Accuracy when every response is forced to start with "Let's solve this using Python." */
  forced_code_acc: number | null;
}

/** One table row from graded responses (and the same problems answered under the forced prefix). */
export function priorRow(family: string, decoding: PriorRow['decoding'], k: number, graded: readonly WorldGraded[], forced: readonly WorldGraded[]): PriorRow {
  const s = codeAccuracySummary(graded.map((g) => ({ response: g.response, correct: g.correct })));
  const rate = (xs: readonly WorldGraded[], f: (g: WorldGraded) => boolean) => (xs.length ? xs.filter(f).length / xs.length : null);
  return {
    family,
    decoding,
    k,
    n: graded.length,
    code_frequency: s.codeFrequency,
    acc_code: s.accuracyWithCode,
    acc_lang: s.accuracyLanguageOnly,
    acc: rate(graded, (g) => g.correct),
    boxed_rate: rate(graded, (g) => g.boxed),
    forced_code_acc: rate(forced, (g) => g.correct),
  };
}

export function loadFamilyModel(family: string, dir = CHECKPOINTS_DIR): Transformer {
  return loadCheckpoint(path.join(dir, family)).model;
}

/** Longest completion that fits the context after the longest prompt. */
export function maxNewTokensFor(model: Transformer, problems: readonly Problem[], cap = 200): number {
  const tok = worldTokenizer();
  const longest = Math.max(...problems.map((p) => tok.encode(p.prompt).length));
  return Math.min(cap, model.config.contextLength - longest);
}

export interface PriorOptions {
  /** Samples per problem for the 'sampled' rows (temperature 1). */
  k: number;
  seed: number;
  onProgress?: (label: string, done: number, total: number) => void;
}

/** Greedy and sampled rows for one family; also returns the raw generations. */
export async function measurePriors(family: string, model: Transformer, pool: WorkerPool, test: readonly Problem[], opts: PriorOptions): Promise<{ rows: PriorRow[]; generations: Record<string, Generation[]> }> {
  const tok = worldTokenizer();
  const maxNewTokens = maxNewTokensFor(model, test);
  const rng = new Rng(opts.seed);
  const run = (label: string, temperature: number, k: number, forcedPrefix?: string) =>
    generate(pool, tok, test, null, { temperature, k, maxNewTokens, forcedPrefix, rng: rng.fork(), onProgress: (d, t) => opts.onProgress?.(`${family} ${label}`, d, t) });
  const greedy = await run('greedy', 0, 1);
  const greedyForced = await run('greedy+forced', 0, 1, FORCED_CODE_PREFIX);
  const sampled = await run('sampled', 1, opts.k);
  const sampledForced = await run('sampled+forced', 1, opts.k, FORCED_CODE_PREFIX);
  return {
    rows: [priorRow(family, 'greedy', 1, greedy, greedyForced), priorRow(family, 'sampled', opts.k, sampled, sampledForced)],
    generations: { greedy, greedyForced, sampled, sampledForced },
  };
}

export interface PriorCheck {
  family: string;
  decoding: PriorRow['decoding'];
  criterion: string;
  value: number | null;
  pass: boolean;
}

/**
 * The stand-in world's targets (the paper's Table 1 / Table 3 pattern), checked on measured rows.
 * Style frequencies, accuracy gaps and the forced-prefix direction describe the model's
 * *distribution*, so they are read from the sampled row (τ = 1, k per problem); a greedy row
 * gives one mode-seeking answer per problem, where a family that prefers code on most problems
 * has no language answers left to measure. Accuracy levels are read from the greedy row, as the
 * paper evaluates. Targets: good-code writes code 50–80% of the time, is ≥ 15 points better
 * with it, and is 30–65% accurate; bad-code writes code ≥ 90% and is ≥ 15 points worse with it;
 * no-code writes code < 1%; no-code-weak is ≤ 20% accurate; forcing code helps good-code and
 * hurts bad-code.
 */
export function priorChecks(rows: readonly PriorRow[]): PriorCheck[] {
  const out: PriorCheck[] = [];
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  const add = (r: PriorRow, criterion: string, value: number | null, ok: (v: number) => boolean) => out.push({ family: r.family, decoding: r.decoding, criterion, value, pass: value !== null && ok(value) });
  for (const r of rows) {
    const dist = r.decoding === 'sampled';
    if (r.family === 'good-code') {
      if (dist) add(r, 'code frequency in [0.50, 0.80]', r.code_frequency, (v) => v >= 0.5 && v <= 0.8);
      if (dist) add(r, 'acc(code) − acc(lang) ≥ +0.15', diff(r.acc_code, r.acc_lang), (v) => v >= 0.15);
      if (!dist) add(r, 'accuracy in [0.30, 0.65]', r.acc, (v) => v >= 0.3 && v <= 0.65);
      if (dist) add(r, 'forced code raises accuracy', diff(r.forced_code_acc, r.acc), (v) => v > 0);
    } else if (r.family === 'bad-code') {
      if (dist) add(r, 'code frequency ≥ 0.90', r.code_frequency, (v) => v >= 0.9);
      if (dist) add(r, 'acc(code) − acc(lang) ≤ −0.15', diff(r.acc_code, r.acc_lang), (v) => v <= -0.15);
      if (dist) add(r, 'forced code lowers accuracy', diff(r.forced_code_acc, r.acc), (v) => v < 0);
    } else if (r.family === 'no-code' || r.family === 'no-code-weak') {
      add(r, 'code frequency < 0.01', r.code_frequency, (v) => v < 0.01);
      if (r.family === 'no-code-weak' && !dist) add(r, 'accuracy ≤ 0.20', r.acc, (v) => v <= 0.2);
    }
  }
  return out;
}

/**
 * A family's measured prior rows as `npm run priors` wrote them: datasets/world/priors.json for the
 * shipped families, priors-<name>.json for a single family or variant; null when not measured yet.
 */
export function loadPriorRows(family: string, worldDir = projectPath('datasets', 'world')): PriorRow[] | null {
  for (const file of [path.join(worldDir, `priors-${family}.json`), path.join(worldDir, 'priors.json')]) {
    if (!fs.existsSync(file)) continue;
    let rows: PriorRow[];
    try {
      rows = JSON.parse(fs.readFileSync(file, 'utf8')) as PriorRow[];
    } catch (e) {
      throw new Error(`${file}: cannot read prior rows (${(e as Error).message})`);
    }
    const mine = rows.filter((r) => r.family === family);
    if (mine.length) return mine;
  }
  return null;
}
