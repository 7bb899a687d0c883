/**
 * Checkpoints: a directory holding
 *   checkpoint.json  — format version, model config, step, RNG state, optimizer config, extra metadata,
 *                      and the manifest (name, shape, offset) of both binary files;
 *   weights.bin      — parameters, float32 little-endian, concatenated in manifest order;
 *   optimizer.bin    — AdamW first and second moments (m then v for each parameter), optional.
 * Saving writes a sibling temporary directory and renames it into place, so a crash never
 * leaves a half-written checkpoint; a kill between the renames leaves the checkpoint under a
 * sibling's name, which `recoverCheckpoint` (called by every reader) moves back. Files are backend-independent float32, so a checkpoint
 * saved on one backend loads on any other.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ModelConfig, parameterShapes, validateModelConfig } from '../model/config';
import { Transformer } from '../model/transformer';
import { AdamW, AdamWConfig, AdamWState } from '../engine/adamw';

export const CHECKPOINT_FORMAT = 1;

export interface TensorEntry {
  name: string;
  shape: number[];
  /** Offset in float32 elements into the binary file. */
  offset: number;
}

export interface CheckpointMeta {
  format: number;
  model: ModelConfig;
  step: number;
  rngState: number | null;
  optimizer: { config: AdamWConfig; step: number } | null;
  /** Free-form metadata (tokenizer, training config, …). */
  extra: Record<string, unknown>;
  weights: TensorEntry[];
}

export interface LoadedCheckpoint {
  meta: CheckpointMeta;
  weights: Record<string, Float32Array>;
  optimizer: AdamWState | null;
}

function pack(names: string[], values: Record<string, Float32Array>[]): { buf: Buffer; entries: TensorEntry[] } {
  let total = 0;
  for (const v of values) for (const n of names) total += v[n].length;
  const all = new Float32Array(total);
  const entries: TensorEntry[] = [];
  let off = 0;
  for (const v of values) {
    for (const n of names) {
      all.set(v[n], off);
      entries.push({ name: n, shape: [v[n].length], offset: off });
      off += v[n].length;
    }
  }
  return { buf: Buffer.from(all.buffer, all.byteOffset, all.byteLength), entries };
}

