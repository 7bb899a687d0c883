/** The update-size ladder's design (notebook 08): cells, arms, seeds and the matched null's budget. */
import { derived } from '../src/rl/config';
import { DECISIVE_SEEDS, LADDER_ARMS, LADDER_CELLS, LADDER_SEEDS, NULL_STEP_FACTOR, SIZE_CELLS, ladderConfig, ladderRunCost, ladderRunOrder, ladderRuns, possibleSizeCells, sizeCells, twinCell } from '../src/rl/ladder';
import { aggregateRows, StepLog } from '../src/rl/log';
import { REAL_CODE_ENTRIES, STANDIN_CODE_ENTRIES, stepCodeFiles, stepCodeHash } from '../src/rl/provenance';

test('every rung keeps lr·N at the centre’s 1e-4 × 48 and scales ε with lr (the ε-0.2 control aside)', () => {
  for (const c of LADDER_CELLS.filter((x) => x.id !== 'paper-rung')) expect(c.lr * c.budget / (1e-4 * 48)).toBeCloseTo(1, 12);
  for (const c of LADDER_CELLS.filter((x) => x.id !== 'lr1.25e-5-eps0.2')) expect(c.epsilon / c.lr / (0.2 / 1e-4)).toBeCloseTo(1, 1);
  // The paper rung's budget is what 4 arms × 3 seeds fit in ~3 h of both cores, not lr·N: far less total movement.
  const paper = LADDER_CELLS.find((x) => x.id === 'paper-rung')!;
  expect(paper.lr * paper.budget).toBeLessThan(1e-4 * 48 / 5);
  expect(LADDER_CELLS.find((c) => c.id === 'lr1.25e-5-eps0.2')!.arms).toEqual(['random-clip']);
});

test('the matched null has the clip arm’s updates, rows per update and samples, every update on fresh rollouts', () => {
  for (const cell of LADDER_CELLS.filter((c) => !c.arms)) {
    const clip = ladderConfig(cell, 'random-clip', 101);
    const nul = ladderConfig(cell, 'matched-null', 101);
    const dc = derived(clip);
    const dn = derived(nul);
    expect(dn.updatesPerStep * nul.steps).toBe(dc.updatesPerStep * clip.steps);
    expect(dn.miniBatch).toBe(dc.miniBatch);
    expect(dn.rollouts * nul.steps).toBe(dc.rollouts * clip.steps);
    expect(dn.rollouts).toBe(dn.miniBatch); // one update per rollout phase: ρ = 1 at every update
    expect([nul.surrogate, nul.estimator, nul.reward, nul.gamma]).toEqual([clip.surrogate, clip.estimator, clip.reward, clip.gamma]);
    expect(nul.evalEvery).toBe(clip.evalEvery * NULL_STEP_FACTOR);
    expect(nul.logEvery).toBe(NULL_STEP_FACTOR);
    expect(clip.evalProblems).toBe(500);
  }
});

test('runs are paired on new seeds, seed-major, and their ids are unique', () => {
  const runs = ladderRuns();
  expect(runs).toHaveLength(LADDER_SEEDS.length * (5 * 4 + 1));
  expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
  expect(runs.slice(0, 21).every((r) => r.cfg.seed === LADDER_SEEDS[0])).toBe(true);
  // Confirmation seeds are new: none is a ladder seed, and the map and grid used 1–5.
  for (const s of [...LADDER_SEEDS, ...DECISIVE_SEEDS]) expect(s).toBeGreaterThan(5);
  expect(DECISIVE_SEEDS.filter((s) => LADDER_SEEDS.includes(s))).toEqual([]);
});

test('aggregated log rows: means of rates, sums of updates, seconds and update sizes, the last step’s evaluation', () => {
  const row = (step: number, reward: number, updates: number, rel: number, cum: number): StepLog => ({ step, reward_mean: reward, zero_std_groups: 0, rollout_code: 0.5, rollout_boxed: 1, rollout_acc: 0.25, response_length: 10, entropy: null, clip_high: 0, clip_low: 0, abs_ratio_dev: 0, kl_ref: 0.01 * step, loss: 0.1, grad_norm: 1, update_rel: rel, update_rel_cum: cum, updates, sample_s: 1, train_s: 2 });
  const a = aggregateRows([row(1, 0.25, 1, 0.1, 0.1), row(2, 0.75, 0, 0.2, 0.3)]);
  expect(a).toEqual(expect.objectContaining({ step: 2, span: 2, reward_mean: 0.5, updates: 1, sample_s: 2, train_s: 4, update_rel_cum: 0.3, entropy: null }));
  expect(a.update_rel).toBeCloseTo(0.3, 12);
  expect(a.kl_ref).toBeCloseTo(0.015, 12);
  const one = row(3, 1, 1, 0.1, 0.4);
  expect(aggregateRows([one])).toBe(one);
});

