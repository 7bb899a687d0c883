/** Parameters ↔ one flat Float32Array in `parameterShapes` order (for workers and checkpoints). */
import { ModelConfig, countParameters, parameterShapes } from './config';

export function flatten(cfg: ModelConfig, values: Record<string, Float32Array>): Float32Array {
  const out = new Float32Array(countParameters(cfg));
  let off = 0;
  for (const [name] of parameterShapes(cfg)) {
    out.set(values[name], off);
    off += values[name].length;
  }
  return out;
}

/** Views (not copies) into `flat`, one per parameter. */
export function unflatten(cfg: ModelConfig, flat: Float32Array): Record<string, Float32Array> {
  const total = countParameters(cfg);
  if (flat.length !== total) throw new Error(`unflatten: ${flat.length} values, the model has ${total} parameters`);
  const out: Record<string, Float32Array> = {};
  let off = 0;
  for (const [name, shape] of parameterShapes(cfg)) {
    const n = shape.reduce((a, b) => a * b, 1);
    out[name] = flat.subarray(off, off + n);
    off += n;
  }
  return out;
}
