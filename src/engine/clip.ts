/** Global-norm gradient clipping (as torch.nn.utils.clip_grad_norm_). */
import * as tf from '@tensorflow/tfjs';

/**
 * Returns the gradients scaled so their global L2 norm is at most `maxNorm`, and the norm before
 * scaling (a scalar tensor, read later with the loss in one device read). The inputs are not disposed.
 */
export function clipByGlobalNorm(grads: Record<string, tf.Tensor>, maxNorm: number): { grads: Record<string, tf.Tensor>; norm: tf.Scalar } {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
    if (!Number.isFinite(maxNorm)) return { grads: { ...grads }, norm };
    const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
    const out: Record<string, tf.Tensor> = {};
    for (const [n, g] of Object.entries(grads)) out[n] = tf.mul(g, scale);
    return { grads: out, norm };
  });
}
