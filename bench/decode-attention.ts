/**
 * Decode-step attention on tfjs-wasm, two formulations timed in one run (ratios are what count):
 *   batched matMul  q·Kᵀ and a·V with a one-row query (wasm's slow batched path), vs
 *   broadcast       Σ_d q⊙K and Σ_t a⊙Vᵀ (elementwise kernels; V cached transposed).
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/engine/backend';
import { parseFlags } from '../scripts/cli';

async function main(): Promise<void> {
  parseFlags({}); // takes no arguments: refuse stray ones rather than ignore them
  await initBackend({ env: 'wasm', quiet: true });
  const [BH, t, hd] = [1024, 80, 24];
  const q = tf.randomNormal([BH, 1, hd]) as tf.Tensor3D;
  const k = tf.randomNormal([BH, t, hd]) as tf.Tensor3D;
  const v = tf.randomNormal([BH, t, hd]) as tf.Tensor3D;
  const vT = tf.transpose(v, [0, 2, 1]) as tf.Tensor3D;
  const a = tf.softmax(tf.randomNormal([BH, 1, t])) as tf.Tensor3D;
  const time = (f: () => tf.Tensor, reps = 20): number => {
    tf.tidy(f).dataSync();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) { const r = tf.tidy(f); r.dataSync(); r.dispose(); }
    return (performance.now() - t0) / reps;
  };
  const mmS = time(() => tf.matMul(q, k, false, true));
  const bcS = time(() => tf.sum(tf.mul(q, k), -1));
  const mmO = time(() => tf.matMul(a, v));
  const bcO = time(() => tf.sum(tf.mul(a, vT), -1));
  const d1 = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.reshape(tf.matMul(q, k, false, true), [BH, t]), tf.sum(tf.mul(q, k), -1)))).dataSync()[0]);
  const d2 = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.reshape(tf.matMul(a, v), [BH, hd]), tf.sum(tf.mul(a, vT), -1)))).dataSync()[0]);
  console.log(JSON.stringify({ shape: { BH, t, hd }, scores_matmul_ms: +mmS.toFixed(2), scores_broadcast_ms: +bcS.toFixed(2), scores_ratio: +(bcS / mmS).toFixed(2), mix_matmul_ms: +mmO.toFixed(2), mix_broadcast_ms: +bcO.toFixed(2), mix_ratio: +(bcO / mmO).toFixed(2), max_abs_diff: Math.max(d1, d2) }));
}

main().catch((e) => {
  console.error(`decode-attention: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
