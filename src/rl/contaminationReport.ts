/**
 * Notebook 07's tables and the numbers its verdicts quote, built from the contamination runs
 * (src/rl/contaminationTable.ts) and the within-difficulty comparisons (src/rl/contaminationStrata.ts).
 * Every change is mean ± sd over seeds with n and the 95% t interval of the per-seed values; every
 * difference of two arms or families is taken seed by seed over the seeds both ran.
 */
import { CONTAMINATION_SPLITS, ContaminationCellRow, ContaminationRun, contaminationCellRows, shareAbove } from './contaminationTable';
import { ContaminationStat, armContrast, armStat, formatExcluded, formatShared, freshComparisonRows, strataCounts, stratumAccuracy, twinContrasts, twinOf } from './contaminationStrata';
import { MeanSd, PairedStat, formatPaired, meanSd } from './stats';

type Row = Record<string, string | number>;

const pct = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(1));

/** "36.2 ± 27.8 (n 3)": a level (a share, an accuracy), not a change, so no sign. */
function formatLevel(m: MeanSd | null, digits = 1): string {
  return m && m.n ? `${m.mean.toFixed(digits)} ± ${m.sd.toFixed(digits)} (n ${m.n})` : '—';
}

/** How a set of intervals falls: above zero, below zero, or covering it; and the range of their means. */
export function intervalTally(stats: readonly (PairedStat | null)[]): string {
  const xs = stats.filter((s): s is PairedStat => s !== null && s.lo !== null && s.hi !== null);
  const above = xs.filter((s) => s.lo! > 0).length;
  const below = xs.filter((s) => s.hi! < 0).length;
  const means = xs.map((s) => s.mean);
  const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;
  return `${xs.length} intervals: ${above} above 0, ${below} below 0, ${xs.length - above - below} cover 0; means ${signed(Math.min(...means))} to ${signed(Math.max(...means))}`;
}

/** The grid's table: start accuracy with its problem count, and each change and R1's difference with n and 95% interval. */
export function contaminationCellTable(cells: readonly ContaminationCellRow[]): Row[] {
  return cells.map((c) => {
    const row: Row = { family: c.family, reward: c.reward, clip: c.clip_mode, seeds: c.seeds };
    for (const s of CONTAMINATION_SPLITS) row[`start ${s} % (n)`] = `${pct(c.start[s]?.mean)} (${c.problems[s]})`;
    for (const s of CONTAMINATION_SPLITS) row[`Δ ${s}`] = formatPaired(c.change[s]);
    row['leaked − unleaked'] = formatPaired(c.leaked_minus_unleaked);
    return row;
  });
}

/** Evaluation sets as the runs read them: one per family label (the clean twin once per leak cut). */
function evalSets(runs: readonly ContaminationRun[]): string[] {
  return [...new Set(runs.map((r) => r.family))];
}

/**
 * Problems and step-0 accuracy per difficulty and split, per evaluation set. Step 0 is the same
 * checkpoint decoded greedily for every run of a family, so the accuracy is one number (the mean
 * over its runs, which agree) over n problems, not a seed statistic.
 */
export function difficultyTable(runs: readonly ContaminationRun[]): Row[] {
  return evalSets(runs).flatMap((family) => {
    const mine = runs.filter((r) => r.family === family);
    const levels = [...new Set(mine.flatMap((r) => CONTAMINATION_SPLITS.flatMap((s) => r.problems[s].ops)))].sort((a, b) => a - b);
    return CONTAMINATION_SPLITS.map((split) => {
      const counts = strataCounts(mine[0].problems[split]);
      const row: Row = { family, split, problems: mine[0].problems[split].ops.length };
      for (const k of levels) {
        const n = counts.get(k) ?? 0;
        const acc = n ? meanSd(mine.map((r) => stratumAccuracy(r.problems[split], k, 'start')!)).mean : null;
        row[`${k} op${k === 1 ? '' : 's'}: n · acc %`] = n ? `${n} · ${pct(acc)}` : '0 · —';
      }
      return row;
    });
  });
}

