import { AdamW } from '../src/engine/adamw';
import { initBackend } from '../src/engine/backend';
import { WorkerPool, dataParallelLMStep } from '../src/runtime/pool';
import { Rng } from '../src/engine/rng';
import { trainStep } from '../src/runtime/train';
import { lmBatch } from '../src/model/batch';
import { Transformer, languageModelLoss } from '../src/model/transformer';
import { TINY, cycleRows } from './helpers';

beforeAll(async () => { await initBackend({ quiet: true }); });

describe('data-parallel worker pool', () => {
  let pool: WorkerPool;
  let model: Transformer;
  beforeAll(async () => {
    model = Transformer.init(TINY, new Rng(9));
    pool = await WorkerPool.create(model, 2);
  });
  afterAll(async () => { await pool.close(); });

  test('sharded gradient step equals the single-process step', async () => {
    const lm = lmBatch(cycleRows(6, 10).map((r, i) => r.slice(0, 6 + i)));
    const ref = Transformer.init(TINY, new Rng(9));
    const refOpt = new AdamW(ref.params);
    const opt = new AdamW(model.params);
    for (let s = 0; s < 3; s++) {
      const a = await trainStep(ref, refOpt, () => languageModelLoss(ref.params, ref.config, lm.batch, lm.targets, lm.lossMask), 1e-2);
      const b = await dataParallelLMStep(pool, opt, lm, 1e-2);
      expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-5);
      expect(Math.abs(a.gradNorm - b.gradNorm) / a.gradNorm).toBeLessThan(1e-4);
    }
    const w1 = await ref.read();
    const w2 = await model.read();
    for (const n of ref.names) {
      const d = Math.max(...Array.from(w1[n]).map((x, i) => Math.abs(x - w2[n][i])));
      expect(d).toBeLessThan(1e-4); // Adam turns float-order differences in near-zero gradients into ~lr·1e-3 steps
    }
  });

  test('log-probs under other weights (π_ref) in the workers; the policy is sent again afterwards', async () => {
    const { referenceLogProbs } = await import('../src/rl/standin');
    const { flatten } = await import('../src/model/flat');
    const other = Transformer.init(TINY, new Rng(77));
    const rows = [[1, 2, 3], [4, 5], [6, 7, 8, 9], [2, 3]].map((promptTokens, i) => ({ promptTokens, tokens: [1 + i, 2, 3 + i], logProbs: [], entropies: [] })) as unknown as Parameters<typeof referenceLogProbs>[1];
    const opts = { prompts: [[1, 2], [3, 4, 5]], maxNewTokens: 5, temperature: 1 };
    const before = await pool.sample({ ...opts, rng: new Rng(3) });
    const inProcess = await referenceLogProbs(other, rows);
    const sharded = await referenceLogProbs(other, rows, pool, flatten(other.config, await other.read()));
    expect(sharded.map((r) => r.length)).toEqual([3, 3, 3, 3]);
    for (let b = 0; b < rows.length; b++) for (let i = 0; i < 3; i++) expect(Math.abs(sharded[b][i] - inProcess[b][i])).toBeLessThan(1e-5);
    // The workers held π_ref for that job: the next policy job must not sample from it.
    const after = await pool.sample({ ...opts, rng: new Rng(3) });
    expect(after.tokens).toEqual(before.tokens);
    expect(after.logProbs).toEqual(before.logProbs);
    other.dispose();
  });

  test('sharded sampling returns the same tokens as in-process sampling', async () => {
    const prompts = [[1, 2], [3, 4, 5], [6], [7, 8, 9, 10], [2]];
    const opts = { prompts, maxNewTokens: 6, temperature: 1, forcedPrefix: [null, [4], null, null, [1, 1]] };
    const local = await (await WorkerPool.create(model, 0)).sample({ ...opts, rng: new Rng(5) });
    const sharded = await pool.sample({ ...opts, rng: new Rng(5) });
    expect(sharded.tokens).toEqual(local.tokens);
    expect(sharded.forced).toEqual([0, 1, 0, 0, 2]);
    for (let b = 0; b < prompts.length; b++) {
      for (let i = 0; i < 6; i++) expect(Math.abs(sharded.logProbs[b][i] - local.logProbs[b][i])).toBeLessThan(1e-5);
    }
  });
});
