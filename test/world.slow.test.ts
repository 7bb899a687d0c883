/**
 * Pretraining of a stand-in family (src/world/pretrain.ts): a few steps on a 1-layer model, the
 * checkpoint, resume, a refused resume after the mixture changed, and a stage started from a
 * checkpoint. The slow half of test/world.test.ts (it trains; see jest.config.js).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { loadCheckpoint } from '../src/runtime/checkpoint';
import { loadWorldSplit } from '../src/world/dataset';
import { loadFamilies } from '../src/world/families';
import { PRETRAIN_DEFAULTS, pretrain } from '../src/world/pretrain';

describe('pretraining', () => {
  beforeAll(async () => { await initBackend({ quiet: true }); });

  test('a few steps run, lower the loss, checkpoint, and resume to the same result', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-pre-'));
    try {
      const spec = loadFamilies()[0];
      const test = loadWorldSplit('test').slice(0, 20);
      const cfg = { ...PRETRAIN_DEFAULTS, family: spec.name, steps: 8, rows: 8, chunk: 2, checkpointEveryChunks: 1, warmupSteps: 1, lr: 3e-3,
        model: { ...PRETRAIN_DEFAULTS.model, dModel: 32, nLayers: 1, nHeads: 2, mlpRatio: 2 } };
      const full = await pretrain(cfg, spec, test, { outDir: path.join(dir, 'a-out'), resumeDir: path.join(dir, 'a-resume') }, { workers: 0, quiet: true });
      expect(full.log).toHaveLength(8);
      expect(full.log[7].loss).toBeLessThan(full.log[0].loss);
      // The same run interrupted after 4 steps, then resumed from its checkpoint.
      const dirsB = { outDir: path.join(dir, 'b-out'), resumeDir: path.join(dir, 'b-resume') };
      const part = await pretrain(cfg, spec, test, dirsB, { workers: 0, quiet: true, stopAt: 4 });
      expect(part.finished).toBe(false);
      expect(fs.existsSync(dirsB.outDir)).toBe(false);
      // An edited mixture does not resume the old run's state.
      await expect(pretrain(cfg, { ...spec, boxRate: spec.boxRate / 2 }, test, dirsB, { workers: 0, quiet: true })).rejects.toThrow(/different family spec/);
      const resumed = await pretrain(cfg, spec, test, dirsB, { workers: 0, quiet: true });
      expect(resumed.log.map((r) => r.loss)).toEqual(full.log.map((r) => r.loss));
      // A stage that starts from a checkpoint continues where it ended (lower first loss than a fresh start).
      const cont = await pretrain({ ...cfg, steps: 2, chunk: 2, init: path.join(dir, 'a-out') }, spec, test, { outDir: path.join(dir, 'c-out'), resumeDir: path.join(dir, 'c-resume') }, { workers: 0, quiet: true });
      expect(cont.log[0].loss).toBeLessThan(full.log[0].loss - 0.1);
      const a = loadCheckpoint(path.join(dir, 'a-out'));
      const b = loadCheckpoint(dirsB.outDir);
      expect(a.meta.step).toBe(8);
      const [wa, wb] = [await a.model.read(), await b.model.read()];
      for (const n of a.model.names) expect(Array.from(wb[n])).toEqual(Array.from(wa[n]));
      expect(fs.existsSync(path.join(dir, 'a-out', 'optimizer.bin'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
