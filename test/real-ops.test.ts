/**
 * The hand-written gradients of the real models' lookups and projection equal tfjs's own
 * autograd of the same function written with one-hot products and matMul.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/engine/backend';
import { gatherColumns, gatherRows, pickColumns, project, rmsNorm } from '../src/real/ops';

beforeAll(async () => { await initBackend({ quiet: true }); });

function oneHot(ids: Int32Array, depth: number): tf.Tensor2D {
  const out = new Float32Array(ids.length * depth);
  ids.forEach((id, i) => { out[i * depth + id] = 1; });
  return tf.tensor2d(out, [ids.length, depth]);
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Value and gradient of Σ f(t)·r with respect to t, for the op and its reference. */
function compare(f: (t: tf.Tensor) => tf.Tensor, ref: (t: tf.Tensor) => tf.Tensor, t: tf.Tensor): { value: number; grad: number } {
  return tf.tidy(() => {
    const r = tf.randomNormal(f(t).shape, 0, 1, 'float32', 7);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(f(x), r)));
    const gr = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(ref(x), r)));
    return { value: maxDiff(f(t), ref(t)), grad: maxDiff(g(t), gr(t)) };
  });
}

const ids = Int32Array.from([3, 0, 3, 5, 1, 3, 6]); // repeats: the scatter must add, not overwrite

test('gatherRows: rows of [R, C], gradient scatter-added', () => {
  const table = tf.randomNormal([7, 5], 0, 1, 'float32', 1);
  const d = compare((t) => gatherRows(t as tf.Tensor2D, ids), (t) => tf.matMul(oneHot(ids, 7), t as tf.Tensor2D), table);
  expect(d.value).toBeLessThan(1e-6);
  expect(d.grad).toBeLessThan(1e-5);
});

test('gatherColumns: columns of [C, R] as rows (a tied embedding stored as the head)', () => {
  const table = tf.randomNormal([5, 7], 0, 1, 'float32', 2);
  const d = compare((t) => gatherColumns(t as tf.Tensor2D, ids), (t) => tf.matMul(oneHot(ids, 7), tf.transpose(t as tf.Tensor2D)), table);
  expect(d.value).toBeLessThan(1e-6);
  expect(d.grad).toBeLessThan(1e-5);
});

test('pickColumns: x[n, cols[n]]', () => {
  const x = tf.randomNormal([7, 9], 0, 1, 'float32', 3);
  const cols = Int32Array.from([8, 0, 4, 4, 1, 2, 7]);
  const d = compare((t) => pickColumns(t as tf.Tensor2D, cols), (t) => tf.sum(tf.mul(t, oneHot(cols, 9)), -1), x);
  expect(d.value).toBeLessThan(1e-6);
  expect(d.grad).toBeLessThan(1e-6);
});

test.each([
  ['fewer rows than inputs (dy transposed)', 3, 8, 11],
  ['more rows than inputs (w transposed)', 12, 4, 6],
])('project, %s: value and both gradients equal matMul autograd', (_name, N, I, O) => {
  const x = tf.randomNormal([N, I], 0, 1, 'float32', 4) as tf.Tensor2D;
  const w = tf.randomNormal([I, O], 0, 1, 'float32', 5) as tf.Tensor2D;
  const r = tf.randomNormal([N, O], 0, 1, 'float32', 6);
  const mine = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(project(a as tf.Tensor2D, b as tf.Tensor2D), r)))([x, w]);
  const ref = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), r)))([x, w]);
  expect(maxDiff(project(x, w), tf.matMul(x, w))).toBeLessThan(1e-5);
  expect(maxDiff(mine[0], ref[0])).toBeLessThan(1e-4);
  expect(maxDiff(mine[1], ref[1])).toBeLessThan(1e-4);
});

test('ids outside the table are an error, not a silent zero row', () => {
  const table = tf.zeros([4, 2]) as tf.Tensor2D;
  expect(() => gatherRows(table, Int32Array.from([4]))).toThrow('gatherRows: id 4 at index 0 is outside [0, 4)');
  expect(() => gatherColumns(table, Int32Array.from([2]))).toThrow('gatherColumns: id 2 at index 0 is outside [0, 2)');
  expect(() => pickColumns(table, Int32Array.from([0, 1]))).toThrow('pickColumns: 2 columns for 4 rows');
});

test('rmsNorm: w·x/√(mean x² + ε)', () => {
  const x = tf.tensor2d([[3, 4], [0, 0]]);
  const y = rmsNorm(x, tf.tensor1d([1, 2]), 1e-6).arraySync();
  const s = Math.sqrt((9 + 16) / 2 + 1e-6);
  expect(y[0][0]).toBeCloseTo(3 / s, 6);
  expect(y[0][1]).toBeCloseTo(8 / s, 6);
  expect(y[1]).toEqual([0, 0]);
});
