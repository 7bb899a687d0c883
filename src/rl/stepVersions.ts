/**
 * The two versions of the GRPO step that results/full ran on, so that every pooled number over
 * seeds of both can be shown beside each version's own.
 *
 * The grid ran in two batches. 99 runs ran on 23 Nov (committed in fffe08e): every cell's seeds
 * 1–3 for good-code, seeds 1–2 for bad-code, no-code and no-code-weak. The other 32 ran on 2 Dec
 * (committed in 364b619): seed 3 of bad-code, no-code and no-code-weak, and seeds 4–5 of good-code's
 * random(0.5) clip-mode ablation. In between, the GRPO step was rewritten for speed (2 Dec, commits
 * 677d899, 3c02778, d18916f, 6ee3b6d and cc61a82: KV-cache compaction and shared prompt prefill in
 * sampling, π_ref log-probs in the workers, length-bucketed gradient shards, one world-answer
 * equality for rewards). A seeded run of a tiny model in one process writes the same log before and
 * after the rewrite (test/phase.slow.test.ts), but no grid run was repeated on both versions, so the
 * two batches are treated as two versions of the step.
 *
 * Which batch a run belongs to is read from its log: evaluations record the answer-parse rate
 * (`parsed`) since cc4ea3f (2 Dec, after the rewrite), and no results/full run was made between the
 * rewrite and that commit. The marker is only valid for results/full: results/phase runs began in
 * that window.
 */
import type { CellChange, RunRecord } from './results';
import { cellChange } from './results';
import { formatPaired, type PairedStat } from './stats';
import { FAMILY_NAMES } from '../world/families';

export type StepVersion = 'nov-23' | 'dec-02';

/** In date order. */
export const STEP_VERSIONS: readonly StepVersion[] = ['nov-23', 'dec-02'];

/** How tables and figures name a version. */
export const STEP_VERSION_LABEL: Readonly<Record<StepVersion, string>> = Object.freeze({ 'nov-23': '23 Nov step', 'dec-02': '2 Dec step' });

/** The GRPO-step version a results/full run ran on (see the module comment for why the marker works). */
export function fullGridStepVersion(run: RunRecord): StepVersion {
  const first = run.log.find((r) => r.eval)?.eval;
  if (!first) throw new Error(`fullGridStepVersion: ${run.summary.run_id} has no evaluation to read the version from`);
  return typeof first.parsed === 'number' ? 'dec-02' : 'nov-23';
}

/** "1–3", "4–5", "3", "1, 3, 5": seeds as tables print them. */
export function seedList(seeds: readonly number[]): string {
  const s = [...new Set(seeds)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(j === i ? `${s[i]}` : `${s[i]}–${s[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** "seed 3", "seeds 1–3". */
export function seedsText(seeds: readonly number[]): string {
  return `${new Set(seeds).size === 1 ? 'seed' : 'seeds'} ${seedList(seeds)}`;
}

export interface VersionPart {
  version: StepVersion;
  seeds: number[];
  change: CellChange;
}

export interface VersionSplit {
  pooled: CellChange;
  /** One entry per version present, in date order. */
  parts: VersionPart[];
}

/** A cell's change pooled over its seeds and, beside it, over the seeds of each step version. */
export function versionSplit(runs: readonly RunRecord[], metric: 'acc' | 'code' = 'acc'): VersionSplit {
  const parts = STEP_VERSIONS.flatMap((version) => {
    const mine = runs.filter((r) => fullGridStepVersion(r) === version);
    return mine.length ? [{ version, seeds: mine.map((r) => r.cfg.seed).sort((a, b) => a - b), change: cellChange(mine, metric) }] : [];
  });
  return { pooled: cellChange(runs, metric), parts };
}

/** A statistic of fractions in points (×100): mean, sd and interval scale, n does not. */
export function inPoints<T extends PairedStat>(p: T): T;
export function inPoints<T extends PairedStat>(p: T | null): T | null;
export function inPoints<T extends PairedStat>(p: T | null): T | null {
  if (!p) return null;
  return { ...p, mean: 100 * p.mean, sd: 100 * p.sd, lo: p.lo === null ? null : 100 * p.lo, hi: p.hi === null ? null : 100 * p.hi };
}

/**
 * "−6.8 ± 2.2 (n 5; 95% −9.5 to −4.1), pooled over two versions of the GRPO step: seeds 1–3 (23 Nov
 * step) … ; seeds 4–5 (2 Dec step) …", in points; a cell of one version prints as formatPaired.
 */
export function formatVersionSplit(split: VersionSplit): string {
  const pooled = formatPaired(inPoints(split.pooled));
  if (split.parts.length < 2) return pooled;
  return `${pooled}, pooled over two versions of the GRPO step: ${split.parts.map((p) => `${seedsText(p.seeds)} (${STEP_VERSION_LABEL[p.version]}) ${formatPaired(inPoints(p.change))}`).join('; ')}`;
}

/**
 * Which seeds ran on which step version, for a figure's provenance line: "GRPO step: seeds 1–3 of
 * 23 Nov, seeds 4–5 of 2 Dec", per family where families differ ("good-code seeds 1–3 of 23 Nov,
 * 4–5 of 2 Dec; bad-code, no-code seeds 1–2 of 23 Nov, 3 of 2 Dec"). Empty for runs of one version.
 */
export function stepCodeNote(runs: readonly RunRecord[]): string {
  const versions = new Set(runs.map(fullGridStepVersion));
  if (versions.size < 2) return '';
  const byFamily = new Map<string, string>();
  // Families in the workbook's order (FAMILY_NAMES), others after them.
  const rank = (f: string) => { const i = (FAMILY_NAMES as readonly string[]).indexOf(f); return i < 0 ? FAMILY_NAMES.length : i; };
  for (const family of [...new Set(runs.map((r) => r.cfg.family))].sort((a, b) => rank(a) - rank(b))) {
    const mine = runs.filter((r) => r.cfg.family === family);
    byFamily.set(family, STEP_VERSIONS.flatMap((v) => {
      const seeds = mine.filter((r) => fullGridStepVersion(r) === v).map((r) => r.cfg.seed);
      return seeds.length ? [`${seedsText(seeds)} of ${v === 'nov-23' ? '23 Nov' : '2 Dec'}`] : [];
    }).join(', '));
  }
  const texts = [...new Set(byFamily.values())];
  if (texts.length === 1) return `GRPO step: ${texts[0]}`;
  return `GRPO step: ${texts.map((t) => `${[...byFamily].filter(([, x]) => x === t).map(([f]) => f).join(', ')} ${t}`).join('; ')}`;
}

/** "99 runs on the 23 Nov step, 32 on the 2 Dec step". */
export function stepVersionCounts(runs: readonly RunRecord[]): string {
  return STEP_VERSIONS.map((v) => `${runs.filter((r) => fullGridStepVersion(r) === v).length} runs on the ${STEP_VERSION_LABEL[v]}`).join(', ');
}