/** Per evaluation set, which difficulties the fresh comparison uses and which it leaves out, with problem counts. */
export function coverageLines(runs: readonly ContaminationRun[]): string[] {
  return evalSets(runs).map((family) => {
    const rows = (['leaked', 'unleaked'] as const).map((s) => freshComparisonRows(runs.filter((r) => r.family === family), s)[0]);
    const [l, u] = rows;
    return `${family}: compared — leaked vs fresh ${formatShared(l.coverage)}; unleaked vs fresh ${formatShared(u.coverage)}. Left out — ${formatExcluded(l.coverage, 'leaked')}; ${formatExcluded(u.coverage, 'unleaked')}`;
  });
}

/**
 * Fresh vs test within difficulty, per family × arm, for one test half: its change at fresh's
 * difficulty mix next to fresh's, their per-seed difference with its 95% interval, and the
 * unstratified difference the grid table implies (what stratifying changes).
 */
export function freshComparisonTable(runs: readonly ContaminationRun[], split: 'leaked' | 'unleaked'): Row[] {
  return freshComparisonRows(runs, split).map((r) => ({
    family: r.family, reward: r.reward, clip: r.clip_mode, seeds: r.seeds,
    [`start ${split} / fresh %`]: `${pct(r.start_split.mean)} / ${pct(r.start_fresh.mean)}`,
    [`Δ ${split}`]: formatPaired(r.change_split),
    'Δ fresh': formatPaired(r.change_fresh),
    [`${split} − fresh`]: formatPaired(r.split_minus_fresh),
    [`unstratified ${split} − fresh`]: formatPaired(r.raw_split_minus_fresh),
  }));
}

const STAT_LABEL: Record<ContaminationStat, string> = {
  leaked_minus_unleaked: 'leaked − unleaked (R1)',
  leaked_minus_unleaked_within: 'leaked − unleaked within difficulty',
  leaked_minus_fresh: 'leaked − fresh within difficulty',
  unleaked_minus_fresh: 'unleaked − fresh within difficulty',
  leaked_change: 'Δ leaked',
  unleaked_change: 'Δ unleaked',
  fresh_change: 'Δ fresh',
};

/** Each contaminated family against its clean twin on the same leak cut, per arm and statistic, paired by seed. */
export function twinContrastTable(runs: readonly ContaminationRun[], stats: readonly ContaminationStat[] = ['leaked_minus_unleaked', 'leaked_minus_unleaked_within', 'leaked_minus_fresh']): Row[] {
  const families = evalSets(runs).filter((f) => twinOf(runs, f) !== null);
  return families.flatMap((family) => stats.flatMap((stat) => twinContrasts(runs, family, stat).map((c) => ({
    family, twin: c.twin, arm: `${c.reward}/${c.clip_mode}`, statistic: STAT_LABEL[stat],
    'on the family': formatPaired(c.family_stat), 'on the twin': formatPaired(c.twin_stat), 'family − twin': formatPaired(c.difference),
  }))));
}

/**
 * Fig. 9 analogue in numbers: the share (%) of greedy answers whose answer-token probability is
 * above `threshold`, per split. Before RL it is one checkpoint (n answers); after, one value per
 * seed (mean ± sd, n seeds). With `gold`, the mean gold-answer probability of correct answers instead.
 */
export function answerProbabilityTable(runs: readonly ContaminationRun[], families: readonly string[], arms: readonly { reward: string; clip_mode: string }[], threshold: number, gold = false): Row[] {
  return families.flatMap((family) => arms.flatMap((arm) => {
    const mine = runs.filter((r) => r.family === family && r.reward === arm.reward && r.clip_mode === arm.clip_mode).sort((a, b) => a.seed - b.seed);
    if (!mine.length) return [];
    const row: Row = { family, arm: `${arm.reward}/${arm.clip_mode}`, seeds: mine.length };
    const stat = (xs: readonly number[]) => (gold ? (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null) : shareAbove(xs, threshold));
    const fmt = (x: number | null) => (x === null ? '—' : gold ? x.toFixed(2) : x.toFixed(1));
    for (const split of CONTAMINATION_SPLITS) {
      const start = (gold ? mine[0].gold_probs_start : mine[0].answer_probs_start)[split];
      const ends = mine.map((r) => stat((gold ? r.gold_probs_end : r.answer_probs_end)[split])).filter((x): x is number => x !== null);
      row[`${split} before (n answers)`] = `${fmt(stat(start))} (${start.length})`;
      row[`${split} after`] = formatLevel(ends.length ? meanSd(ends) : null, gold ? 2 : 1);
    }
    return [row];
  }));
}

