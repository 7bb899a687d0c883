import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/engine/backend';
import { grpoSurrogate, grpoSurrogateLoss, readSurrogateDiagnostics, disposeSurrogateDiagnostics, ClipMode } from '../src/model/surrogate';
import { clippedTermGradient } from '../src/theory/clipGradient';

beforeAll(async () => {
  await initBackend({ quiet: true });
});

// Ratios chosen at least 0.01 away from the kinks 0.8 / 1.2 (and 0.9 / 1.3 for the asymmetric case).
const RATIOS = [
  [0.5, 0.85, 1.0, 1.1, 1.25, 1.6],
  [0.7, 0.95, 1.35, 0.78, 1.05, 2.0],
  [1.0, 1.19, 0.81, 0.6, 1.5, 0.99],
  [0.3, 1.4, 1.15, 0.87, 1.22, 1.02],
];
const ADV = [1.3, -0.7, 0.0, -2.1];
// Variable response lengths: response i has LENGTHS[i] tokens (the rest is padding).
const LENGTHS = [6, 3, 5, 1];
const OLD = RATIOS.map((row, i) => row.map((_, t) => -0.3 - 0.1 * t - 0.05 * i));

function makeInputs() {
  const mask = LENGTHS.map((L) => RATIOS[0].map((_, t) => (t < L ? 1 : 0)));
  return {
    newLogProbs: tf.tensor2d(RATIOS.map((row, i) => row.map((r, t) => OLD[i][t] + Math.log(r)))),
    oldLogProbs: tf.tensor2d(OLD),
    advantages: tf.tensor1d(ADV),
    mask: tf.tensor2d(mask),
  };
}

/** Reference computed in plain JS, independently of tfjs. */
function reference(mode: ClipMode, epsLow: number, epsHigh: number) {
  const N = RATIOS.length;
  let J = 0;
  let high = 0;
  let low = 0;
  let dev = 0;
  let tokens = 0;
  const dLossDNew = RATIOS.map((row) => row.map(() => 0));
  RATIOS.forEach((row, i) => {
    const A = ADV[i];
    const L = LENGTHS[i];
    let sum = 0;
    for (let t = 0; t < L; t++) {
      const r = row[t];
      const clipped = Math.min(Math.max(r, 1 - epsLow), 1 + epsHigh);
      sum += mode === 'clip' ? Math.min(r * A, clipped * A) : r * A;
      // d(−J)/d newLogProb = −(1/N)(1/L)·(∂objective/∂ρ)·ρ
      const g = mode === 'clip' ? clippedTermGradient(r, A, epsLow, epsHigh) : A;
      dLossDNew[i][t] = -(g * r) / (N * L);
      if (A > 0 && r > 1 + epsHigh) high++;
      if (A < 0 && r < 1 - epsLow) low++;
      dev += Math.abs(r - 1);
      tokens++;
    }
    J += sum / L / N;
  });
  return { loss: -J, dLossDNew, clipFracHigh: high / tokens, clipFracLow: low / tokens, meanAbsRatioDev: dev / tokens };
}

const cases: [ClipMode, number, number][] = [
  ['clip', 0.2, 0.2],
  ['clip', 0.1, 0.3],
  ['noclip', 0.2, 0.2],
];

describe.each(cases)('grpoSurrogate %s (ε_low=%p, ε_high=%p)', (clipMode, epsLow, epsHigh) => {
  test('loss, gradient w.r.t. newLogProbs and diagnostics match the piecewise formula', async () => {
    const inputs = makeInputs();
    const ref = reference(clipMode, epsLow, epsHigh);
    const lossOf = (newLogProbs: tf.Tensor) =>
      grpoSurrogateLoss({ ...inputs, newLogProbs: newLogProbs as tf.Tensor2D, epsLow, epsHigh, clipMode });
    const { value, grad } = tf.valueAndGrad(lossOf)(inputs.newLogProbs);
    expect(value.dataSync()[0]).toBeCloseTo(ref.loss, 5);
    const g = (await grad.array()) as number[][];
    g.forEach((row, i) => row.forEach((v, t) => expect(v).toBeCloseTo(ref.dLossDNew[i][t], 5)));

    const { loss, diagnostics } = grpoSurrogate({ ...inputs, epsLow, epsHigh, clipMode });
    const d = await readSurrogateDiagnostics(diagnostics);
    expect(d.clipFracHigh).toBeCloseTo(ref.clipFracHigh, 6);
    expect(d.clipFracLow).toBeCloseTo(ref.clipFracLow, 6);
    expect(d.meanAbsRatioDev).toBeCloseTo(ref.meanAbsRatioDev, 5);
    tf.dispose([value, grad, loss, ...Object.values(inputs)]);
  });
});

