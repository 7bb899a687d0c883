/**
 * The phase map's figures (notebook 06): every cell's paired random-reward differences, the 2-D
 * slice (prior code share × ε) as heatmaps, and per-prompt code-share histograms before/after.
 * All numbers are ours (stand-in), mean ± sd over paired seeds.
 */
import { FORMAT_CELLS, PhaseCell, PhaseSummary } from '../rl/phase';
import { ARM_NAMES, PhaseArm, PhaseMetric, armOf, meanCodeHistogram, phaseCellRows } from '../rl/phaseTable';
import { evalCurve, type RunRecord } from '../rl/results';
import { armName } from '../rl/settings';
import { REWARD_COLORS } from './colors';
import { figureLayout } from './layout';
import type { FigureSpec } from './spec';
import { curvesSpec } from './standin';

const pts = (x: number) => 100 * x;
const METRIC_LABEL: Record<PhaseMetric, string> = {
  acc: 'greedy accuracy', code: 'greedy code frequency', sampled_acc: 'sampled accuracy (avg@k)', sampled_code: 'sampled code share',
  majority_code: 'prompts with a code majority', pass_at_k: 'pass@k', entropy: 'rollout entropy (×100 nats)', parsed: 'greedy answer-parse rate',
};

function provenance(rows: readonly PhaseSummary[], what: string): string {
  const seeds = Math.max(0, ...phaseCellRows(rows).map((c) => c.paired_seeds));
  return `ours — stand-in, results/phase (${rows.length} finished runs, up to ${seeds} paired seeds per cell); ${what}; mean ± sd over seeds`;
}

/** Per cell: the random/clip change and the paired clip − noclip and clip − RLOO differences. */
export function phaseMapSpec(rows: readonly PhaseSummary[], metric: PhaseMetric = 'acc'): FigureSpec {
  const cells = phaseCellRows(rows, metric);
  const y = cells.map((c) => c.cell);
  const trace = (name: string, color: string, get: (c: (typeof cells)[number]) => { mean: number; sd: number } | null | undefined, symbol: string) => ({
    type: 'scatter', mode: 'markers', name, y, x: cells.map((c) => { const s = get(c); return s ? pts(s.mean) : null; }),
    error_x: { type: 'data', array: cells.map((c) => { const s = get(c); return s ? pts(s.sd) : 0; }), thickness: 1.2, width: 3 },
    marker: { color, size: 9, symbol }, hovertemplate: `%{y} · ${name}: %{x:+.1f} points<extra></extra>`,
  });
  const prov = provenance(rows, `change of ${METRIC_LABEL[metric]} from the first to the last evaluation`);
  return {
    data: [
      trace('random(0.5), clip', REWARD_COLORS.random, (c) => c.arms['random/clip'], 'circle'),
      trace('clip − noclip (paired)', '#222222', (c) => c.clip_minus_noclip, 'diamond'),
      trace('clip − RLOO null (paired)', '#e89f48', (c) => c.clip_minus_rloo, 'square'),
      trace('ground truth, clip', REWARD_COLORS.ground_truth, (c) => c.arms['ground-truth/clip'], 'triangle-up'),
    ],
    layout: figureLayout(`Where does a random reward help? Phase-map cells, ${METRIC_LABEL[metric]}`, prov, {
      xaxis: { title: { text: `change (points)` }, zeroline: true, zerolinecolor: '#888' },
      yaxis: { autorange: 'reversed', automargin: true },
      legend: { orientation: 'h', x: 0, yref: 'container', y: 0.02, yanchor: 'bottom' },
      margin: { l: 180, r: 30, t: 90, b: 150 },
    }),
    width: 960,
    height: Math.max(380, 250 + 36 * cells.length),
    provenance: prov,
  };
}

/** Code share of each global variant's mixture (its pretraining documents, not its measured prior). */
export const VARIANT_SHARES: Record<string, number> = { 'good-code-share-35': 0.35, 'good-code-share-50': 0.5, 'good-code-global': 0.65, 'good-code-share-80': 0.8 };

