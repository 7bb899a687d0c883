import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/engine/backend';
import { linear, mix, scores } from '../src/model/kernels';

beforeAll(async () => { await initBackend({ quiet: true }); });

/** Gradients of Σ f(a,b)·R with respect to a and b. */
function grads(f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, a: tf.Tensor, b: tf.Tensor, r: tf.Tensor): tf.Tensor[] {
  return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x, y), r)))([a, b]);
}

function maxDiff(x: tf.Tensor, y: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]);
}

describe('custom-gradient kernels match tfjs matMul autograd', () => {
  test('linear: value and both gradients', () => {
    const x = tf.randomNormal([7, 5], 0, 1, 'float32', 1);
    const w = tf.randomNormal([5, 3], 0, 1, 'float32', 2);
    const r = tf.randomNormal([7, 3], 0, 1, 'float32', 3);
    expect(maxDiff(linear(x as tf.Tensor2D, w as tf.Tensor2D), tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D))).toBeLessThan(1e-5);
    const mine = grads((a, b) => linear(a as tf.Tensor2D, b as tf.Tensor2D), x, w, r);
    const ref = grads((a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), x, w, r);
    expect(maxDiff(mine[0], ref[0])).toBeLessThan(1e-4);
    expect(maxDiff(mine[1], ref[1])).toBeLessThan(1e-4);
  });

  test('scores (q·kᵀ) and mix (p·v): gradients', () => {
    const q = tf.randomNormal([3, 4, 6], 0, 1, 'float32', 4);
    const k = tf.randomNormal([3, 5, 6], 0, 1, 'float32', 5);
    const rS = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 6);
    const s1 = grads((a, b) => scores(a as tf.Tensor3D, b as tf.Tensor3D), q, k, rS);
    const s2 = grads((a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, false, true), q, k, rS);
    expect(maxDiff(s1[0], s2[0])).toBeLessThan(1e-4);
    expect(maxDiff(s1[1], s2[1])).toBeLessThan(1e-4);
    const p = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 7);
    const v = tf.randomNormal([3, 5, 6], 0, 1, 'float32', 8);
    const rO = tf.randomNormal([3, 4, 6], 0, 1, 'float32', 9);
    const m1 = grads((a, b) => mix(a as tf.Tensor3D, b as tf.Tensor3D), p, v, rO);
    const m2 = grads((a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D), p, v, rO);
    expect(maxDiff(m1[0], m2[0])).toBeLessThan(1e-4);
    expect(maxDiff(m1[1], m2[1])).toBeLessThan(1e-4);
  });
});
