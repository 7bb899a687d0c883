/**
 * Sized families (datasets/world/model-sizes.json): the twin's corpus with a larger transformer,
 * and the digest a rebuild of a checkpoint too large to commit is checked against.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { countParameters } from '../src/model/config';
import { loadWorldSplit } from '../src/world/dataset';
import { getFamily, loadFamilies } from '../src/world/families';
import { PRETRAIN_DEFAULTS, WORLD_MODEL, pretrain } from '../src/world/pretrain';
import type { PriorRow } from '../src/world/priors';
import { loadPriorRows } from '../src/world/priors';
import { SIZE_ATTEMPTS_DIR, checkWeightsDigest, loadSizes, parseSizes, pretrainTarget, sha1OfFile, sizeToleranceChecks, sizeToleranceTable, sizedFamily, writeWeightsDigest } from '../src/world/sizes';

describe('sized families', () => {
  test('every sized family is its twin with only name, start checkpoint and transformer changed', () => {
    const sizes = loadSizes();
    expect(sizes.families.length).toBeGreaterThan(0);
    for (const f of sizes.families) {
      const s = sizedFamily(f.name)!;
      const twin = getFamily(f.twin);
      const strip = (x: object) => ({ ...x, name: undefined, init: undefined });
      expect(strip(s.spec)).toEqual(strip(twin));
      expect(s.spec.init).toBe(f.init);
      expect(s.model.vocabSize).toBe(WORLD_MODEL.vocabSize);
      expect(s.model.contextLength).toBe(WORLD_MODEL.contextLength);
    }
  });

  test("x4 has about four times the world model's parameters, counted from the parameter shapes", () => {
    const m = sizedFamily('good-code-global-x4')!.model;
    // Hand count of the x4 blocks: per block 4·d² attention + 2·3·d² MLP weights, d = 256.
    const d = 256;
    expect(countParameters(m)).toBeGreaterThan(4 * 10 * d * d);
    const ratio = countParameters(m) / countParameters(WORLD_MODEL);
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(4.5);
  });

  test('1× families resolve to the world model with the default workers', () => {
    const t = pretrainTarget('good-code-global');
    expect(t.model).toEqual(WORLD_MODEL);
    expect(t.sized).toBe(false);
    expect(t.workers).toBeUndefined();
    expect(t.lrScale).toBe(1);
    // x4 halves the pretraining steps' size (notebook 08's second attempt): width 256 against 128.
    expect(pretrainTarget('good-code-global-x4').lrScale).toBeCloseTo(WORLD_MODEL.dModel / 256, 12);
    expect(sizedFamily('good-code')).toBeNull();
  });

  test('bad size files fail with one line naming file and field', () => {
    const ok = { sizes: { x4: { model: { dModel: 256 }, lrScale: 0.5 } }, families: [{ name: 'a-x4', twin: 'base', size: 'x4', init: null }], pretrainWorkers: 2 };
    expect(() => parseSizes(ok, 'f.json')).not.toThrow();
    expect(() => parseSizes({ ...ok, sizes: { x4: { model: { dModel: 256 }, lrScale: 2 } } }, 'f.json')).toThrow("f.json: sizes.x4: field 'lrScale' must be in (0, 1]");
    expect(() => parseSizes({ ...ok, pretrainWorkers: 0 }, 'f.json')).toThrow("f.json: field 'pretrainWorkers' must be a positive integer");
    expect(() => parseSizes({ ...ok, families: [{ ...ok.families[0], size: 'x9' }] }, 'f.json')).toThrow("f.json: families[0] (a-x4): field 'size' must be one of x4");
    expect(() => parseSizes({ ...ok, families: [ok.families[0], ok.families[0]] }, 'f.json')).toThrow(/appears twice/);
  });
});

describe('weights digest', () => {
  let dir: string;
  beforeAll(async () => { await initBackend({ quiet: true }); });
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-sizes-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a rebuild from scratch reproduces the weights bit for bit, and a changed byte is caught', async () => {
    const spec = loadFamilies()[0];
    const heldOut = loadWorldSplit('test').slice(0, 10);
    const cfg = { ...PRETRAIN_DEFAULTS, family: spec.name, steps: 2, rows: 4, chunk: 1, checkpointEveryChunks: 1, warmupSteps: 1,
      model: { ...WORLD_MODEL, dModel: 16, nLayers: 1, nHeads: 2, mlpRatio: 2 } };
    const build = async (name: string) => {
      const outDir = path.join(dir, name);
      await pretrain(cfg, spec, heldOut, { outDir, resumeDir: path.join(dir, `${name}-resume`) }, { workers: 0, quiet: true });
      return outDir;
    };
    const first = await build('first');
    writeWeightsDigest(first, { family: spec.name, parameters: countParameters(cfg.model), backend: 'test', workers: 0 });
    const second = await build('second');
    fs.copyFileSync(path.join(first, 'digest.json'), path.join(second, 'digest.json'));
    expect(checkWeightsDigest(second)).toBeNull();
    expect(sha1OfFile(path.join(second, 'weights.bin'))).toBe(sha1OfFile(path.join(first, 'weights.bin')));
    const w = path.join(second, 'weights.bin');
    const bytes = fs.readFileSync(w);
    bytes[bytes.length - 1] ^= 1;
    fs.writeFileSync(w, bytes);
    expect(checkWeightsDigest(second)).toMatch(/weights\.bin: sha1 [0-9a-f]{12} differs from digest\.json's/);
    fs.rmSync(w);
    expect(checkWeightsDigest(second)).toMatch(/missing; rebuild it with npm run pretrain -- --family/);
  });
});

describe('size tolerance', () => {
  const row = (family: string, code: number, accCode: number, accLang: number, acc: number, forced: number): PriorRow => ({ family, decoding: 'sampled', k: 4, n: 2000, code_frequency: code, acc_code: accCode, acc_lang: accLang, acc, boxed_rate: 1, forced_code_acc: forced });
  const twin = [row('good-code-global', 0.435, 0.44, 0.2, 0.3, 0.43)];
  test('a sized prior of the same kind passes every check', () => {
    expect(sizeToleranceChecks(twin, [row('x4', 0.5, 0.6, 0.3, 0.42, 0.6)]).map((c) => c.pass)).toEqual([true, true, true]);
  });
  test('each check fails on its own', () => {
    expect(sizeToleranceChecks(twin, [row('x4', 0.6, 0.6, 0.3, 0.42, 0.6)]).map((c) => c.pass)).toEqual([false, true, true]);
    expect(sizeToleranceChecks(twin, [row('x4', 0.5, 0.4, 0.3, 0.42, 0.6)]).map((c) => c.pass)).toEqual([true, false, true]);
    expect(sizeToleranceChecks(twin, [row('x4', 0.5, 0.6, 0.3, 0.42, 0.42)]).map((c) => c.pass)).toEqual([true, true, false]);
  });
  test('a missing sampled row is a one-line error', () => {
    expect(() => sizeToleranceChecks(twin, [])).toThrow(/sampled prior row is missing for the sized family/);
  });
});

describe('size attempts', () => {
  test("the first x4 attempt's committed prior fails the code-advantage criterion, read from its file", () => {
    const file = path.join(SIZE_ATTEMPTS_DIR, 'x4-attempt-1', 'priors-good-code-global-x4.json');
    const sampled = (JSON.parse(fs.readFileSync(file, 'utf8')) as PriorRow[]).find((r) => r.decoding === 'sampled')!;
    const rows = sizeToleranceTable('good-code-global-x4', loadPriorRows('good-code-global')!).filter((r) => r.attempt === 'x4-attempt-1');
    const advantage = rows.find((r) => r.criterion.startsWith('acc(code) − acc(lang)'))!;
    expect(advantage['value (points)']).toBe((100 * (sampled.acc_code! - sampled.acc_lang!)).toFixed(1));
    expect(advantage.pass).toBe(sampled.acc_code! - sampled.acc_lang! >= 0.15 ? 'pass' : 'FAIL');
    expect(advantage.pass).toBe('FAIL');
  });
});
