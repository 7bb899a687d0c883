/**
 * Rotary position embeddings as HF transformers computes them: inverse frequencies
 * θ^(−2i/d) for i < d/2 (optionally rescaled), and per-position cos/sin tables laid out as
 * cat(freqs, freqs) for the rotate_half convention (pairs (i, i + d/2), not interleaved).
 * Tables are computed in float64 on the host and uploaded once per forward.
 */
import * as tf from '@tensorflow/tfjs';
import { RealModelConfig, RopeScaling } from './config';

/** The unscaled inverse frequencies, length headDim/2. */
export function defaultInvFreq(headDim: number, theta: number): Float64Array {
  const out = new Float64Array(headDim / 2);
  for (let i = 0; i < out.length; i++) out[i] = 1 / theta ** ((2 * i) / headDim);
  return out;
}

/**
 * HF's `_compute_llama3_parameters`: wavelengths longer than original_max / low_freq_factor are
 * slowed by `factor`, those shorter than original_max / high_freq_factor are kept, and the band
 * between is interpolated smoothly.
 */
export function llama3InvFreq(base: Float64Array, s: Extract<RopeScaling, { type: 'llama3' }>): Float64Array {
  const lowFreqWavelen = s.originalMaxPositionEmbeddings / s.lowFreqFactor;
  const highFreqWavelen = s.originalMaxPositionEmbeddings / s.highFreqFactor;
  return base.map((f) => {
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < highFreqWavelen) return f;
    if (wavelen > lowFreqWavelen) return f / s.factor;
    const smooth = (s.originalMaxPositionEmbeddings / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
    return (1 - smooth) * (f / s.factor) + smooth * f;
  });
}

export function ropeInvFreq(cfg: Pick<RealModelConfig, 'headDim' | 'ropeTheta' | 'ropeScaling'>): Float64Array {
  const base = defaultInvFreq(cfg.headDim, cfg.ropeTheta);
  const s = cfg.ropeScaling;
  if (!s) return base;
  if (s.type === 'linear') return base.map((f) => f / s.factor);
  return llama3InvFreq(base, s);
}

/** cos and sin [T, hd] for positions start..start+T−1. */
export function ropeTables(invFreq: Float64Array, start: number, T: number): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
  const half = invFreq.length;
  const hd = 2 * half;
  const cos = new Float32Array(T * hd);
  const sin = new Float32Array(T * hd);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < half; i++) {
      const a = (start + t) * invFreq[i];
      const c = Math.cos(a);
      const s = Math.sin(a);
      cos[t * hd + i] = cos[t * hd + half + i] = c;
      sin[t * hd + i] = sin[t * hd + half + i] = s;
    }
  }
  return { cos: tf.tensor2d(cos, [T, hd]), sin: tf.tensor2d(sin, [T, hd]) };
}

/**
 * x·cos + rotate_half(x)·sin, rotate_half(x) = cat(−x[d/2:], x[:d/2]).
 * x [B, T, H, hd]; cos, sin [T, hd].
 */
export function applyRope(x: tf.Tensor4D, cos: tf.Tensor2D, sin: tf.Tensor2D): tf.Tensor4D {
  const [B, T, H, hd] = x.shape;
  const half = hd / 2;
  const x1 = tf.slice(x, [0, 0, 0, 0], [B, T, H, half]); //          [B, T, H, hd/2]
  const x2 = tf.slice(x, [0, 0, 0, half], [B, T, H, half]);
  const rotated = tf.concat([tf.neg(x2), x1], 3); //                   [B, T, H, hd]
  const c = tf.reshape(cos, [1, T, 1, hd]);
  const s = tf.reshape(sin, [1, T, 1, hd]);
  return tf.add(tf.mul(x, c), tf.mul(rotated, s)) as tf.Tensor4D;
}