test('the constructed batch actually exercises both clipped branches', () => {
  const ref = reference('clip', 0.2, 0.2);
  expect(ref.clipFracHigh).toBeGreaterThan(0);
  expect(ref.clipFracLow).toBeGreaterThan(0);
  // and clipping changes the gradient somewhere, so clip vs noclip is a real test
  const noclip = reference('noclip', 0.2, 0.2);
  const differs = ref.dLossDNew.some((row, i) => row.some((v, t) => Math.abs(v - noclip.dLossDNew[i][t]) > 1e-3));
  expect(differs).toBe(true);
});

test('at ρ = 1 (π_θ = π_old) clip and noclip coincide', () => {
  const old = tf.tensor2d([[-0.5, -1.0], [-2.0, -0.1]]);
  const adv = tf.tensor1d([1, -1]);
  const mask = tf.ones([2, 2]) as tf.Tensor2D;
  const g = (mode: ClipMode) =>
    tf.grad((x: tf.Tensor) => grpoSurrogateLoss({ newLogProbs: x as tf.Tensor2D, oldLogProbs: old, advantages: adv, mask, clipMode: mode }))(old);
  const a = g('clip');
  const b = g('noclip');
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  tf.dispose([old, adv, mask, a, b]);
});

test('no tensor leaks: plain call, inside variableGrads, and readSurrogateDiagnostics', async () => {
  const inputs = makeInputs();
  const theta = tf.variable(inputs.newLogProbs);
  // burn-in (first-call kernels/constants)
  disposeSurrogateDiagnostics(grpoSurrogate({ ...inputs }).diagnostics);
  const before = tf.memory().numTensors;

  const out = grpoSurrogate({ ...inputs, epsLow: 0.1, epsHigh: 0.3 });
  out.loss.dispose();
  await readSurrogateDiagnostics(out.diagnostics);
  expect(tf.memory().numTensors).toBe(before);

  let kept: ReturnType<typeof grpoSurrogate>['diagnostics'] | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const o = grpoSurrogate({ ...inputs, newLogProbs: theta.add(0) as tf.Tensor2D });
    kept = o.diagnostics;
    return o.loss;
  }, [theta]);
  expect(grads[theta.name].shape).toEqual([4, 6]);
  const d = await readSurrogateDiagnostics(kept!);
  expect(d.clipFracHigh).toBeGreaterThan(0);
  tf.dispose([value, ...Object.values(grads)]);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([theta, ...Object.values(inputs)]);
});

test('rejects mismatched shapes and bad ε with the offending numbers', () => {
  const inputs = makeInputs();
  const badAdv = tf.tensor1d([1, 2]);
  expect(() => grpoSurrogate({ ...inputs, advantages: badAdv })).toThrow(/2 entries, expected N=4/);
  expect(() => grpoSurrogate({ ...inputs, epsLow: 1.5 })).toThrow(/epsLow=1.5/);
  tf.dispose([badAdv, ...Object.values(inputs)]);
});

describe('optional KL penalty (β · k3 to π_ref)', () => {
  it('adds β times the per-response mean of exp(ref−new)−(ref−new)−1, and its gradient pulls new toward ref', () => {
    const inputs = makeInputs();
    const REF = OLD.map((row, i) => row.map((o, t) => o + 0.1 * (t - 2) - 0.05 * i));
    const beta = 0.3;
    const refLogProbs = tf.tensor2d(REF);
    const newLp = inputs.newLogProbs.arraySync();
    const base = grpoSurrogateLoss(inputs);
    const withKl = grpoSurrogateLoss({ ...inputs, klCoef: beta, refLogProbs });
    let expected = 0;
    LENGTHS.forEach((L, i) => {
      let s = 0;
      for (let t = 0; t < L; t++) { const d = REF[i][t] - newLp[i][t]; s += Math.exp(d) - d - 1; }
      expected += s / L;
    });
    expected = (beta * expected) / LENGTHS.length;
    expect(withKl.dataSync()[0] - base.dataSync()[0]).toBeCloseTo(expected, 5);
    // d/dnew of β·k3 = β(1 − exp(ref − new)): with Â = 0 everywhere only the KL term acts.
    const zeroAdv = { ...inputs, advantages: tf.zeros([4]) as tf.Tensor1D, klCoef: beta, refLogProbs };
    const g = tf.grad((x: tf.Tensor) => grpoSurrogateLoss({ ...zeroAdv, newLogProbs: x as tf.Tensor2D }))(inputs.newLogProbs).arraySync() as number[][];
    LENGTHS.forEach((L, i) => {
      for (let t = 0; t < L; t++) {
        const want = (beta * (1 - Math.exp(REF[i][t] - newLp[i][t]))) / L / LENGTHS.length;
        expect(g[i][t]).toBeCloseTo(want, 5);
      }
    });
    tf.dispose([base, withKl, refLogProbs]);
  });

  it('refuses β > 0 without reference log-probs', () => {
    expect(() => grpoSurrogate({ ...makeInputs(), klCoef: 0.1 })).toThrow(/klCoef > 0 needs refLogProbs/);
  });
});
