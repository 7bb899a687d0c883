import { LADDER_CELLS, ladderConfig } from '../src/rl/ladder';
import { runId } from '../src/rl/config';
import { derived } from '../src/rl/settings';
import { PAPER_REWARD_LADDER } from '../src/rl/grid';
import { REGIME_SEEDS, regimeCell, regimeRuns } from '../src/rl/regime';
import { FAMILY_NAMES } from '../src/world/families';
import { row, screen, seeds } from './ladderFixtures';

const lr5e5 = LADDER_CELLS.find((c) => c.id === 'lr5e-5')!;

test('the regime grid: every family × Fig. 1 reward with the clip, plus a matched null per family, in the decisive cell\'s settings', () => {
  const runs = regimeRuns(lr5e5);
  expect(runs).toHaveLength(REGIME_SEEDS.length * FAMILY_NAMES.length * (PAPER_REWARD_LADDER.length + 1));
  expect(new Set(runs.map(runId)).size).toBe(runs.length);
  const ref = ladderConfig(lr5e5, 'random-clip', 201);
  for (const r of runs) {
    expect([r.lr, r.epsilon, r.evalProblems]).toEqual([ref.lr, ref.epsilon, ref.evalProblems]);
    expect(REGIME_SEEDS).toContain(r.seed);
    expect(r.gamma).toBe(r.reward === 'random' ? 0.5 : null);
  }
  // The null of each family matches its clip arm's updates and samples: 8× the steps of one-eighth the rollouts.
  const clip = runs.find((r) => r.family === 'no-code' && r.reward === 'random' && r.batching === 'minibatches' && r.seed === 202)!;
  const nul = runs.find((r) => r.family === 'no-code' && r.batching === 'rollout=minibatch' && r.seed === 202)!;
  expect(nul.steps * derived(nul).rollouts).toBe(clip.steps * derived(clip).rollouts);
  expect(nul.steps).toBe(8 * clip.steps);
  // New seeds: none of the ladder's.
  expect(REGIME_SEEDS.some((s) => s <= 111)).toBe(false);
});

test('the regime grid runs only once the rule has picked and H2 holds on the new seeds', () => {
  const base = screen((c) => (c === 'lr5e-5' ? 9 : 0));
  expect(() => regimeCell(base.filter((r) => r.cell !== 'lr1e-4'))).toThrow(/waits for the decisive-cell rule/);
  expect(() => regimeCell(base)).toThrow(/H2 is waiting/);
  const gap = seeds([104, 105, 106, 107, 108], (s, i) => [row('lr5e-5', 'random-clip', s, -3 + (i % 2), 96), row('lr5e-5', 'matched-null', s, -7 + (i % 2) - 0.2 * i, 96)]);
  expect(regimeCell([...base, ...gap]).id).toBe('lr5e-5');
  const flat = seeds([104, 105, 106, 107, 108], (s, i) => [row('lr5e-5', 'random-clip', s, -3 + i, 96), row('lr5e-5', 'matched-null', s, -3 + i + (i % 2 ? 1 : -1), 96)]);
  expect(() => regimeCell([...base, ...flat])).toThrow(/H2 is not supported/);
});
