/**
 * The words around notebook 04's clip-bias figures: each simulation's provenance line and the
 * markdown tables of its summaries (the figures themselves are src/plot/clipBias.ts).
 */
import { summariseClipSim, type ClipSimConfig, type ClipSimResult, type ClipSweepCell, type MeanCI, type SimClipMode } from '../theory/index';

export const CLIP_MODE_LABELS: Readonly<Record<SimClipMode, string>> = Object.freeze({ noclip: 'no clip (ρÂ)', clip: 'clip, ε = 0.2' });

/** A number to three significant digits, without trailing zeros. */
export const fmtNum = (v: number): string => String(Number(v.toPrecision(3)));

/**
 * "ours — toy simulation …" line for a figure, listing the fixed parameters of `c` except the
 * ones in `varied` (described by `variedText`), the seeds and what the intervals are.
 */
export function simProvenance(c: ClipSimConfig, varied: readonly string[] = [], variedText = ''): string {
  const parts: string[] = [];
  const add = (key: string, text: string) => {
    if (!varied.includes(key)) parts.push(text);
  };
  add('prior', c.prior.length <= 4 ? `prior [${c.prior.map(fmtNum).join(', ')}]` : `${c.prior.length}-behaviour prior`);
  parts.push(`G = ${c.groupSize}`);
  add('gamma', `γ = ${fmtNum(c.gamma)}`);
  parts.push(c.epsLow === c.epsHigh ? `ε = ${fmtNum(c.epsLow)}` : `ε = ${fmtNum(c.epsLow)}/${fmtNum(c.epsHigh)}`);
  add('lr', `η = ${fmtNum(c.lr)}`);
  add('updatesPerRollout', `k = ${c.updatesPerRollout} ${c.updateScheme === 'minibatches' ? 'mini-batch' : 'epoch'} updates/rollout`);
  parts.push(`${c.steps} rollout phases`);
  const seeds = `seeds ${c.firstSeed}–${c.firstSeed + c.seeds - 1}${varied.length ? ' per cell' : ''}`;
  return (
    `ours — toy simulation (src/theory/simulate.ts), not the paper: softmax policy, GRPO on random rewards; ` +
    `${parts.join(', ')}${variedText ? `; ${variedText}` : ''}; ${seeds}; intervals = 95% CI of the mean over seeds`
  );
}


const ci = (m: MeanCI, d = 3): string => `${m.mean.toFixed(d)} ± ${((m.hi - m.lo) / 2).toFixed(d)}`;

/** One markdown table row per (label, run): the numbers of summariseClipSim, ± = 95% CI half-width. */
export function clipSummaryMarkdown(rows: ReadonlyArray<{ label: string; result: ClipSimResult }>): string {
  const withTail = rows.some((r) => r.result.config.prior.some((p) => p < r.result.config.tailBelow));
  const head =
    '| setting | mode | seeds | π_0 | π_T(majority) | Δ logit | majority still argmax | entropy drop (nats) | clipped hi / lo |' +
    (withTail ? ' tail mass Δ | tail logit Δ |' : '');
  const sep = `|${'---|'.repeat(9 + (withTail ? 2 : 0))}`;
  const lines = rows.map(({ label, result }) => {
    const s = summariseClipSim(result);
    const wins = `${s.majorityWins.p.toFixed(2)} [${s.majorityWins.lo.toFixed(2)}, ${s.majorityWins.hi.toFixed(2)}]`;
    const tail = withTail ? ` ${ci(s.tailMassChange)} | ${ci(s.tailLogitChange)} |` : '';
    return (
      `| ${label} | ${CLIP_MODE_LABELS[result.config.clipMode]} | ${result.config.seeds} | ${s.p0.toFixed(2)} | ${ci(s.pT)} | ${ci(s.logitChange, 2)} | ${wins} | ` +
      `${ci(s.entropyDrop)} | ${s.clipFracHigh.toFixed(4)} / ${s.clipFracLow.toFixed(4)} |${tail}`
    );
  });
  return [head, sep, ...lines].join('\n');
}

/** The sweep cells as a markdown table. */
export function clipSweepMarkdown(cells: readonly ClipSweepCell[], xName: string): string {
  const head = `| ${cells.some((c) => c.facet) ? 'panel | ' : ''}${xName} | mode | π_0 | π_T − π_0 | Δ logit | clipped hi / lo |`;
  const n = 6 + (cells.some((c) => c.facet) ? 1 : 0);
  const lines = cells.map((c) => {
    const s = c.summary;
    const d = { ...s.pT, mean: s.pT.mean - s.p0, lo: s.pT.lo - s.p0, hi: s.pT.hi - s.p0 };
    return `| ${c.facet ? `${c.facet} | ` : ''}${c.x} | ${CLIP_MODE_LABELS[c.mode]} | ${s.p0.toFixed(2)} | ${ci(d)} | ${ci(s.logitChange, 2)} | ${s.clipFracHigh.toFixed(4)} / ${s.clipFracLow.toFixed(4)} |`;
  });
  return [head, `|${'---|'.repeat(n)}`, ...lines].join('\n');
}