/** Saves model (and optimizer, if given) atomically to `dir`. */
export async function saveCheckpoint(
  dir: string,
  model: Transformer,
  opts: { step: number; optimizer?: AdamW; rngState?: number; extra?: Record<string, unknown> },
): Promise<void> {
  const weights = await model.read();
  const shapes = new Map(parameterShapes(model.config));
  const packed = pack(model.names, [weights]);
  const meta: CheckpointMeta = {
    format: CHECKPOINT_FORMAT,
    model: model.config,
    step: opts.step,
    rngState: opts.rngState ?? null,
    optimizer: opts.optimizer ? { config: opts.optimizer.config, step: opts.optimizer.step } : null,
    extra: opts.extra ?? {},
    weights: packed.entries.map((e) => ({ ...e, shape: shapes.get(e.name)! })),
  };
  const parent = path.dirname(path.resolve(dir));
  fs.mkdirSync(parent, { recursive: true });
  const tmp = `${path.resolve(dir)}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp);
  try {
    fs.writeFileSync(path.join(tmp, 'weights.bin'), packed.buf);
    if (opts.optimizer) {
      const s = await opts.optimizer.getState();
      fs.writeFileSync(path.join(tmp, 'optimizer.bin'), pack(model.names, [s.m, s.v]).buf);
    }
    fs.writeFileSync(path.join(tmp, 'checkpoint.json'), JSON.stringify(meta, null, 1));
    // Swap into place: the old checkpoint is only removed once the new one is complete.
    const old = `${path.resolve(dir)}.old-${process.pid}-${Date.now()}`;
    if (fs.existsSync(dir)) fs.renameSync(dir, old);
    fs.renameSync(tmp, dir);
    if (fs.existsSync(old)) fs.rmSync(old, { recursive: true, force: true });
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** `<dir>.tmp-<pid>-<ms>` (a save being written) or `<dir>.old-<pid>-<ms>` (the one it replaces). */
const SIBLING = /^\.(tmp|old)-(\d+)-(\d+)$/;

/** Whether process `pid` exists (EPERM: it does, owned by someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `dir` holds everything a save writes: checkpoint.json (written last, so it parses only
 * if the save got that far) and binaries as long as its manifest says.
 */
function isComplete(dir: string): boolean {
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'checkpoint.json'), 'utf8')) as Partial<CheckpointMeta>;
    if (!Array.isArray(meta.weights)) return false;
    const floats = meta.weights.reduce((n, e) => Math.max(n, e.offset + e.shape.reduce((a, b) => a * b, 1)), 0);
    if (fs.statSync(path.join(dir, 'weights.bin')).size !== 4 * floats) return false;
    return !meta.optimizer || fs.statSync(path.join(dir, 'optimizer.bin')).size === 8 * floats;
  } catch {
    return false;
  }
}

/**
 * Puts back a checkpoint that a killed save left under a sibling's name. When `dir` is missing or
 * incomplete, the newest complete `<dir>.tmp-*` (the new checkpoint, killed before its rename)
 * or else the newest complete `<dir>.old-*` (the previous one, killed before the new one was
 * complete) becomes `dir`; the killed save's other leftovers are removed. Siblings of a live
 * process other than this one are a save in progress and are left alone. Returns whether `dir`
 * was recovered.
 */
export function recoverCheckpoint(dir: string): boolean {
  const target = path.resolve(dir);
  if (fs.existsSync(target) && isComplete(target)) return false;
  const parent = path.dirname(target);
  if (!fs.existsSync(parent)) return false;
  const base = path.basename(target);
  const leftovers = fs.readdirSync(parent)
    .filter((f) => f.startsWith(base))
    .map((f) => ({ file: path.join(parent, f), m: SIBLING.exec(f.slice(base.length)) }))
    .filter((c): c is { file: string; m: RegExpExecArray } => c.m !== null)
    .map(({ file, m }) => ({ file, kind: m[1], pid: Number(m[2]), time: Number(m[3]) }))
    .filter((c) => c.pid === process.pid || !alive(c.pid));
  const complete = leftovers.filter((c) => isComplete(c.file)).sort((a, b) => b.time - a.time);
  const best = complete.find((c) => c.kind === 'tmp') ?? complete.find((c) => c.kind === 'old');
  if (!best) return false;
  if (fs.existsSync(target)) fs.renameSync(target, `${target}.broken-${process.pid}-${Date.now()}`);
  fs.renameSync(best.file, target);
  // Not this process's own other siblings: one may be a save still being written (it awaits mid-write).
  for (const c of leftovers) if (c !== best && c.pid !== process.pid) fs.rmSync(c.file, { recursive: true, force: true });
  return true;
}

/** Whether `dir` holds a checkpoint, after recovering one a killed save left aside. */
export function hasCheckpoint(dir: string): boolean {
  recoverCheckpoint(dir);
  return fs.existsSync(path.join(dir, 'checkpoint.json'));
}

/**
 * A short content digest of a checkpoint's weights (sha1 of weights.bin, 12 hex digits): results
 * derived from a checkpoint record it, so a retrained checkpoint never silently reuses them.
 */
export function weightsDigest(dir: string): string {
  recoverCheckpoint(dir);
  const file = path.join(dir, 'weights.bin');
  if (!fs.existsSync(file)) throw new Error(`${file}: missing (not a checkpoint directory?)`);
  // Checking hundreds of run identities against one family re-hashes the same file: memoised on its size and mtime.
  const st = fs.statSync(file);
  const key = `${path.resolve(file)}|${st.size}|${st.mtimeMs}`;
  let digest = DIGESTS.get(key);
  if (!digest) {
    digest = crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex').slice(0, 12);
    DIGESTS.set(key, digest);
  }
  return digest;
}

const DIGESTS = new Map<string, string>();

/** Reads and validates a checkpoint directory; every error names the file and field. */
export function readCheckpoint(dir: string): LoadedCheckpoint {
  recoverCheckpoint(dir);
  const metaPath = path.join(dir, 'checkpoint.json');
  if (!fs.existsSync(dir)) throw new Error(`checkpoint ${dir}: directory does not exist`);
  if (!fs.existsSync(metaPath)) throw new Error(`${metaPath}: missing (not a checkpoint directory?)`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(metaPath, 'utf8'));
  } catch (e) {
    throw new Error(`${metaPath}: invalid JSON (${(e as Error).message})`);
  }
  const m = raw as Partial<CheckpointMeta>;
  if (m.format !== CHECKPOINT_FORMAT) throw new Error(`${metaPath}: field 'format' is ${JSON.stringify(m.format)}, expected ${CHECKPOINT_FORMAT}`);
  const model = validateModelConfig(m.model, `${metaPath}: field 'model'`);
  if (typeof m.step !== 'number') throw new Error(`${metaPath}: field 'step' must be a number`);
  if (!Array.isArray(m.weights)) throw new Error(`${metaPath}: field 'weights' must be an array`);
  const expected = parameterShapes(model);
  const entries = new Map(m.weights.map((e) => [e.name, e]));
  const weightsPath = path.join(dir, 'weights.bin');
  const flat = readFloats(weightsPath);
  const weights: Record<string, Float32Array> = {};
  for (const [name, shape] of expected) {
    const e = entries.get(name);
    if (!e) throw new Error(`${metaPath}: field 'weights' has no entry for parameter '${name}'`);
    if (JSON.stringify(e.shape) !== JSON.stringify(shape)) {
      throw new Error(`${metaPath}: parameter '${name}' has shape [${e.shape}], the model config needs [${shape}]`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (e.offset + size > flat.length) throw new Error(`${weightsPath}: too short for parameter '${name}' (${flat.length} floats)`);
    weights[name] = flat.slice(e.offset, e.offset + size);
  }
  let optimizer: AdamWState | null = null;
  if (m.optimizer) {
    const optPath = path.join(dir, 'optimizer.bin');
    const o = readFloats(optPath);
    const total = expected.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
    if (o.length !== 2 * total) throw new Error(`${optPath}: holds ${o.length} floats, expected ${2 * total} (m and v)`);
    const mm: Record<string, Float32Array> = {};
    const vv: Record<string, Float32Array> = {};
    let off = 0;
    for (const [name, shape] of expected) { const s = shape.reduce((a, b) => a * b, 1); mm[name] = o.slice(off, off + s); off += s; }
    for (const [name, shape] of expected) { const s = shape.reduce((a, b) => a * b, 1); vv[name] = o.slice(off, off + s); off += s; }
    optimizer = { step: m.optimizer.step, m: mm, v: vv };
  }
  const meta: CheckpointMeta = {
    format: CHECKPOINT_FORMAT, model, step: m.step, rngState: m.rngState ?? null,
    optimizer: m.optimizer ?? null, extra: m.extra ?? {}, weights: m.weights,
  };
  return { meta, weights, optimizer };
}

/** Loads a checkpoint into a new model (and AdamW, restored when the checkpoint has its state). */
export function loadCheckpoint(dir: string, optimizerConfig?: Partial<AdamWConfig>): { model: Transformer; optimizer: AdamW; meta: CheckpointMeta } {
  const ck = readCheckpoint(dir);
  const model = new Transformer(ck.meta.model, ck.weights);
  const optimizer = new AdamW(model.params, { ...(ck.meta.optimizer?.config ?? {}), ...(optimizerConfig ?? {}) });
  if (ck.optimizer) optimizer.setState(ck.optimizer);
  return { model, optimizer, meta: ck.meta };
}

function readFloats(file: string): Float32Array {
  if (!fs.existsSync(file)) throw new Error(`${file}: missing`);
  const b = fs.readFileSync(file);
  if (b.byteLength % 4 !== 0) throw new Error(`${file}: size ${b.byteLength} bytes is not a whole number of float32 values`);
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}
