/**
 * Model sizes (datasets/world/model-sizes.json): a sized family is a twin from families.json — the
 * same corpus, mixture, steps, learning rate and seed — pretrained with a larger transformer, so
 * a comparison across sizes changes nothing but the parameters. The shipped world model is 1×.
 *
 * Sized checkpoints exceed the commit limit, so each carries a digest.json: the weights' sha1 and
 * the conditions a rebuild must match to reproduce them bit for bit (backend and worker count
 * decide the order in which shard gradients are summed).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../engine/atomic';
import { projectPath } from '../engine/paths';
import { ModelConfig, countParameters, validateModelConfig } from '../model/config';
import { FamilySpec, getFamily } from './families';
import { WORLD_MODEL } from './pretrain';
import type { PriorCheck, PriorRow } from './priors';

export const SIZES_FILE = projectPath('datasets', 'world', 'model-sizes.json');

export interface SizedFamily {
  name: string;
  /** Factor on the twin's pretraining learning rates (peak and final): wider layers take smaller Adam steps. */
  lrScale: number;
  /** The families.json entry whose corpus this family is pretrained on. */
  twin: string;
  size: string;
  model: ModelConfig;
  spec: FamilySpec;
}

export interface SizeSpec {
  /** Overrides of the world model's config. */
  model: Partial<ModelConfig>;
  lrScale: number;
}

export interface SizesFile {
  sizes: Record<string, SizeSpec>;
  families: { name: string; twin: string; size: string; init: string | null }[];
  /** Pretraining worker count of every sized family (recorded, so a rebuild sums shards in the same order). */
  pretrainWorkers: number;
}

function fail(file: string, msg: string): never {
  throw new Error(`${file}: ${msg}`);
}

export function parseSizes(raw: unknown, file = SIZES_FILE): SizesFile {
  const r = raw as Partial<SizesFile> | null;
  if (!r || typeof r.sizes !== 'object' || r.sizes === null) fail(file, "expected a 'sizes' object");
  if (!Array.isArray(r.families)) fail(file, "expected a 'families' array");
  if (!(Number.isInteger(r.pretrainWorkers) && (r.pretrainWorkers as number) >= 1)) fail(file, "field 'pretrainWorkers' must be a positive integer");
  for (const [name, size] of Object.entries(r.sizes)) {
    if (!size || typeof size.model !== 'object' || size.model === null) fail(file, `sizes.${name}: field 'model' must be an object of model-config overrides`);
    if (!(typeof size.lrScale === 'number' && size.lrScale > 0 && size.lrScale <= 1)) fail(file, `sizes.${name}: field 'lrScale' must be in (0, 1]`);
  }
  const names = new Set<string>();
  r.families.forEach((f, i) => {
    const at = `families[${i}]${typeof f?.name === 'string' ? ` (${f.name})` : ''}`;
    if (typeof f?.name !== 'string' || !/^[a-z0-9-]+$/.test(f.name)) fail(file, `${at}: field 'name' must be a checkpoint name like 'base-x4'`);
    if (names.has(f.name)) fail(file, `${at}: name '${f.name}' appears twice`);
    names.add(f.name);
    if (typeof f.twin !== 'string') fail(file, `${at}: field 'twin' must name a family of families.json`);
    if (!(typeof f.size === 'string' && f.size in r.sizes!)) fail(file, `${at}: field 'size' must be one of ${Object.keys(r.sizes!).join(', ')}`);
    if (f.init !== null && typeof f.init !== 'string') fail(file, `${at}: field 'init' must be a checkpoint name or null`);
  });
  return r as SizesFile;
}

export function loadSizes(file = SIZES_FILE): SizesFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as Error).message})`);
  }
  return parseSizes(raw, file);
}

/** The sized family `name`, or null when it is not one (a 1× family or variant). */
export function sizedFamily(name: string, file = SIZES_FILE): SizedFamily | null {
  const sizes = loadSizes(file);
  const f = sizes.families.find((x) => x.name === name);
  if (!f) return null;
  const size = sizes.sizes[f.size];
  const model = validateModelConfig({ ...WORLD_MODEL, ...size.model }, `${file}: size '${f.size}'`);
  const twin = getFamily(f.twin);
  // The twin's spec with only the name and starting checkpoint changed: the corpus stays the twin's.
  return { name: f.name, twin: f.twin, size: f.size, model, lrScale: size.lrScale, spec: { ...twin, name: f.name, init: f.init } };
}

/** What `npm run pretrain -- --family NAME` trains: the family's spec and transformer. */
export function pretrainTarget(name: string): { spec: FamilySpec; model: ModelConfig; lrScale: number; workers: number | undefined; sized: boolean } {
  const sized = sizedFamily(name);
  if (sized) return { spec: sized.spec, model: sized.model, lrScale: sized.lrScale, workers: loadSizes().pretrainWorkers, sized: true };
  return { spec: getFamily(name), model: WORLD_MODEL, lrScale: 1, workers: undefined, sized: false };
}

export function parameterRatio(model: ModelConfig): number {
  return countParameters(model) / countParameters(WORLD_MODEL);
}

export interface WeightsDigest {
  family: string;
  sha1: string;
  bytes: number;
  parameters: number;
  backend: string;
  workers: number;
}

export function sha1OfFile(file: string): string {
  return crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');
}

/** Writes checkpoints/<name>/digest.json for a just-built checkpoint. */
export function writeWeightsDigest(dir: string, d: Omit<WeightsDigest, 'sha1' | 'bytes'>): WeightsDigest {
  const file = path.join(dir, 'weights.bin');
  const out: WeightsDigest = { ...d, sha1: sha1OfFile(file), bytes: fs.statSync(file).size };
  writeFileAtomic(path.join(dir, 'digest.json'), JSON.stringify(out, null, 1) + '\n');
  return out;
}

/** Null when the weights match the committed digest; otherwise one line saying what differs. */
export function checkWeightsDigest(dir: string): string | null {
  const file = path.join(dir, 'digest.json');
  if (!fs.existsSync(file)) return `${file}: missing (nothing to check the weights against)`;
  const want = JSON.parse(fs.readFileSync(file, 'utf8')) as WeightsDigest;
  const weights = path.join(dir, 'weights.bin');
  if (!fs.existsSync(weights)) return `${weights}: missing; rebuild it with npm run pretrain -- --family ${want.family}`;
  const got = sha1OfFile(weights);
  return got === want.sha1 ? null : `${weights}: sha1 ${got.slice(0, 12)} differs from digest.json's ${want.sha1.slice(0, 12)} (built on ${want.backend} with ${want.workers} workers)`;
}

