/**
 * One optimisation step: loss closure → gradients (tfjs autograd through the custom kernels)
 * → global-norm clip → AdamW. Everything created here is disposed; the only device read is
 * the loss and gradient norm, together.
 */
import * as tf from '@tensorflow/tfjs';
import { Transformer } from '../model/transformer';
import { AdamW } from '../engine/adamw';
import { clipByGlobalNorm } from '../engine/clip';

export interface StepResult {
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

/** Gradients of `lossFn` with respect to every model parameter, keyed by parameter name. */
export function parameterGrads(model: Transformer, lossFn: () => tf.Scalar): { value: tf.Scalar; grads: Record<string, tf.Tensor> } {
  const vars = model.names.map((n) => model.params[n]);
  const { value, grads } = tf.variableGrads(lossFn, vars);
  const byName: Record<string, tf.Tensor> = {};
  for (const n of model.names) {
    const g = grads[model.params[n].name];
    // A parameter the loss does not touch gets a zero gradient (AdamW still decays it).
    byName[n] = g ?? tf.zerosLike(model.params[n]);
  }
  return { value, grads: byName };
}

export async function trainStep(model: Transformer, opt: AdamW, lossFn: () => tf.Scalar, lr: number, clipNorm = 1.0): Promise<StepResult> {
  const { value, grads } = parameterGrads(model, lossFn);
  const clipped = clipByGlobalNorm(grads, clipNorm);
  opt.apply(clipped.grads, lr);
  const [loss, gradNorm] = await Promise.all([value.data(), clipped.norm.data()]);
  tf.dispose([value, clipped.norm, Object.values(grads), Object.values(clipped.grads)]);
  return { loss: loss[0], gradNorm: gradNorm[0] };
}
