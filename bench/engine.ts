/**
 * Engine benchmark: one AdamW training step (batch 128 × 64 tokens) of the ~0.8M-parameter
 * benchmark model, KV-cache sampling throughput, the plain 2-D matMul rate of this backend,
 * and the same training step in PyTorch on this machine, all measured in one run.
 *
 *   npm run bench:engine -- [--json] [--steps 3] [--no-torch] [--no-single]
 *
 * train_step_s uses the engine's default path: data-parallel over SR_WORKERS worker threads
 * (default: one per core), each its own single-threaded wasm instance.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { AdamW } from '../src/engine/adamw';
import { initBackend } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { trainStep } from '../src/runtime/train';
import { BENCH_MODEL } from '../src/model/config';
import { WorkerPool, dataParallelLMStep, defaultWorkers } from '../src/runtime/pool';
import { Transformer, languageModelLoss } from '../src/model/transformer';
import { parseFlags } from '../scripts/cli';

const BATCH = 128;
const SEQ = 64;
const SAMPLE_ROWS = 1024;
const SAMPLE_NEW = 64;
const SAMPLE_PROMPT = 16;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Best-of-5 rate of plain 2-D matMuls shaped like the model's MLP products. */
function matmulGflops(): number {
  const N = BATCH * SEQ;
  const D = BENCH_MODEL.dModel;
  const M = BENCH_MODEL.mlpRatio * D;
  const x = tf.randomNormal([N, D]);
  const w = tf.randomNormal([D, M]);
  const h = tf.randomNormal([N, M]);
  const w2 = tf.randomNormal([M, D]);
  let best = Infinity;
  for (let r = 0; r < 6; r++) {
    const t0 = performance.now();
    const a = tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D);
    const b = tf.matMul(h as tf.Tensor2D, w2 as tf.Tensor2D);
    a.dataSync(); b.dataSync();
    const dt = (performance.now() - t0) / 1000;
    if (r > 0) best = Math.min(best, dt);
    tf.dispose([a, b]);
  }
  tf.dispose([x, w, h, w2]);
  return (2 * 2 * N * D * M) / best / 1e9;
}

/** Median seconds per AdamW step; `pool` null = single tfjs instance, else data-parallel. */
async function trainSeconds(model: Transformer, steps: number, pool: WorkerPool | null): Promise<number> {
  const rng = new Rng(0);
  const opt = new AdamW(model.params);
  const tokens = Int32Array.from({ length: BATCH * SEQ }, () => rng.int(BENCH_MODEL.vocabSize));
  const targets = Int32Array.from({ length: BATCH * SEQ }, () => rng.int(BENCH_MODEL.vocabSize));
  const lossMask = new Float32Array(BATCH * SEQ).fill(1);
  const batch = { tokens, B: BATCH, T: SEQ };
  const step = () => pool
    ? dataParallelLMStep(pool, opt, { batch, targets, lossMask }, 1e-3)
    : trainStep(model, opt, () => languageModelLoss(model.params, model.config, batch, targets, lossMask), 1e-3);
  await step(); // warm-up: kernels compiled, optimizer slots touched
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await step();
    times.push((performance.now() - t0) / 1000);
  }
  opt.dispose();
  return median(times);
}

async function sampleTokensPerSecond(pool: WorkerPool): Promise<number> {
  const rng = new Rng(1);
  const prompts = Array.from({ length: SAMPLE_ROWS }, () => Array.from({ length: SAMPLE_PROMPT }, () => 2 + rng.int(BENCH_MODEL.vocabSize - 2)));
  await pool.sample({ prompts: prompts.slice(0, 8), maxNewTokens: 4, temperature: 1, rng });
  const t0 = performance.now();
  const out = await pool.sample({ prompts, maxNewTokens: SAMPLE_NEW, temperature: 1, rng });
  const dt = (performance.now() - t0) / 1000;
  return out.tokens.reduce((n, r) => n + r.length, 0) / dt;
}

/** Debian's python3-torch, installed with apt when missing and we are root. */
function ensureTorch(): string | null {
  const py = '/usr/bin/python3';
  const ok = () => fs.existsSync(py) && spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  if (ok()) return py;
  if (process.getuid?.() !== 0) return null;
  console.error('[bench] installing python3-torch with apt-get (one time)…');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'python3-torch'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return ok() ? py : null;
}

async function main(): Promise<void> {
  const f = parseFlags({
    json: { type: 'boolean' },
    steps: { type: 'number', integer: true, min: 1, default: 3 },
    'no-single': { type: 'boolean' },
    'no-torch': { type: 'boolean' },
  });
  const { json, steps } = f;
  const backend = await initBackend({ quiet: json });
  const model = Transformer.init(BENCH_MODEL, new Rng(0));
  const params = model.parameterCount;
  const matmul = matmulGflops();
  const workers = defaultWorkers();
  const pool = await WorkerPool.create(model, workers);
  const train = await trainSeconds(model, steps, workers > 0 ? pool : null);
  const trainSingle = workers > 0 && !f['no-single'] ? await trainSeconds(model, steps, null) : train;
  const tokPerS = await sampleTokensPerSecond(pool);
  await pool.close();
  let torch: Record<string, unknown> = {};
  if (!f['no-torch']) {
    const py = ensureTorch();
    if (py) {
      const cfg = JSON.stringify({ ...BENCH_MODEL, batch: BATCH, seq: SEQ, steps });
      const out = execFileSync(py, [path.join(__dirname, 'torch_engine.py'), cfg], { encoding: 'utf8' });
      torch = JSON.parse(out.trim().split('\n').pop()!);
    } else torch = { torch_error: 'python3-torch is not installed and could not be installed' };
  }
  const tokens = BATCH * SEQ;
  const result = {
    backend: backend.chosen,
    params,
    batch: BATCH,
    seq: SEQ,
    workers,
    train_step_s: round(train),
    train_step_single_instance_s: round(trainSingle),
    ...torch,
    ratio_vs_torch: typeof torch.torch_train_step_s === 'number' ? round(train / torch.torch_train_step_s) : null,
    matmul_gflops: round(matmul),
    train_gflops: round((6 * params * tokens) / train / 1e9),
    sample_tokens_per_s: Math.round(tokPerS),
    sample_shape: `${SAMPLE_ROWS} rows × ${SAMPLE_NEW} new tokens (prompt ${SAMPLE_PROMPT})`,
  };
  if (json) console.log(JSON.stringify(result));
  else for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(22)} ${v}`);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

main().catch((e) => {
  console.error(`bench:engine: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
