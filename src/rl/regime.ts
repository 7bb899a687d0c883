/**
 * Notebook 02's reward ladder re-run in the update-size ladder's decisive regime (notebook 08's F):
 * the paper's Fig. 1 rewards on the four shipped families, with the decisive cell's lr, ε, step
 * count and evaluation, on new seeds. It is run only where notebook 08's H2 holds (random + clip
 * beats the matched null on the decisive cell's new seeds), as the issue that asked for it says;
 * elsewhere the phase boundary figure is the headline and this grid is not run.
 *
 * Runs live in results/regime/<run-id>/ (one regime, so the run id needs no lr), read by the same
 * summaries as the other presets.
 */
import { FAMILY_NAMES } from '../world/families';
import { GrpoConfig, validateGrpoConfig } from './config';
import { PAPER_REWARD_LADDER } from './grid';
import { LADDER_CELLS, LadderCell, ladderConfig, type LadderRow } from './ladder';
import { decisiveCell } from './ladderTable';
import { ladderVerdicts } from './ladderVerdicts';

export const REGIME_PRESET = 'regime';


/** New seeds: none ran in the full grid, the phase map or the update-size ladder. */
export const REGIME_SEEDS: readonly number[] = [201, 202, 203];

/** Runs in the grid: per seed and family, every Fig. 1 reward with the clip and the matched null. */
export const REGIME_RUN_COUNT = REGIME_SEEDS.length * FAMILY_NAMES.length * (PAPER_REWARD_LADDER.length + 1);

/**
 * Every run of the regime grid: each family × reward with the clip (random at γ 0.5), and per
 * family the matched on-policy null (random, the clip arm's updates, rows and samples, ρ = 1), so
 * "random + clip beats the null" can be read on each prior, not only on the ladder's family.
 */
export function regimeRuns(cell: LadderCell, seeds: readonly number[] = REGIME_SEEDS, families: readonly string[] = FAMILY_NAMES): GrpoConfig[] {
  const where = `regime (ladder cell ${cell.id})`;
  return seeds.flatMap((seed) => families.flatMap((family) => [
    ...PAPER_REWARD_LADDER.map((reward) => validateGrpoConfig({ ...ladderConfig(cell, 'random-clip', seed), family, reward, gamma: reward === 'random' ? 0.5 : null }, where)),
    validateGrpoConfig({ ...ladderConfig(cell, 'matched-null', seed), family }, where),
  ]));
}

/**
 * The regime's cell, or an error saying why the grid is not run: the decisive-cell rule has not
 * picked, or H2 has not been decided supported on the decisive cell's new seeds.
 */
export function regimeCell(rows: readonly LadderRow[]): LadderCell {
  const picked = decisiveCell(rows).cell;
  if (!picked) throw new Error('the regime grid waits for the decisive-cell rule (npm run ladder -- --list says which runs it needs)');
  const h2 = ladderVerdicts(rows).find((v) => v.id === 'H2')!;
  if (h2.status !== 'supported') throw new Error(`the regime grid runs only where H2 holds; H2 is ${h2.status} (${h2.reading})`);
  return LADDER_CELLS.find((c) => c.id === picked)!;
}
