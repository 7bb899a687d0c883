import {
  behaviourLogitChanges,
  clipBandSpec,
  clipSummaryMarkdown,
  clipSweepSpec,
  clipTrajectorySpec,
  gammaSweep,
  runClipPair,
  simProvenance,
  trajectoryBand,
} from '../src/plot/index';
import { meanCI, resolveClipSim, simulateClipBias } from '../src/theory/index';

describe('clip-bias figure builders', () => {
  const pair = runClipPair({ steps: 20 }, 6);

  it('trajectoryBand: per-step mean/CI of the columns, relative to each run start when asked', () => {
    const seeds = 3;
    const traj = Float64Array.from([0, 1, 2, 1, 1, 1, 2, 4, 6]); // 3 runs × 3 steps
    const b = trajectoryBand(traj, seeds);
    expect(b.t).toEqual([0, 1, 2]);
    expect(b.mean[2]).toBeCloseTo(3, 12);
    expect(b.lo[2]).toBeCloseTo(meanCI([2, 1, 6]).lo, 12);
    const rel = trajectoryBand(traj, seeds, true);
    expect(rel.mean).toEqual([0, (1 + 0 + 2) / 3, (2 + 0 + 4) / 3]);
    expect(() => trajectoryBand(traj.subarray(0, 3), 1)).toThrow(/≥ 2 seeds/);
  });

  it('behaviourLogitChanges equals the simulator\'s centred-logit change for the majority', () => {
    const r = pair.clip;
    const T = r.config.steps;
    const changes = behaviourLogitChanges(r);
    const direct = Array.from({ length: r.config.seeds }, (_, s) => r.majorityLogit[s * (T + 1) + T] - r.majorityLogit[s * (T + 1)]);
    expect(changes[r.majority].mean).toBeCloseTo(meanCI(direct).mean, 9);
    // centred: the changes sum to zero across behaviours
    expect(changes.reduce((a, m) => a + m.mean, 0)).toBeCloseTo(0, 9);
  });

  it('runClipPair runs the same seeds with and without the clip; k = 1 makes them identical', () => {
    expect(pair.clip.config.clipMode).toBe('clip');
    expect(pair.noclip.config.clipMode).toBe('noclip');
    expect(pair.clip.config.seeds).toBe(6);
    const k1 = runClipPair({ steps: 15, updatesPerRollout: 1 }, 4);
    expect(Array.from(k1.clip.majorityProb)).toEqual(Array.from(k1.noclip.majorityProb));
  });

  it('every figure says it is ours, with seeds for simulations', () => {
    const traj = clipTrajectorySpec(pair, 2);
    expect(traj.provenance).toMatch(/^ours — toy simulation/);
    expect(traj.provenance).toContain('seeds 1–6');
    expect(JSON.stringify(traj.layout)).toContain('ours — toy simulation');
    const sweep = clipSweepSpec(gammaSweep(3, [0, 0.5]), { title: 't', xTitle: 'γ', varied: ['gamma'], variedText: 'γ ∈ {0, 0.5}' });
    expect(sweep.provenance).toContain('seeds 1–3 per cell');
    expect(sweep.provenance).not.toContain('γ = 0.5,');
    expect(clipBandSpec().provenance).toMatch(/^ours — exact formula/);
    const c = resolveClipSim({ seeds: 5, firstSeed: 10 });
    expect(simProvenance(c)).toContain('seeds 10–14');
  });

  it('γ = 0 gives no movement at all (μ = 0)', () => {
    const r = simulateClipBias({ gamma: 0, seeds: 3, steps: 10, updateScheme: 'minibatches', updatesPerRollout: 8, lr: 1 });
    expect(new Set(Array.from(r.majorityProb)).size).toBe(1);
  });

  it('summary table has one row per run', () => {
    const md = clipSummaryMarkdown([{ label: 'a', result: pair.noclip }, { label: 'a', result: pair.clip }]);
    expect(md.split('\n')).toHaveLength(4);
    expect(md).toContain('clip, ε = 0.2');
  });
});
