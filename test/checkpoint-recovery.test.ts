/**
 * A save is: write `<dir>.tmp-<pid>-<time>/` (checkpoint.json last), rename `<dir>` to
 * `<dir>.old-<pid>-<time>`, rename the temporary directory to `<dir>`, delete the old one. A kill
 * between the steps leaves the siblings below; loading must find the newest complete checkpoint
 * instead of acting as if there were none (resume from step 0).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint } from '../src/runtime/checkpoint';
import { Rng } from '../src/engine/rng';
import { Transformer } from '../src/model/transformer';
import { TINY } from './helpers';

/** A pid no process has (above Linux's largest pid_max), standing for the killed saver. */
const DEAD = 99999999;

beforeAll(async () => { await initBackend({ quiet: true }); });

describe('checkpoint recovery after a killed save', () => {
  let root: string;
  let ck: string;
  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-ckrec-'));
    ck = path.join(root, 'checkpoint');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** Saves a checkpoint of a fresh model at `step` and moves it to `to`. */
  async function saved(step: number, to: string): Promise<void> {
    const scratch = path.join(root, `scratch-${step}`);
    await saveCheckpoint(scratch, Transformer.init(TINY, new Rng(step)), { step, rngState: step });
    fs.renameSync(scratch, to);
  }

  test('killed between the two renames: the complete new checkpoint (.tmp) is recovered', async () => {
    await saved(1, `${ck}.old-${DEAD}-2000`);
    await saved(2, `${ck}.tmp-${DEAD}-1000`);
    expect(loadCheckpoint(ck).meta.step).toBe(2);
    expect(fs.readdirSync(root).sort()).toEqual(['checkpoint']);
  });

  test('hasCheckpoint recovers too, so a resume check sees the checkpoint', async () => {
    await saved(1, `${ck}.old-${DEAD}-2000`);
    await saved(2, `${ck}.tmp-${DEAD}-1000`);
    expect(hasCheckpoint(ck)).toBe(true);
    expect(fs.existsSync(path.join(ck, 'checkpoint.json'))).toBe(true);
  });

  test('an incomplete .tmp (killed while writing) is not recovered: the .old one is', async () => {
    await saved(1, `${ck}.old-${DEAD}-2000`);
    await saved(2, `${ck}.tmp-${DEAD}-3000`);
    const w = path.join(`${ck}.tmp-${DEAD}-3000`, 'weights.bin');
    fs.truncateSync(w, fs.statSync(w).size - 4);
    await saved(3, `${ck}.tmp-${DEAD}-4000`);
    fs.rmSync(path.join(`${ck}.tmp-${DEAD}-4000`, 'checkpoint.json'));
    expect(loadCheckpoint(ck).meta.step).toBe(1);
  });

  test('the newest of several complete siblings wins', async () => {
    await saved(1, `${ck}.tmp-${DEAD}-1000`);
    await saved(2, `${ck}.tmp-${DEAD}-5000`);
    await saved(3, `${ck}.old-${DEAD}-6000`);
    expect(loadCheckpoint(ck).meta.step).toBe(2);
  });

  test('a complete checkpoint is left alone, and nothing at all is still "no checkpoint"', async () => {
    expect(hasCheckpoint(ck)).toBe(false);
    await saved(1, `${ck}.tmp-${DEAD}-1000`);
    fs.rmSync(path.join(`${ck}.tmp-${DEAD}-1000`, 'checkpoint.json'));
    expect(hasCheckpoint(ck)).toBe(false);
    expect(() => loadCheckpoint(ck)).toThrow(/does not exist/);
    await saved(5, ck);
    await saved(6, `${ck}.tmp-${DEAD}-9000`);
    expect(loadCheckpoint(ck).meta.step).toBe(5);
  });

  test('a checkpoint directory left incomplete is set aside for a complete sibling', async () => {
    await saved(1, `${ck}.old-${DEAD}-1000`);
    await saved(2, ck);
    fs.truncateSync(path.join(ck, 'weights.bin'), 12);
    expect(loadCheckpoint(ck).meta.step).toBe(1);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('checkpoint.broken-'))).toHaveLength(1);
  });

  test('a save in progress in a live process is not taken over', async () => {
    await saved(2, `${ck}.tmp-${process.ppid}-1000`);
    expect(hasCheckpoint(ck)).toBe(false);
    expect(fs.existsSync(`${ck}.tmp-${process.ppid}-1000`)).toBe(true);
  });
});
