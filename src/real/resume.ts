/**
 * Resume state of a real GRPO run: the weights, AdamW's moments and the step's RNG state, in a
 * folder replaced atomically (written beside it, then renamed into place), so a kill leaves the
 * previous state or the new one. Arrays are raw little-endian float32, one file per kind, written
 * a variable at a time: a 7B model's 28 GB never has to sit in one buffer.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { AdamW } from '../engine/adamw';
import { writeFileAtomic } from '../engine/atomic';

export interface ResumeMeta {
  step: number;
  rngState: number;
  variables: { name: string; shape: number[] }[];
}

const FILES = { weights: 'weights.f32', m: 'adam_m.f32', v: 'adam_v.f32', meta: 'state.json' } as const;

export function hasResumeState(dir: string): boolean {
  return fs.existsSync(path.join(dir, FILES.meta));
}

function writeArrays(file: string, arrays: readonly Float32Array[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const a of arrays) fs.writeSync(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function readArrays(file: string, sizes: readonly number[]): Float32Array[] {
  const total = sizes.reduce((a, b) => a + b, 0) * 4;
  const have = fs.statSync(file).size;
  if (have !== total) throw new Error(`${file}: ${have} bytes, expected ${total} for the run's variables`);
  const fd = fs.openSync(file, 'r');
  try {
    let pos = 0;
    return sizes.map((n) => {
      const out = new Float32Array(n);
      fs.readSync(fd, new Uint8Array(out.buffer), 0, n * 4, pos);
      pos += n * 4;
      return out;
    });
  } finally {
    fs.closeSync(fd);
  }
}

/** Saves `params` (by name), the optimiser and the RNG state into `dir`. */
export async function saveResumeState(dir: string, params: Record<string, tf.Variable>, opt: AdamW, meta: { step: number; rngState: number }): Promise<void> {
  const names = Object.keys(params);
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const weights: Float32Array[] = [];
  for (const n of names) weights.push((await params[n].data()) as Float32Array);
  writeArrays(path.join(tmp, FILES.weights), weights);
  weights.length = 0;
  const s = await opt.getState();
  writeArrays(path.join(tmp, FILES.m), names.map((n) => s.m[n]));
  writeArrays(path.join(tmp, FILES.v), names.map((n) => s.v[n]));
  const full: ResumeMeta & { adamStep: number } = { ...meta, adamStep: s.step, variables: names.map((n) => ({ name: n, shape: params[n].shape })) };
  writeFileAtomic(path.join(tmp, FILES.meta), JSON.stringify(full, null, 1) + '\n');
  const old = `${dir}.old-${process.pid}`;
  if (fs.existsSync(dir)) fs.renameSync(dir, old);
  fs.renameSync(tmp, dir);
  fs.rmSync(old, { recursive: true, force: true });
}

/** Restores what saveResumeState wrote into `params` and `opt`; returns the step and RNG state. */
export function loadResumeState(dir: string, params: Record<string, tf.Variable>, opt: AdamW): { step: number; rngState: number } {
  const metaFile = path.join(dir, FILES.meta);
  const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as ResumeMeta & { adamStep: number };
  const names = Object.keys(params);
  const same = meta.variables.length === names.length && meta.variables.every((v, i) => v.name === names[i] && v.shape.join(',') === params[names[i]].shape.join(','));
  if (!same) throw new Error(`${metaFile}: saved variables do not match the model's (another checkpoint?); delete ${path.dirname(dir)} to start over`);
  const sizes = names.map((n) => params[n].size);
  const weights = readArrays(path.join(dir, FILES.weights), sizes);
  names.forEach((n, i) => tf.tidy(() => params[n].assign(tf.tensor(weights[i], params[n].shape, 'float32'))));
  const m = readArrays(path.join(dir, FILES.m), sizes);
  const v = readArrays(path.join(dir, FILES.v), sizes);
  opt.setState({ step: meta.adamStep, m: Object.fromEntries(names.map((n, i) => [n, m[i]])), v: Object.fromEntries(names.map((n, i) => [n, v[i]])) });
  return { step: meta.step, rngState: meta.rngState };
}