test('the step-code hash covers the import closure of the step and changes with any of its files', () => {
  const files = stepCodeFiles(STANDIN_CODE_ENTRIES);
  // The files a hand-written list once missed are in the closure.
  for (const f of ['src/rl/grpo.ts', 'src/model/surrogate.ts', 'src/runtime/worker.ts', 'src/theory/advantage.ts', 'src/analysis/codeReasoning.ts', 'src/analysis/promptShares.ts', 'src/rl/log.ts']) expect(files).toContain(f);
  expect(files).not.toContain('src/real/policy.ts');
  expect(stepCodeFiles(REAL_CODE_ENTRIES)).toEqual(expect.arrayContaining(['src/real/policy.ts', 'src/real/model.ts', 'src/rl/grpo.ts', 'src/model/surrogate.ts']));
  const h = stepCodeHash(files);
  expect(h).toMatch(/^[0-9a-f]{12}$/);
  expect(stepCodeHash(files.slice(1))).not.toBe(h);
  expect(() => stepCodeHash(['src/rl/nope.ts'])).toThrow(/src\/rl\/nope\.ts: a GRPO step file is missing/);
});

test('a size cell is its 1x twin on the sized family: every config field but the family (and a named twin\'s lr) is equal', () => {
  expect(SIZE_CELLS.length).toBeGreaterThan(0);
  for (const cell of SIZE_CELLS) {
    const twin = twinCell(cell)!;
    expect(twin).not.toBeNull();
    expect(cell.family).toMatch(/-x4$/);
    for (const arm of LADDER_ARMS) {
      const a = ladderConfig(cell, arm, 101);
      const b = ladderConfig(twin, arm, 101);
      expect(a.family).toBe(cell.family);
      expect({ ...a, family: b.family, lr: cell.twin ? b.lr : a.lr }).toEqual(b);
    }
  }
  // The relative-size cell: only its lr differs from lr1e-4's, by 5/8.
  const rel = SIZE_CELLS.find((c) => c.twin)!;
  expect(twinCell(rel)!.id).toBe('lr1e-4');
  expect(rel.lr / twinCell(rel)!.lr).toBeCloseTo(0.625, 12);
  expect(twinCell(LADDER_CELLS[0])).toBeNull();
});

test('the matched null costs the clip arm’s rollouts; a longer rung costs more', () => {
  const [cell] = LADDER_CELLS;
  const run = (arm: (typeof LADDER_ARMS)[number], c = cell) => ({ cfg: ladderConfig(c, arm, 101) });
  expect(ladderRunCost(run('matched-null'))).toBe(ladderRunCost(run('random-clip')));
  expect(ladderRunCost(run('random-clip', LADDER_CELLS[1]))).toBe(2 * ladderRunCost(run('random-clip')));
});

test('run order: the rules’ runs (clip and null of candidate cells, screen and confirmation seeds) before the rest', () => {
  const runs = [...ladderRuns([101, 104, 111, 5]), ...ladderRuns(LADDER_SEEDS, SIZE_CELLS)];
  const first = runs.filter((r) => ladderRunOrder(r)[0] === 0);
  expect(new Set(first.map((r) => r.arm))).toEqual(new Set(['random-clip', 'matched-null']));
  expect(first.every((r) => [101, 104, 111].includes(r.cfg.seed) && !r.cell.family && r.cell.id !== 'lr1.25e-5-eps0.2')).toBe(true);
  // Every candidate cell is there: four lr rungs and the paper rung, two arms each, on all three seeds.
  expect(first.length).toBe(3 * 2 * LADDER_CELLS.filter((c) => !c.arms).length);
  // An x4 run counts its rollouts 4×.
  const x4 = runs.find((r) => r.cell.id === 'x4-lr1e-4' && r.arm === 'random-clip')!;
  const x1 = runs.find((r) => r.cell.id === 'lr1e-4' && r.arm === 'random-clip')!;
  expect(ladderRunOrder(x4)[1]).toBe(4 * ladderRunOrder(x1)[1]);
  const paperClip = runs.find((r) => r.cell.id === 'paper-rung' && r.arm === 'random-clip' && r.cfg.seed === 101)!;
  const cheapGt = runs.find((r) => r.cell.id === 'lr1e-4' && r.arm === 'ground-truth' && r.cfg.seed === 101)!;
  expect(ladderRunOrder(paperClip)[0]).toBeLessThan(ladderRunOrder(cheapGt)[0]);
});

test('the decisive cell’s x4 twin: its config on the x4 family, added once, and only for a candidate', () => {
  expect(sizeCells(null).map((c) => c.id)).toEqual(SIZE_CELLS.map((c) => c.id));
  expect(sizeCells('lr1e-4').map((c) => c.id)).toEqual(SIZE_CELLS.map((c) => c.id));
  const added = sizeCells('lr1.25e-5').at(-1)!;
  expect(added.id).toBe('x4-lr1.25e-5');
  expect(twinCell(added)!.id).toBe('lr1.25e-5');
  const a = ladderConfig(added, 'matched-null', 101);
  expect({ ...a, family: 'good-code-global' }).toEqual(ladderConfig(twinCell(added)!, 'matched-null', 101));
  expect(a.family).toBe('good-code-global-x4');
  expect(() => sizeCells('lr1.25e-5-eps0.2')).toThrow(/not one of the rule's candidates/);
  // The summary reads every possible twin, each id once.
  const ids = possibleSizeCells().map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual(expect.arrayContaining(['x4-lr1e-4', 'x4-lr6.25e-5', 'x4-paper-rung', 'x4-lr1.25e-5']));
});
