/** The pre-registered plan as runs: what joins it as the rules pick, and what waits. */
import { DECISIVE_EXTRA_SEEDS, DECISIVE_SEEDS, LADDER_CELLS, LADDER_SEEDS, SIZE_CELLS } from '../src/rl/ladder';
import { ladderPlan, orderRuns } from '../src/rl/ladderPlan';
import { row, screen, seeds } from './ladderFixtures';

const screenRuns = LADDER_SEEDS.length * LADDER_CELLS.reduce((n, c) => n + (c.arms?.length ?? 4), 0);
const sizeRuns = LADDER_SEEDS.length * 4 * SIZE_CELLS.length;

test('before the rule picks: the 1× screen, and the x4 cells only where the model is ready', () => {
  const blocked = ladderPlan([], 'no x4 weights');
  expect(blocked.runs.length).toBe(screenRuns);
  expect(blocked.waiting.join(' ')).toMatch(/decisive cell's new seeds wait for the rule.*paper-rung/);
  expect(blocked.waiting.join(' ')).toMatch(/x4 cells wait: no x4 weights/);
  const ready = ladderPlan([], null);
  expect(ready.runs.length).toBe(screenRuns + sizeRuns);
  expect(new Set(ready.runs.map((r) => r.id)).size).toBe(ready.runs.length);
});

test('once the rule picks a cell: its new seeds, every arm, and its x4 twin join', () => {
  const rows = screen((c) => (c === 'lr2.5e-5' ? 9 : 0));
  const plan = ladderPlan(rows, null);
  const confirm = plan.runs.filter((r) => DECISIVE_SEEDS.includes(r.cfg.seed));
  expect(confirm.length).toBe(5 * 4);
  expect(new Set(confirm.map((r) => r.cell.id))).toEqual(new Set(['lr2.5e-5']));
  expect(plan.runs.filter((r) => r.cell.id === 'x4-lr2.5e-5').length).toBe(3 * 4);
  expect(plan.waiting).toEqual([]);
  // Confirmation clip and null go before the cheaper arms of other cells.
  const order = orderRuns(plan.runs).map((r) => r.id);
  const confirmClip = confirm.find((r) => r.arm === 'random-clip')!.id;
  const cheapGt = plan.runs.find((r) => r.cell.id === 'lr1e-4' && r.arm === 'ground-truth')!.id;
  expect(order.indexOf(confirmClip)).toBeLessThan(order.indexOf(cheapGt));
  // The extra seeds join once the five new seeds' sd exceeds 5.
  const wide = seeds(DECISIVE_SEEDS as number[], (s, i) => [row('lr2.5e-5', 'random-clip', s, i % 2 ? 10 : -10, 192), row('lr2.5e-5', 'matched-null', s, 0, 192)]);
  const extra = ladderPlan([...rows, ...wide], null).runs.filter((r) => DECISIVE_EXTRA_SEEDS.includes(r.cfg.seed));
  expect(extra.length).toBe(3 * 4);
  expect(ladderPlan(rows, null).runs.some((r) => DECISIVE_EXTRA_SEEDS.includes(r.cfg.seed))).toBe(false);
});

test('the grown plan holds each run once, never doubles a fixed size cell, and leaves the twin out while x4 is blocked', () => {
  const ids = (runs: { id: string }[]) => runs.map((r) => r.id);
  const wide = seeds(DECISIVE_SEEDS as number[], (s, i) => [row('lr2.5e-5', 'random-clip', s, i % 2 ? 10 : -10, 192), row('lr2.5e-5', 'matched-null', s, 0, 192)]);
  const full = ladderPlan([...screen((c) => (c === 'lr2.5e-5' ? 9 : 0)), ...wide], null).runs;
  expect(new Set(ids(full)).size).toBe(full.length);
  expect(full.length).toBe(screenRuns + 8 * 4 + sizeRuns + 3 * 4);
  // lr1e-4's x4 twin is a fixed size cell already.
  const atTop = ladderPlan(screen((c) => (c === 'lr1e-4' ? 9 : 0)), null);
  expect(atTop.runs.filter((r) => r.cell.id === 'x4-lr1e-4').length).toBe(3 * 4);
  expect(atTop.runs.length).toBe(screenRuns + 5 * 4 + sizeRuns);
  const blocked = ladderPlan(screen((c) => (c === 'lr2.5e-5' ? 9 : 0)), 'prior fails the tolerance');
  expect(blocked.runs.some((r) => r.cell.family)).toBe(false);
  expect(blocked.waiting).toEqual(['the x4 cells wait: prior fails the tolerance']);
});
