/**
 * AdamW (decoupled weight decay, Loshchilov & Hutter) over a named set of variables, with its
 * state exposed as plain arrays so checkpoints can save and restore it exactly.
 */
import * as tf from '@tensorflow/tfjs';

export interface AdamWConfig {
  /** β1, first-moment decay. */
  beta1: number;
  /** β2, second-moment decay. */
  beta2: number;
  /** ε added to √v̂. */
  eps: number;
  /** Decoupled weight decay λ, applied to matrices only (biases, gains stay undecayed, as in nanoGPT). */
  weightDecay: number;
}

export const ADAMW_DEFAULTS: Readonly<AdamWConfig> = Object.freeze({ beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 });

export interface AdamWState {
  step: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export class AdamW {
  readonly config: AdamWConfig;
  private readonly vars: Record<string, tf.Variable>;
  private readonly m: Record<string, tf.Variable> = {};
  private readonly v: Record<string, tf.Variable> = {};
  /** Number of updates applied so far (t in the bias corrections). */
  step = 0;

  constructor(vars: Record<string, tf.Variable>, config: Partial<AdamWConfig> = {}) {
    this.config = { ...ADAMW_DEFAULTS, ...config };
    this.vars = vars;
    // Slots are created up front so the tensor count is the same before and after the first step.
    for (const [n, p] of Object.entries(vars)) {
      this.m[n] = tf.variable(tf.zerosLike(p), false);
      this.v[n] = tf.variable(tf.zerosLike(p), false);
    }
  }

  /** One update with learning rate `lr`. `grads` must hold a gradient for every variable. */
  apply(grads: Record<string, tf.Tensor>, lr: number): void {
    const { beta1, beta2, eps, weightDecay } = this.config;
    this.step += 1;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    tf.tidy(() => {
      for (const [n, p] of Object.entries(this.vars)) {
        const g = grads[n];
        if (!g) throw new Error(`AdamW: no gradient for '${n}'`);
        const m = tf.add(tf.mul(this.m[n], beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[n], beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[n].assign(m);
        this.v[n].assign(v);
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), eps));
        const decayed = weightDecay > 0 && p.rank >= 2 ? tf.mul(p, 1 - lr * weightDecay) : p;
        p.assign(tf.sub(decayed, tf.mul(update, lr)));
      }
    });
  }

  async getState(): Promise<AdamWState> {
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    for (const n of Object.keys(this.vars)) {
      m[n] = (await this.m[n].data()) as Float32Array;
      v[n] = (await this.v[n].data()) as Float32Array;
    }
    return { step: this.step, m, v };
  }

  setState(s: AdamWState): void {
    for (const n of Object.keys(this.vars)) {
      for (const [slot, src] of [[this.m, s.m], [this.v, s.v]] as const) {
        const a = src[n];
        if (!a || a.length !== slot[n].size) throw new Error(`AdamW state: slot for '${n}' missing or wrong size`);
        tf.tidy(() => slot[n].assign(tf.tensor(a, slot[n].shape, 'float32')));
      }
    }
    this.step = s.step;
  }

  dispose(): void {
    for (const n of Object.keys(this.vars)) {
      this.m[n].dispose();
      this.v[n].dispose();
    }
  }
}
