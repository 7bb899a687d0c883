import {
  column,
  longTailPrior,
  meanCI,
  meanTrajectory,
  proportionCI,
  resolveClipSim,
  sampleCategorical,
  simulateClipBias,
  softmaxInto,
  summariseClipSim,
  ClipSimConfig,
} from '../src/theory';

const base: Partial<ClipSimConfig> = { prior: [0.65, 0.35], groupSize: 16, gamma: 0.5, updateScheme: 'minibatches' };

describe('summary helpers', () => {
  test('meanCI and proportionCI against hand formulas', () => {
    const xs = [1, 2, 3, 4, 5, 6];
    const m = meanCI(xs);
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - 3.5) ** 2, 0) / 5);
    expect(m.mean).toBe(3.5);
    expect(m.se).toBeCloseTo(sd / Math.sqrt(6), 12);
    expect(m.hi - m.lo).toBeCloseTo((2 * 1.96 * sd) / Math.sqrt(6), 3);
    const p = proportionCI(0, 50);
    expect(p.lo).toBeCloseTo(0, 12);
    expect(p.hi).toBeGreaterThan(0.05);
    const q = proportionCI(30, 60);
    expect(q.lo + q.hi).toBeCloseTo(1, 12);
  });

  test('softmax and categorical sampling', () => {
    const pi = softmaxInto([Math.log(0.2), Math.log(0.5), Math.log(0.3)], new Float64Array(3));
    expect(Array.from(pi).map((x) => +x.toFixed(12))).toEqual([0.2, 0.5, 0.3]);
    expect([0, 0.19, 0.21, 0.69, 0.71, 0.999].map((u) => sampleCategorical(pi, u))).toEqual([0, 0, 1, 1, 2, 2]);
  });

  test('config validation names the offending numbers', () => {
    expect(() => resolveClipSim({ prior: [0.5, 0.6] })).toThrow(/sum 1.1/);
    expect(() => resolveClipSim({ updatesPerRollout: 3, updateScheme: 'minibatches' })).toThrow(/16.*3/);
  });
});

describe('simulation: controls', () => {
  test('deterministic per seed; trajectories have the documented shape', () => {
    const a = simulateClipBias({ ...base, lr: 1, updatesPerRollout: 4, clipMode: 'clip', steps: 20, seeds: 5 });
    const b = simulateClipBias({ ...base, lr: 1, updatesPerRollout: 4, clipMode: 'clip', steps: 20, seeds: 5 });
    expect(a.majorityProb).toEqual(b.majorityProb);
    expect(a.majorityProb.length).toBe(5 * 21);
    expect(column(a.majorityProb, 5, 0).every((p) => Math.abs(p - 0.65) < 1e-12)).toBe(true);
    expect(meanTrajectory(a.entropy, 5).length).toBe(21);
  });

  test('γ = 0: every advantage is 0, nothing moves', () => {
    const r = simulateClipBias({ ...base, gamma: 0, lr: 1, updatesPerRollout: 8, clipMode: 'clip', steps: 30, seeds: 20 });
    expect(r.majorityProb.every((p) => Math.abs(p - 0.65) < 1e-12)).toBe(true);
  });

  test('k = 1: ρ = 1 at every update, so clip and noclip are identical', () => {
    for (const updateScheme of ['minibatches', 'epochs'] as const) {
      const clip = simulateClipBias({ ...base, updateScheme, lr: 1, updatesPerRollout: 1, clipMode: 'clip', steps: 50, seeds: 30 });
      const noclip = simulateClipBias({ ...base, updateScheme, lr: 1, updatesPerRollout: 1, clipMode: 'noclip', steps: 50, seeds: 30 });
      expect(clip.majorityProb).toEqual(noclip.majorityProb);
      expect(clip.clipFracHigh.every((x) => x === 0)).toBe(true);
      // but the runs do move (the control is not vacuous)
      expect(summariseClipSim(clip).entropyDrop.mean).toBeGreaterThan(0.05);
    }
  });

  // Speed (200 seeds × 200 phases in seconds) is shown by `npm run clip-bias`, not asserted: timed tests fail on a busy machine.
});

describe('simulation: the clipping bias', () => {
  // One rollout phase from π_0 with many seeds: the expected update of the centred majority logit.
  const drift = (o: Partial<ClipSimConfig>) =>
    summariseClipSim(simulateClipBias({ ...base, steps: 1, seeds: 8000, ...o })).logitChange;

  test('no clip: the majority logit is a martingale; clip: it drifts up, beyond the no-clip CI', () => {
    const noclip = drift({ lr: 1, updatesPerRollout: 8, clipMode: 'noclip' });
    const clip = drift({ lr: 1, updatesPerRollout: 8, clipMode: 'clip' });
    expect(noclip.lo).toBeLessThan(0);
    expect(noclip.hi).toBeGreaterThan(0);
    expect(clip.lo).toBeGreaterThan(noclip.hi);
  });

  test('the drift grows with η and with k', () => {
    const d = (lr: number, k: number) => drift({ lr, updatesPerRollout: k, clipMode: 'clip' }).mean;
    const small = d(0.25, 8);
    const large = d(1, 8);
    expect(large).toBeGreaterThan(2 * small);
    expect(d(1, 8)).toBeGreaterThan(d(1, 2));
  });

  test('over 60 phases: mean π_T(majority) under clip exceeds the no-clip CI', () => {
    const o = { ...base, lr: 1, updatesPerRollout: 8, steps: 60, seeds: 400 };
    const noclip = summariseClipSim(simulateClipBias({ ...o, clipMode: 'noclip' }));
    const clip = summariseClipSim(simulateClipBias({ ...o, clipMode: 'clip' }));
    expect(clip.pT.mean).toBeGreaterThan(noclip.pT.hi);
    expect(clip.majorityWins.p).toBeGreaterThan(noclip.majorityWins.p);
    expect(clip.logitChange.lo).toBeGreaterThan(0);
    // no clip: the logit (not π, which is a nonlinear function of it) stays a martingale
    expect(noclip.logitChange.lo).toBeLessThan(0);
    expect(noclip.logitChange.hi).toBeGreaterThan(0);
  });

  test('long-tail prior: with clipping the tail loses logit relative to no clipping', () => {
    const o = { ...base, prior: longTailPrior(), lr: 1, updatesPerRollout: 8, steps: 100, seeds: 200 };
    const noclip = summariseClipSim(simulateClipBias({ ...o, clipMode: 'noclip' }));
    const clip = summariseClipSim(simulateClipBias({ ...o, clipMode: 'clip' }));
    expect(clip.logitChange.lo).toBeGreaterThan(noclip.logitChange.hi);
    expect(clip.tailMassChange.mean).toBeLessThan(noclip.tailMassChange.mean);
  });
});
