/**
 * The hot matrix products of the transformer, with hand-written gradients.
 *
 * Why: on tfjs-wasm a plain 2-D `matMul` runs ~10× faster than one with transposeA/transposeB
 * (XNNPACK fast path vs a naive loop), and tfjs's own gradient of `matMul` is made of exactly
 * the transposed forms. Here each backward product is an explicit (cheap, memory-bound)
 * `transpose` followed by a plain matMul. `tf.gather` is avoided because its gradient
 * (UnsortedSegmentSum) is not registered on wasm: embeddings are one-hot × table products.
 */
import * as tf from '@tensorflow/tfjs';

type Binary = (a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] };

/** tf.customGrad for a two-input op, typed. */
function binaryGrad(f: Binary): (a: tf.Tensor, b: tf.Tensor) => tf.Tensor {
  const g = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) =>
    f(args[0] as tf.Tensor, args[1] as tf.Tensor, args[2] as tf.GradSaveFunc)) as Parameters<typeof tf.customGrad>[0]);
  return (a, b) => g(a, b);
}

/** y = x·w. x [N, in], w [in, out] → y [N, out]. */
export const linear = binaryGrad((x, w, save) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy, saved) => {
      const [xs, ws] = saved as tf.Tensor2D[];
      const dy2 = dy as tf.Tensor2D;
      return [tf.matMul(dy2, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy2)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/**
 * Batched attention scores S = q·kᵀ. q [M, Tq, d], k [M, Tk, d] → [M, Tq, Tk].
 * Batched products have no fast path on wasm; this keeps each of them in its fastest measured form.
 */
export const scores = binaryGrad((q, k, save) => {
  save([q, k]);
  return {
    value: tf.matMul(q as tf.Tensor3D, k as tf.Tensor3D, false, true),
    gradFunc: (dS, saved) => {
      const [qs, ks] = saved as tf.Tensor3D[];
      const dS3 = dS as tf.Tensor3D;
      // dq = dS·k ; dk = dSᵀ·q
      return [tf.matMul(dS3, ks), tf.matMul(tf.transpose(dS3, [0, 2, 1]), qs)];
    },
  };
}) as (q: tf.Tensor3D, k: tf.Tensor3D) => tf.Tensor3D;

/** Attention output O = p·v. p [M, Tq, Tk], v [M, Tk, d] → [M, Tq, d]. */
export const mix = binaryGrad((p, v, save) => {
  save([p, v]);
  return {
    value: tf.matMul(p as tf.Tensor3D, v as tf.Tensor3D),
    gradFunc: (dO, saved) => {
      const [ps, vs] = saved as tf.Tensor3D[];
      const dO3 = dO as tf.Tensor3D;
      // dp = dO·vᵀ ; dv = pᵀ·dO
      return [tf.matMul(dO3, vs, false, true), tf.matMul(tf.transpose(ps, [0, 2, 1]), dO3)];
    },
  };
}) as (p: tf.Tensor3D, v: tf.Tensor3D) => tf.Tensor3D;
