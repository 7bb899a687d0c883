/**
 * GRPO's clipped surrogate, defined once (Paper A, Appendix A; Appendix B for why the clip matters).
 *
 *   ratio ρ_t        = π_θ(y_t | x, y_<t) / π_old(y_t | x, y_<t) = exp(newLogProb − oldLogProb)
 *   clippedRatio     = clip(ρ_t, 1 − ε_low, 1 + ε_high)
 *   objective_t      = min(ρ_t · Â, clippedRatio_t · Â)        ('clip', the paper's default)
 *                    = ρ_t · Â                                 ('noclip', ablation (i) of Fig. 11)
 *   J                = mean over responses of (mean over that response's tokens of objective_t)
 *                      (aggregation 'token-mean': one mean over every response token instead)
 *   loss             = −J   (this module returns the quantity to MINIMISE)
 *
 * Optional KL penalty (off in the paper, β = 0): objective_t −= β · k3_t with the k3 estimator
 * k3_t = exp(ref_t − new_t) − (ref_t − new_t) − 1 of KL(π_θ‖π_ref) (DeepSeekMath's GRPO), where
 * ref_t is the token's log-prob under the starting model.
 *
 * Gradient convention at the kinks ρ = 1 ± ε: tfjs's Minimum gradient routes dy to the first
 * argument when a ≤ b and ClipByValue passes the gradient when min ≤ x ≤ max, so the band is
 * CLOSED: at ρ exactly 1 ± ε the token still receives Â·∇ρ. `src/theory/clipGradient.ts`
 * writes the same convention as a formula and `checkPiecewiseAgainstAutograd` proves they agree.
 *
 * Memory: everything intermediate is tidied. `loss` and the diagnostic scalars are the only
 * tensors that outlive the call; the diagnostics are `tf.keep`-ed so they also survive the
 * tidy that `tf.variableGrads` wraps around a loss closure. The caller owns them:
 * dispose them, or use `readSurrogateDiagnostics`, which reads and disposes in one go.
 */
import * as tf from '@tensorflow/tfjs';

/** 'clip': min(ρÂ, clip(ρ)Â) as in GRPO/PPO. 'noclip': ρÂ, the "clip term removed" ablation. */
export type ClipMode = 'clip' | 'noclip';

/** 'sequence-mean': mean over responses of each response's token mean (the paper's). 'token-mean': one mean over all response tokens (OpenRLHF ≥ 0.8). */
export type LossAggregation = 'sequence-mean' | 'token-mean';

export interface SurrogateInputs {
  /** log π_θ of each sampled token, [N, T]; the only input gradients flow through. */
  newLogProbs: tf.Tensor2D;
  /** log π_old of the same tokens, [N, T]; treated as a constant. */
  oldLogProbs: tf.Tensor2D;
  /** Â, one advantage per response, [N] (GRPO broadcasts it to every token of the response). */
  advantages: tf.Tensor1D;
  /** 1 for response tokens, 0 for prompt/padding, [N, T]. */
  mask: tf.Tensor2D;
  /** ε_low: the band's lower edge is 1 − ε_low. Default 0.2 (Paper A, Appendix A). */
  epsLow?: number;
  /** ε_high: the band's upper edge is 1 + ε_high. Default 0.2. */
  epsHigh?: number;
  /** Default 'clip'. */
  clipMode?: ClipMode;
  /** log π_ref of the same tokens, [N, T]; needed when klCoef > 0. */
  refLogProbs?: tf.Tensor2D;
  /** β: weight of the k3 KL(π_θ‖π_ref) penalty. Default 0 (the paper's setting). */
  klCoef?: number;
  /** Default 'sequence-mean'. */
  aggregation?: LossAggregation;
}

/**
 * Diagnostics, as scalar tensors (kept; the caller disposes them). All are token-level
 * fractions/means over the masked response tokens of the whole batch (not per response).
 */
export interface SurrogateDiagnosticTensors {
  /** Fraction of tokens with Â > 0 and ρ > 1 + ε_high: the clip zeroes their gradient ("clipped high"). */
  clipFracHigh: tf.Scalar;
  /** Fraction of tokens with Â < 0 and ρ < 1 − ε_low: the clip zeroes their gradient ("clipped low"). */
  clipFracLow: tf.Scalar;
  /** Mean |ρ − 1|: how far the policy has moved from π_old on the sampled tokens. */
  meanAbsRatioDev: tf.Scalar;
}

/** The same diagnostics as plain numbers. */
export interface SurrogateDiagnostics {
  clipFracHigh: number;
  clipFracLow: number;
  meanAbsRatioDev: number;
}

export interface SurrogateOutput {
  /** −J, a scalar to minimise. Differentiable w.r.t. newLogProbs. */
  loss: tf.Scalar;
  diagnostics: SurrogateDiagnosticTensors;
}

export const DEFAULT_EPS = 0.2;

/**
 * Aggregation (a separate step on purpose): mean over each response's tokens, then mean over
 * responses, the paper's choice (= TRL's loss_type "grpo"). Every response weighs the same
 * whatever its length; the known cost is a length bias (a long wrong answer is penalised less
 * per token), which alternatives such as token-sum / constant (Dr. GRPO) avoid.
 * perToken, mask: [N, T] → scalar. Responses with no tokens contribute 0 (their count is clamped to 1).
 */
export function aggregatePerResponseMean(perToken: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const tokenCount = tf.maximum(tf.sum(mask, 1), 1); // [N]
    const perResponse = tf.div(tf.sum(tf.mul(perToken, mask), 1), tokenCount); // [N]
    return tf.mean(perResponse) as tf.Scalar;
  });
}

