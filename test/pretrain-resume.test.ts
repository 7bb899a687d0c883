/**
 * Pretraining resumes through the faults a kill leaves: a checkpoint under a sibling's name (kill
 * between the save's renames), a torn last log line (kill mid-append), and refuses a checkpoint
 * without its RNG state instead of resuming on another data stream.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { CheckpointMeta } from '../src/runtime/checkpoint';
import { loadWorldSplit } from '../src/world/dataset';
import { loadFamilies } from '../src/world/families';
import { PRETRAIN_DEFAULTS, pretrain } from '../src/world/pretrain';

beforeAll(async () => { await initBackend({ quiet: true }); });

describe('pretraining resume after a kill', () => {
  const spec = loadFamilies()[0];
  const heldOut = loadWorldSplit('test').slice(0, 10);
  const cfg = { ...PRETRAIN_DEFAULTS, family: spec.name, steps: 4, rows: 4, chunk: 1, checkpointEveryChunks: 1, warmupSteps: 1, lr: 3e-3,
    model: { ...PRETRAIN_DEFAULTS.model, dModel: 16, nLayers: 1, nHeads: 2, mlpRatio: 2 } };
  const quiet = { workers: 0, quiet: true };
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-preresume-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const dirs = (name: string) => ({ outDir: path.join(dir, `${name}-out`), resumeDir: path.join(dir, `${name}-resume`) });

  test('a checkpoint left as .tmp and a torn log tail resume to the uninterrupted run', async () => {
    const full = await pretrain(cfg, spec, heldOut, dirs('a'), quiet);
    const b = dirs('b');
    await pretrain(cfg, spec, heldOut, b, { ...quiet, stopAt: 2 });
    const ck = path.join(b.resumeDir, 'checkpoint');
    fs.renameSync(ck, `${ck}.tmp-99999999-1`);
    fs.appendFileSync(path.join(b.resumeDir, 'log.jsonl'), '{"step":2,"loss":1.2');
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const resumed = await pretrain(cfg, spec, heldOut, b, quiet);
    expect(err.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('torn'))).toHaveLength(1);
    err.mockRestore();
    expect(resumed.log.map((r) => r.loss)).toEqual(full.log.map((r) => r.loss));
    expect(fs.readdirSync(b.resumeDir).sort()).toEqual(['checkpoint', 'log.jsonl']);
  });

  test('a checkpoint without its RNG state is refused, not resumed on another stream', async () => {
    const b = dirs('b');
    await pretrain(cfg, spec, heldOut, b, { ...quiet, stopAt: 2 });
    const metaFile = path.join(b.resumeDir, 'checkpoint', 'checkpoint.json');
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as CheckpointMeta;
    fs.writeFileSync(metaFile, JSON.stringify({ ...meta, rngState: null }));
    await expect(pretrain(cfg, spec, heldOut, b, quiet)).rejects.toThrow(/checkpoint.*rngState/);
  });
});