/** Notebook 08's pre-registered tolerance: a sized family must keep its 1× twin's kind of prior. */
export const SIZE_TOLERANCE = Object.freeze({ codeShareWithin: 0.15, codeAdvantageAtLeast: 0.15 });

/**
 * The tolerance checks of a sized family's measured prior against its twin's (sampled rows, k at
 * τ = 1): code share within ±15 points of the twin's, code at least 15 points more accurate than
 * language, and forcing code raising accuracy. Greedy accuracy is free to differ.
 */
export function sizeToleranceChecks(twin: readonly PriorRow[], sized: readonly PriorRow[]): PriorCheck[] {
  const t = twin.find((r) => r.decoding === 'sampled');
  const s = sized.find((r) => r.decoding === 'sampled');
  if (!t || !s) throw new Error(`size tolerance: a sampled prior row is missing for ${!t ? 'the twin' : s ? '' : 'the sized family'} (measure it with npm run priors -- --family NAME)`);
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  const check = (criterion: string, value: number | null, ok: (v: number) => boolean): PriorCheck => ({ family: s.family, decoding: 'sampled', criterion, value, pass: value !== null && ok(value) });
  const shareGap = diff(s.code_frequency, t.code_frequency);
  return [
    check(`code share within ±${100 * SIZE_TOLERANCE.codeShareWithin} points of ${t.family}'s ${t.code_frequency === null ? '—' : (100 * t.code_frequency).toFixed(1)}%`, shareGap, (v) => Math.abs(v) <= SIZE_TOLERANCE.codeShareWithin),
    check(`acc(code) − acc(lang) ≥ +${100 * SIZE_TOLERANCE.codeAdvantageAtLeast} points`, diff(s.acc_code, s.acc_lang), (v) => v >= SIZE_TOLERANCE.codeAdvantageAtLeast),
    check('forced code raises accuracy', diff(s.forced_code_acc, s.acc), (v) => v > 0),
  ];
}

export const SIZE_ATTEMPTS_DIR = projectPath('datasets', 'world', 'size-attempts');

/** Measured prior rows of a sized family: each recorded earlier attempt, then the current build (where measured). */
export function sizePriorAttempts(name: string): { attempt: string; rows: PriorRow[] }[] {
  const out: { attempt: string; rows: PriorRow[] }[] = [];
  const read = (file: string): PriorRow[] | null => {
    if (!fs.existsSync(file)) return null;
    try {
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as PriorRow[]).filter((r) => r.family === name);
    } catch (e) {
      throw new Error(`${file}: cannot read prior rows (${(e as Error).message})`);
    }
  };
  const attempts = fs.existsSync(SIZE_ATTEMPTS_DIR) ? fs.readdirSync(SIZE_ATTEMPTS_DIR).sort() : [];
  for (const a of attempts) {
    const rows = read(path.join(SIZE_ATTEMPTS_DIR, a, `priors-${name}.json`));
    if (rows?.length) out.push({ attempt: a, rows });
  }
  const current = read(projectPath('datasets', 'world', `priors-${name}.json`));
  if (current?.length) out.push({ attempt: 'current build', rows: current });
  return out;
}

/** One row per attempt × tolerance criterion, for notebook 08. */
export function sizeToleranceTable(name: string, twinRows: readonly PriorRow[]): Record<string, string>[] {
  return sizePriorAttempts(name).flatMap(({ attempt, rows }) => {
    const greedy = rows.find((r) => r.decoding === 'greedy');
    return [
      ...sizeToleranceChecks(twinRows, rows).map((c) => ({ attempt, criterion: c.criterion, 'value (points)': c.value === null ? '—' : (100 * c.value).toFixed(1), pass: c.pass ? 'pass' : 'FAIL' })),
      { attempt, criterion: 'greedy accuracy, % (reported, no bound)', 'value (points)': greedy?.acc == null ? '—' : (100 * greedy.acc).toFixed(1), pass: '' },
    ];
  });
}