/** Token-mean aggregation: Σ over every masked token / number of masked tokens (long responses weigh more). */
export function aggregateTokenMean(perToken: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.div(tf.sum(tf.mul(perToken, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar);
}

/** The clipped (or unclipped) surrogate loss and its diagnostics. See the module comment. */
export function grpoSurrogate(inputs: SurrogateInputs): SurrogateOutput {
  const epsLow = inputs.epsLow ?? DEFAULT_EPS;
  const epsHigh = inputs.epsHigh ?? DEFAULT_EPS;
  const clipMode = inputs.clipMode ?? 'clip';
  validate(inputs, epsLow, epsHigh);

  // Assigned inside the tidy; the cast stops TS narrowing it to `null` across the closure.
  let diagnostics = null as SurrogateDiagnosticTensors | null;
  const loss = tf.tidy(() => {
    const { newLogProbs, oldLogProbs, mask } = inputs;
    const advantage = tf.expandDims(inputs.advantages, 1); // [N, 1], broadcast over tokens

    const ratio = tf.exp(tf.sub(newLogProbs, oldLogProbs)); // ρ, [N, T]
    const unclippedObjective = tf.mul(ratio, advantage); // ρÂ
    let objective: tf.Tensor2D;
    if (clipMode === 'clip') {
      const clippedRatio = tf.clipByValue(ratio, 1 - epsLow, 1 + epsHigh);
      objective = tf.minimum(unclippedObjective, tf.mul(clippedRatio, advantage)) as tf.Tensor2D;
    } else {
      objective = unclippedObjective as tf.Tensor2D;
    }
    if (inputs.klCoef && inputs.refLogProbs) {
      const logRefOverNew = tf.sub(inputs.refLogProbs, newLogProbs);
      const k3 = tf.sub(tf.sub(tf.exp(logRefOverNew), logRefOverNew), 1);
      objective = tf.sub(objective, tf.mul(k3, inputs.klCoef)) as tf.Tensor2D;
    }
    const J = inputs.aggregation === 'token-mean' ? aggregateTokenMean(objective, mask) : aggregatePerResponseMean(objective, mask);

    // Diagnostics. They do not feed the loss, so no gradient flows through them.
    const nTokens = tf.maximum(tf.sum(mask), 1);
    const tokenFraction = (indicator: tf.Tensor): tf.Scalar =>
      tf.div(tf.sum(tf.mul(tf.cast(indicator, 'float32'), mask)), nTokens) as tf.Scalar;
    const positive = tf.greater(advantage, 0);
    const negative = tf.less(advantage, 0);
    diagnostics = {
      clipFracHigh: tf.keep(tokenFraction(tf.logicalAnd(positive, tf.greater(ratio, 1 + epsHigh)))),
      clipFracLow: tf.keep(tokenFraction(tf.logicalAnd(negative, tf.less(ratio, 1 - epsLow)))),
      meanAbsRatioDev: tf.keep(
        tf.div(tf.sum(tf.mul(tf.abs(tf.sub(ratio, 1)), mask)), nTokens) as tf.Scalar,
      ),
    };
    return tf.neg(J) as tf.Scalar;
  });
  return { loss, diagnostics: diagnostics! };
}

/** Convenience: just the loss (disposes the diagnostics). Use inside tf.variableGrads / minimize. */
export function grpoSurrogateLoss(inputs: SurrogateInputs): tf.Scalar {
  const { loss, diagnostics } = grpoSurrogate(inputs);
  disposeSurrogateDiagnostics(diagnostics);
  return loss;
}

export function disposeSurrogateDiagnostics(d: SurrogateDiagnosticTensors): void {
  tf.dispose([d.clipFracHigh, d.clipFracLow, d.meanAbsRatioDev]);
}

/** One batched read of the diagnostic scalars, then disposes them. */
export async function readSurrogateDiagnostics(d: SurrogateDiagnosticTensors): Promise<SurrogateDiagnostics> {
  const stacked = tf.stack([d.clipFracHigh, d.clipFracLow, d.meanAbsRatioDev]);
  try {
    const [clipFracHigh, clipFracLow, meanAbsRatioDev] = Array.from(await stacked.data());
    return { clipFracHigh, clipFracLow, meanAbsRatioDev };
  } finally {
    stacked.dispose();
    disposeSurrogateDiagnostics(d);
  }
}

function validate(inputs: SurrogateInputs, epsLow: number, epsHigh: number): void {
  const [n, t] = inputs.newLogProbs.shape;
  const same = (s: number[]) => s.length === 2 && s[0] === n && s[1] === t;
  if (!same(inputs.oldLogProbs.shape) || !same(inputs.mask.shape)) {
    throw new Error(
      `grpoSurrogate: newLogProbs ${JSON.stringify(inputs.newLogProbs.shape)}, oldLogProbs ` +
        `${JSON.stringify(inputs.oldLogProbs.shape)} and mask ${JSON.stringify(inputs.mask.shape)} must all be [N, T]`,
    );
  }
  if (inputs.klCoef !== undefined && !(inputs.klCoef >= 0)) throw new Error(`grpoSurrogate: klCoef must be ≥ 0, got ${inputs.klCoef}`);
  if (inputs.klCoef && !(inputs.refLogProbs && same(inputs.refLogProbs.shape))) {
    throw new Error(`grpoSurrogate: klCoef > 0 needs refLogProbs of shape [N, T] = [${n}, ${t}]`);
  }
  if (inputs.advantages.shape[0] !== n) {
    throw new Error(`grpoSurrogate: advantages has ${inputs.advantages.shape[0]} entries, expected N=${n}`);
  }
  if (!(epsLow >= 0 && epsLow < 1) || !(epsHigh >= 0)) {
    throw new Error(`grpoSurrogate: need 0 ≤ epsLow < 1 and epsHigh ≥ 0, got epsLow=${epsLow}, epsHigh=${epsHigh}`);
  }
}
