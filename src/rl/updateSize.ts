/**
 * How big one optimiser update is, relative to the weights: the quantity the update-size ladder
 * (notebook 08) walks down. Under Adam each weight moves by about lr · a per update, where a is the
 * RMS of Adam's normalised step m̂/(√v̂ + ε) (≈ 1 for a consistent gradient, less for noise), so
 * the relative size of an update is ‖Δθ‖/‖θ‖ ≈ lr · a / rms(θ). a is measured in our runs
 * (update_rel in the step log); for the paper's 7B model it is assumed the same, so the ratio of
 * ours to theirs is the ratio of lr / rms(θ).
 */
import { Transformer } from '../model/transformer';
import { loadCheckpoint } from '../runtime/checkpoint';

/** The paper's random-reward run (Paper A, Appendix A). `weightRms` is an assumption: no 7B weights are reachable here. */
export const PAPER_RUN = Object.freeze({
  model: 'Qwen2.5-Math-7B',
  lr: 5e-7,
  steps: 150,
  updatesPerStep: 8,
  /** ASSUMED RMS of the 7B model's matrix weights: its initialiser range (0.02), which trained LLM weights stay near. */
  weightRms: 0.02,
});

/** RMS of a model's matrix weights (embeddings, attention and MLP matrices; norms' gains left out, as they sit near 1). */
export function matrixWeightRms(model: Transformer): number {
  let ss = 0;
  let n = 0;
  for (const name of model.names) {
    const p = model.params[name];
    if (p.shape.length !== 2) continue;
    for (const x of p.dataSync() as Float32Array) ss += x * x;
    n += p.size;
  }
  if (n === 0) throw new Error('matrixWeightRms: the model has no matrix weights');
  return Math.sqrt(ss / n);
}

/** matrixWeightRms of a checkpoint folder's weights. */
export function checkpointWeightRms(dir: string): number {
  const model = loadCheckpoint(dir).model;
  try {
    return matrixWeightRms(model);
  } finally {
    model.dispose();
  }
}

/** lr / rms(θ): an update's relative size up to Adam's factor a (which the ratios below cancel). */
export function relativeStep(lr: number, weightRms: number): number {
  if (!(lr > 0 && weightRms > 0)) throw new Error(`relativeStep: lr and weightRms must be positive, got ${lr} and ${weightRms}`);
  return lr / weightRms;
}

/** The learning rate that gives our model the paper's per-update relative size. */
export function paperMatchedLr(ourWeightRms: number): number {
  return PAPER_RUN.lr * (ourWeightRms / PAPER_RUN.weightRms);
}

/** The paper's cumulative relative update, Σ over its 1,200 updates of lr · a / rms(θ), given Adam's factor a. */
export function paperCumulativeRelativeUpdate(adamFactor: number): number {
  return PAPER_RUN.steps * PAPER_RUN.updatesPerStep * relativeStep(PAPER_RUN.lr, PAPER_RUN.weightRms) * adamFactor;
}