/** The 2-D slice (mixture code share × ε) of one paired difference, as a heatmap. */
export function phaseSliceSpec(rows: readonly PhaseSummary[], metric: PhaseMetric = 'acc', diff: 'clip_minus_noclip' | 'clip_minus_rloo' = 'clip_minus_noclip'): FigureSpec {
  const cells = phaseCellRows(rows.filter((r) => ['centre', 'prior', 'epsilon', 'slice'].includes(r.axis) && r.family in VARIANT_SHARES), metric);
  const shares = Object.values(VARIANT_SHARES);
  const eps = [0.05, 0.2];
  const at = (share: number, e: number) => cells.find((c) => VARIANT_SHARES[c.family] === share && c.epsilon === e);
  const z = eps.map((e) => shares.map((s) => { const c = at(s, e)?.[diff]; return c ? pts(c.mean) : null; }));
  const text = eps.map((e) => shares.map((s) => { const c = at(s, e)?.[diff]; return c ? `${c.mean >= 0 ? '+' : ''}${pts(c.mean).toFixed(1)}<br>±${pts(c.sd).toFixed(1)} (n=${c.n})` : 'not run yet'; }));
  const lim = Math.max(2, ...z.flat().filter((v): v is number => v !== null).map(Math.abs));
  const label = diff === 'clip_minus_noclip' ? 'clip − noclip' : 'clip − RLOO';
  const prov = provenance(rows, `random(0.5), ${label} difference of the ${METRIC_LABEL[metric]} change, paired by seed`);
  return {
    data: [{
      type: 'heatmap', z, x: shares.map((s) => `${Math.round(100 * s)}% code`), y: eps.map((e) => `ε = ${e}`), text, texttemplate: '%{text}',
      colorscale: [[0, '#c0392b'], [0.5, '#f7f7f7'], [1, '#2e7d32']], zmin: -lim, zmax: lim, colorbar: { title: { text: 'points' } },
      hovertemplate: '%{x} · %{y}: %{z:+.1f} points<extra></extra>',
    }],
    layout: figureLayout(`Clipping bias of a random reward (${label}): ${METRIC_LABEL[metric]}`, prov, {
      xaxis: { title: { text: 'code share of the variant\'s pretraining mixture' } },
      margin: { l: 90, r: 30, t: 90, b: 70 },
    }),
    width: 820,
    height: 380,
    provenance: prov,
  };
}

/** Mean histograms of per-prompt code counts (of k samples) at the start and end, per random arm, for one cell. */
export function codeShareHistogramSpec(rows: readonly PhaseSummary[], cell: string, arms: readonly PhaseArm[] = ['random/clip', 'random/noclip', 'random/rloo']): FigureSpec {
  const mine = rows.filter((r) => r.cell === cell);
  const start = meanCodeHistogram(mine.filter((r) => armOf(r) === 'random/clip'), 'start');
  const k = start ? start.length - 1 : 0;
  const x = Array.from({ length: k + 1 }, (_, j) => `${j}/${k}`);
  const colors: Record<string, string> = { 'random/clip': REWARD_COLORS.random, 'random/noclip': '#222222', 'random/rloo': '#e89f48', 'ground-truth/clip': REWARD_COLORS.ground_truth };
  const data: Record<string, unknown>[] = start ? [{ type: 'bar', name: 'start (step 0)', x, y: start, marker: { color: '#c8c8c8' } }] : [];
  for (const arm of arms.filter((a) => ARM_NAMES.includes(a))) {
    const end = meanCodeHistogram(mine.filter((r) => armOf(r) === arm), 'end');
    if (end) data.push({ type: 'bar', name: `end · ${arm}`, x, y: end, marker: { color: colors[arm] } });
  }
  const prov = `ours — stand-in, results/phase cell '${cell}'; probe set of ${mine[0]?.code_counts_start?.length ?? 0} test problems, k = ${k} samples at τ = 1; prompts per bin, mean over ${mine.filter((r) => armOf(r) === 'random/clip').length} seeds`;
  return {
    data,
    layout: figureLayout(`Per-prompt code share before and after: ${cell}`, prov, {
      barmode: 'group',
      xaxis: { title: { text: 'samples in code, of k' } },
      yaxis: { title: { text: 'prompts' } },
      legend: { orientation: 'h', x: 0, yref: 'container', y: 0.02, yanchor: 'bottom' },
      margin: { l: 70, r: 30, t: 90, b: 140 },
    }),
    width: 820,
    height: 460,
    provenance: prov,
  };
}

