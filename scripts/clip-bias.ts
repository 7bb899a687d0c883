/**
 * The clipping bias in numbers: a softmax policy over behaviours trained by GRPO on random
 * rewards (γ = 0.5, G = 16, ε = 0.2), clip vs no clip, for two step sizes η and two numbers
 * of updates per rollout phase k. Usage: npx tsx scripts/clip-bias.ts [--seeds 400] [--steps 200]
 *
 * Columns: π_T(majority) mean ± 95% CI over seeds (π_0 in the first column); Δlogit = change of
 * the centred majority logit (the quantity that is an exact martingale without clipping);
 * wins = fraction of seeds whose final argmax is the initial majority; ΔH = entropy drop (nats);
 * clip hi/lo = sign-aware fraction of (sample, update) pairs whose gradient the clip zeroed.
 */
import {
  ClipSimConfig,
  ClipSimSummary,
  DEFAULT_CLIP_SIM,
  longTailPrior,
  MeanCI,
  simulateClipBias,
  summariseClipSim,
} from '../src/theory';
import { parseFlags } from './cli';

let flags;
try {
  flags = parseFlags({ seeds: { type: 'number', integer: true, min: 1, default: 400 }, steps: { type: 'number', integer: true, min: 1, default: 200 } });
} catch (e) {
  console.error(`clip-bias: ${(e as Error).message}`);
  process.exit(1);
}
const { seeds, steps } = flags;
const ci = (m: MeanCI, d = 3) => `${m.mean.toFixed(d)} ± ${((m.hi - m.lo) / 2).toFixed(d)}`;

interface Row { label: string; o: Partial<ClipSimConfig> }
function table(title: string, rows: Row[], extra?: (s: ClipSimSummary) => string, extraHeader = ''): void {
  console.log(`\n### ${title}\n`);
  console.log(`| setting | mode | π_0 | π_T(majority) | Δlogit | wins | ΔH | clip hi / lo |${extraHeader}`);
  const extraColumns = (extraHeader.match(/\|/g) ?? []).length;
  console.log(`|---|---|---|---|---|---|---|---|${'---|'.repeat(extraColumns)}`);
  for (const { label, o } of rows) {
    for (const clipMode of ['noclip', 'clip'] as const) {
      const s = summariseClipSim(simulateClipBias({ seeds, steps, updateScheme: 'minibatches', ...o, clipMode }));
      const wins = `${s.majorityWins.p.toFixed(2)} [${s.majorityWins.lo.toFixed(2)}, ${s.majorityWins.hi.toFixed(2)}]`;
      console.log(
        `| ${label} | ${clipMode} | ${s.p0.toFixed(2)} | ${ci(s.pT)} | ${ci(s.logitChange, 2)} | ${wins} | ${ci(s.entropyDrop)} | ` +
          `${s.clipFracHigh.toFixed(3)} / ${s.clipFracLow.toFixed(3)} |${extra ? ` ${extra(s)} |` : ''}`,
      );
    }
  }
}

const t0 = Date.now();
console.log(
  `Clipping bias under random rewards: γ=${DEFAULT_CLIP_SIM.gamma}, G=${DEFAULT_CLIP_SIM.groupSize}, ε=${DEFAULT_CLIP_SIM.epsLow}, ` +
    `${steps} rollout phases, ${seeds} seeds per cell, ± = 95% CI half-width. Default update scheme: 'minibatches' ` +
    `(the group split into k mini-batches, one update each, as in Paper A's 8 mini-batches per rollout).`,
);

table('Main grid: prior [0.65, 0.35]', [
  { label: 'η=0.25, k=2', o: { lr: 0.25, updatesPerRollout: 2 } },
  { label: 'η=0.25, k=8', o: { lr: 0.25, updatesPerRollout: 8 } },
  { label: 'η=1, k=2', o: { lr: 1, updatesPerRollout: 2 } },
  { label: 'η=1, k=8', o: { lr: 1, updatesPerRollout: 8 } },
]);

table('Controls: k=1 (ρ=1 always) and γ=0 (no signal)', [
  { label: 'η=1, k=1', o: { lr: 1, updatesPerRollout: 1 } },
  { label: 'η=1, k=8, γ=0', o: { lr: 1, updatesPerRollout: 8, gamma: 0 } },
]);

table('Prior above 1/(1+ε): [0.85, 0.15] (the majority can never be clipped upward)', [
  { label: 'η=1, k=8', o: { prior: [0.85, 0.15], lr: 1, updatesPerRollout: 8 } },
]);

table(
  `Long-tail prior: [${longTailPrior().slice(0, 3).map((p) => p.toFixed(2)).join(', ')}] + 20 tail behaviours of 0.01`,
  [{ label: 'η=1, k=8', o: { prior: longTailPrior(), lr: 1, updatesPerRollout: 8 } }],
  (s) => `${ci(s.tailMassChange)} | ${ci(s.tailLogitChange, 3)}`,
  ' tail mass Δ | tail logit Δ |',
);

table("PPO-style 'epochs' scheme (k passes over the same group)", [
  { label: 'η=1, k=8, epochs', o: { lr: 1, updatesPerRollout: 8, updateScheme: 'epochs' } },
]);

console.log(`\n(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