/**
 * The numbers the verdicts quote, one labelled line each, computed from the runs: R1 and its
 * within-difficulty form against the twin, the memorisation reading (leaked − fresh within
 * difficulty) against the twin, R2 (clip − no clip on leaked problems), and R3 (fresh changes).
 */
export function contaminationKeyLines(runs: readonly ContaminationRun[]): string[] {
  const lines: string[] = [];
  const contaminated = evalSets(runs).filter((f) => twinOf(runs, f) !== null);
  const random = runs.find((r) => r.reward.startsWith('random'))?.reward ?? 'random-0.5';
  for (const family of contaminated) {
    const twin = twinOf(runs, family)!;
    for (const stat of ['leaked_minus_unleaked', 'leaked_minus_unleaked_within', 'leaked_minus_fresh'] as const) {
      for (const clip of ['clip', 'noclip']) {
        const c = twinContrasts(runs, family, stat).find((x) => x.reward === random && x.clip_mode === clip);
        if (c) lines.push(`${family}, ${random}/${clip}, ${STAT_LABEL[stat]}: family ${formatPaired(c.family_stat)}; twin ${twin} ${formatPaired(c.twin_stat)}; family − twin ${formatPaired(c.difference)}`);
      }
    }
    const changes = (['leaked', 'unleaked', 'fresh'] as const).map((s) => `Δ ${s} ${formatPaired(armStat(runs, family, random, 'clip', `${s}_change`))}`).join('; ');
    lines.push(`${family}, ${random}/clip: ${changes}`);
    lines.push(`${family}, leaked problems, ${random} clip − noclip (R2): ${formatPaired(armContrast(runs, family, { reward: random, clip_mode: 'clip' }, { reward: random, clip_mode: 'noclip' }, 'leaked_change'))}`);
  }
  // R3: fresh changes per arm, once per trained family (the twin's '@cut' labels repeat its runs).
  const trained = evalSets(runs).filter((f) => !f.includes('@'));
  const arms = [...new Set(runs.map((r) => `${r.reward}/${r.clip_mode}`))];
  for (const arm of arms) {
    const [reward, clip] = arm.split('/');
    lines.push(`Δ fresh, ${arm}: ${trained.map((f) => `${f} ${formatPaired(armStat(runs, f, reward, clip, 'fresh_change'))}`).join('; ')}`);
  }
  // R3 over every split of the trained families, each on its own leak cut.
  const cells = contaminationCellRows(runs.filter((r) => trained.includes(r.family)));
  for (const arm of arms) {
    const mine = cells.filter((c) => `${c.reward}/${c.clip_mode}` === arm);
    lines.push(`Δ on every split, ${arm} (${trained.length} families × leaked, unleaked, fresh): ${intervalTally(mine.flatMap((c) => CONTAMINATION_SPLITS.map((s) => c.change[s])))}`);
  }
  // What stratifying changes: test half − fresh under the rewards that lose, within difficulty and not.
  const losing = arms.filter((a) => !a.startsWith('ground-truth'));
  for (const family of trained) {
    const rows = (['leaked', 'unleaked'] as const).flatMap((s) => freshComparisonRows(runs.filter((r) => r.family === family), s)).filter((r) => losing.includes(`${r.reward}/${r.clip_mode}`));
    lines.push(`test half − fresh, ${losing.join(', ')}, ${family}: within difficulty ${intervalTally(rows.map((r) => r.split_minus_fresh))}; unstratified ${intervalTally(rows.map((r) => r.raw_split_minus_fresh))}`);
  }
  return lines;
}