const FORMAT_ARM_COLORS: Record<string, string> = { 'random/clip': REWARD_COLORS.random, 'random/noclip': '#222222', 'random/rloo': '#e89f48', 'ground-truth/clip': REWARD_COLORS.ground_truth, 'format/clip': '#c2185b' };

/**
 * H5: one line per arm (mean ± sd over seeds) of a greedy evaluation metric during the runs given —
 * the format cell's runs, whose prompts are all wrapped in one template.
 */
const runArm = (r: RunRecord) => armOf({ reward: r.cfg.reward, clip_mode: armName(r.cfg) });

export function armCurvesSpec(runs: readonly RunRecord[], metric: 'acc' | 'parsed', title: string, provenance: string): FigureSpec {
  const arms = [...new Set(runs.map(runArm))];
  const series = arms.map((arm) => {
    const mine = runs.filter((r) => runArm(r) === arm);
    const gamma = mine[0].cfg.gamma;
    return { name: `${arm.replace('/', gamma !== null ? `(${gamma}), ` : ', ')} (n=${mine.length})`, color: FORMAT_ARM_COLORS[arm] ?? '#888888', points: evalCurve(mine, metric) };
  });
  return curvesSpec(series, { title, provenance, yTitle: metric === 'acc' ? 'greedy accuracy (%)' : 'greedy responses with a parsed answer (%)', yRange: [0, 100] });
}

/** H5's figure: the format cell's arms over training, greedy accuracy or answer-parse rate. */
export function formatCellCurvesSpec(runs: readonly RunRecord[], metric: 'acc' | 'parsed', cell: PhaseCell = FORMAT_CELLS[0]): FigureSpec {
  const other = runs.find((r) => r.cfg.promptTemplate !== cell.overrides.promptTemplate);
  if (other) throw new Error(`formatCellCurvesSpec: a run with prompt template ${JSON.stringify(other.cfg.promptTemplate)} is not of cell '${cell.id}'`);
  const what = metric === 'acc' ? 'greedy accuracy' : 'answer-parse rate';
  const seeds = Math.max(0, ...[...new Set(runs.map(runArm))].map((a) => runs.filter((r) => runArm(r) === a).length));
  return armCurvesSpec(runs, metric, `H5: ${what} with every prompt wrapped (${cell.id})`,
    `ours — stand-in, results/phase cell '${cell.id}': ${cell.note}; ${runs[0]?.cfg.evalProblems ?? 0} test problems, greedy; mean ± sd over up to ${seeds} seeds`);
}

/**
 * A confirm cell's arms over training (greedy accuracy): the rule's re-run of a screen cell with
 * twice the steps and 5 paired seeds.
 */
export function confirmCurvesSpec(runs: readonly RunRecord[], cellId: string): FigureSpec {
  if (!runs.length) throw new Error(`confirmCurvesSpec: no finished runs of '${cellId}'`);
  const seeds = Math.max(...[...new Set(runs.map(runArm))].map((a) => runs.filter((r) => runArm(r) === a).length));
  return armCurvesSpec(runs, 'acc', `Confirm: greedy accuracy over ${runs[0].cfg.steps} steps (${cellId})`,
    `ours — stand-in, results/phase cell '${cellId}' (${runs[0].cfg.family}, ε ${runs[0].cfg.epsilon}); ${runs[0].cfg.evalProblems} test problems, greedy; mean ± sd over up to ${seeds} seeds`);
}
