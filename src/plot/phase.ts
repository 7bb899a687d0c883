/**
 * The phase map's figures (notebook 06): every cell's paired random-reward differences, the 2-D
 * slice (prior code share × ε) as heatmaps, and per-prompt code-share histograms before/after.
 * All numbers are ours (stand-in). Arms: mean ± sd over their seeds; paired differences: mean and
 * the paired 95% t interval; every subtitle names n per arm.
 */
import { FORMAT_CELLS, PHASE_PRESETS, PhaseCell, PhaseSummary } from '../rl/phase';
import { ARM_NAMES, PhaseArm, PhaseCellRow, PhaseMetric, armOf, meanCodeHistogram, phaseCellRows } from '../rl/phaseTable';
import { evalCurve, type RunRecord } from '../rl/results';
import { armName } from '../rl/settings';
import type { PairedStat } from '../rl/stats';
import { REWARD_COLORS } from './colors';
import { figureLayout } from './layout';
import type { FigureSpec } from './spec';
import { curvesSpec } from './standin';

const pts = (x: number) => 100 * x;
const METRIC_LABEL: Record<PhaseMetric, string> = {
  acc: 'greedy accuracy', code: 'greedy code frequency', sampled_acc: 'sampled accuracy (avg@k)', sampled_code: 'sampled code share',
  majority_code: 'prompts with a code majority', pass_at_k: 'pass@k', entropy: 'rollout entropy (×100 nats)', parsed: 'greedy answer-parse rate',
};
const ARM_SHORT: Record<PhaseArm, string> = { 'random/clip': 'clip', 'random/noclip': 'noclip', 'random/rloo': 'RLOO', 'ground-truth/clip': 'GT' };

/**
 * "n per arm (clip · noclip · RLOO · GT): 3 · 3 · 3 · 3 in 16 cells; 5 · 5 · 5 · 5 in confirm-a, confirm-b" (groups
 * joined with '; ' so that the provenance wraps between them):
 * the cells grouped by their seed counts, so a figure says how many seeds each of its points rests on.
 */
export function armCountsNote(cells: readonly PhaseCellRow[], arms: readonly PhaseArm[] = ARM_NAMES): string {
  const groups = new Map<string, string[]>();
  for (const c of cells) {
    const key = arms.map((a) => c.arms[a]?.n ?? 0).join(' · ');
    groups.set(key, [...(groups.get(key) ?? []), c.cell]);
  }
  const parts = [...groups.entries()].map(([key, cs]) => `${key} in ${cs.length > 3 ? `${cs.length} cells` : cs.join(', ')}`);
  return `n per arm (${arms.map((a) => ARM_SHORT[a]).join(' · ')}): ${parts.join('; ')}`;
}

/** Half-width of a paired 95% interval in points (0 without one). */
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;
const halfWidth = (p: PairedStat | null | undefined) => (p && p.lo !== null && p.hi !== null ? pts(p.hi - p.mean) : 0);

/** Per cell: the random/clip, random/noclip and ground-truth changes (± sd) and the paired clip − noclip and clip − RLOO differences (95% interval). */
export function phaseMapSpec(rows: readonly PhaseSummary[], metric: PhaseMetric = 'acc'): FigureSpec {
  const cells = phaseCellRows(rows, metric);
  const y = cells.map((c) => c.cell);
  type Get = (c: PhaseCellRow) => PairedStat | null | undefined;
  const trace = (name: string, color: string, get: Get, symbol: string, bar: 'sd' | 'ci') => ({
    type: 'scatter', mode: 'markers', name, y, x: cells.map((c) => { const s = get(c); return s ? pts(s.mean) : null; }),
    error_x: { type: 'data', array: cells.map((c) => { const s = get(c); return !s ? 0 : bar === 'sd' ? pts(s.sd) : halfWidth(s); }), thickness: 1.2, width: 3 },
    customdata: cells.map((c) => { const s = get(c); return s ? [s.n, bar === 'sd' ? `± ${pts(s.sd).toFixed(1)} sd` : s.lo === null ? 'no interval' : `95% ${signed(pts(s.lo))} to ${signed(pts(s.hi!))}`] : [0, '']; }),
    marker: { color, size: 9, symbol }, hovertemplate: `%{y} · ${name}: %{x:+.1f} points (%{customdata[1]}, n %{customdata[0]})<extra></extra>`,
  });
  const prov = `ours — stand-in, results/phase (${rows.length} finished runs); change of ${METRIC_LABEL[metric]} from the first to the last evaluation; `
    + `arms: mean ± sd over seeds; clip − noclip and clip − RLOO: mean and paired 95% t interval over the seeds both arms ran; ${armCountsNote(cells)}; `
    + 'the RLOO null makes one update per step, the clip and noclip arms 8 (2 in updates-2); '
    + 'noclip and RLOO ignore ε and RLOO the mini-batch, so cells that differ only there share those arms\' runs (one piece of evidence, not two)';
  return {
    data: [
      trace('random(0.5), clip (± sd)', REWARD_COLORS.random, (c) => c.arms['random/clip'], 'circle', 'sd'),
      trace('random(0.5), noclip (± sd)', '#7a7a7a', (c) => c.arms['random/noclip'], 'circle-open', 'sd'),
      trace('clip − noclip (paired, 95%)', '#222222', (c) => c.clip_minus_noclip, 'diamond', 'ci'),
      trace('clip − RLOO null (paired, 95%)', '#e89f48', (c) => c.clip_minus_rloo, 'square', 'ci'),
      trace('ground truth, clip (± sd)', REWARD_COLORS.ground_truth, (c) => c.arms['ground-truth/clip'], 'triangle-up', 'sd'),
    ],
    layout: figureLayout(`Where does a random reward help? Phase-map cells, ${METRIC_LABEL[metric]}`, prov, {
      xaxis: { title: { text: `change (points)` }, zeroline: true, zerolinecolor: '#888' },
      yaxis: { autorange: 'reversed', automargin: true },
      legend: { orientation: 'h', x: 0, yref: 'container', y: 0.02, yanchor: 'bottom' },
      margin: { l: 180, r: 30, t: 90, b: 150 },
    }, 118),
    width: 960,
    height: Math.max(380, 250 + 36 * cells.length),
    provenance: prov,
  };
}

/** Code share of each global variant's mixture (its pretraining documents, not its measured prior). */
export const VARIANT_SHARES: Record<string, number> = { 'good-code-share-35': 0.35, 'good-code-share-50': 0.5, 'good-code-global': 0.65, 'good-code-share-80': 0.8 };

/**
 * The 2-D slice (mixture code share × ε) of one paired difference, as a heatmap: each cell's mean,
 * sd, n and paired 95% interval. clip − noclip is what the clip does beside the same update without
 * it (in accuracy: a brake on the loss); clip − RLOO compares it with the null's one update per step.
 */
export function phaseSliceSpec(rows: readonly PhaseSummary[], metric: PhaseMetric = 'acc', diff: 'clip_minus_noclip' | 'clip_minus_rloo' = 'clip_minus_noclip'): FigureSpec {
  const cells = phaseCellRows(rows.filter((r) => ['centre', 'prior', 'epsilon', 'slice'].includes(r.axis) && r.family in VARIANT_SHARES), metric);
  const shares = Object.values(VARIANT_SHARES);
  const eps = [0.05, 0.2];
  const at = (share: number, e: number) => cells.find((c) => VARIANT_SHARES[c.family] === share && c.epsilon === e);
  const z = eps.map((e) => shares.map((s) => { const c = at(s, e)?.[diff]; return c ? pts(c.mean) : null; }));
  const text = eps.map((e) => shares.map((s) => {
    const c = at(s, e)?.[diff];
    if (!c) return 'not run yet';
    const ci = c.lo === null || c.hi === null ? 'no interval' : `95% ${signed(pts(c.lo))} to ${signed(pts(c.hi))}`;
    return `${signed(pts(c.mean))} ± ${pts(c.sd).toFixed(1)} (n ${c.n})<br>${ci}`;
  }));
  const lim = Math.max(2, ...z.flat().filter((v): v is number => v !== null).map(Math.abs));
  const label = diff === 'clip_minus_noclip' ? 'clip − noclip' : 'clip − RLOO';
  const shown = cells.filter((c) => shares.some((s) => eps.some((e) => at(s, e) === c)));
  const arms: PhaseArm[] = diff === 'clip_minus_noclip' ? ['random/clip', 'random/noclip'] : ['random/clip', 'random/rloo'];
  const shared = diff === 'clip_minus_noclip'
    ? 'the two rows of one share have the same noclip runs (ε does not enter noclip), so they differ only in the clip arm'
    : 'the two rows of one share have the same RLOO runs (ε does not enter RLOO), and RLOO makes 1/8 of the clip arm\'s updates';
  const prov = `ours — stand-in, results/phase; random(0.5), ${label} difference of the ${METRIC_LABEL[metric]} change, paired by seed; mean ± sd and paired 95% t interval; ${armCountsNote(shown, arms)}; ${shared}`;
  const title = diff === 'clip_minus_noclip'
    ? `The clip's brake: random(0.5) with the clip minus without it (${label}), ${METRIC_LABEL[metric]}`
    : `Random(0.5) with the clip minus the RLOO null (${label}), ${METRIC_LABEL[metric]}`;
  return {
    data: [{
      type: 'heatmap', z, x: shares.map((s) => `${Math.round(100 * s)}% code`), y: eps.map((e) => `ε = ${e}`), text, texttemplate: '%{text}',
      colorscale: [[0, '#c0392b'], [0.5, '#f7f7f7'], [1, '#2e7d32']], zmin: -lim, zmax: lim, colorbar: { title: { text: 'points' } },
      hovertemplate: '%{x} · %{y}: %{z:+.1f} points<extra></extra>',
    }],
    layout: figureLayout(title, prov, {
      xaxis: { title: { text: 'code share of the variant\'s pretraining mixture' } },
      margin: { l: 90, r: 30, t: 90, b: 70 },
    }, 125),
    width: 820,
    height: 400,
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
  const counts: string[] = [];
  for (const arm of arms.filter((a) => ARM_NAMES.includes(a))) {
    const runs = mine.filter((r) => armOf(r) === arm);
    const end = meanCodeHistogram(runs, 'end');
    const n = runs.filter((r) => r.code_counts_end !== null).length;
    counts.push(`${arm} ${n}`);
    if (end) data.push({ type: 'bar', name: `end · ${arm} (n=${n})`, x, y: end, marker: { color: colors[arm] } });
  }
  const startN = mine.filter((r) => armOf(r) === 'random/clip' && r.code_counts_start !== null).length;
  const prov = `ours — stand-in, results/phase cell '${cell}'; probe set of ${mine[0]?.code_counts_start?.length ?? 0} test problems, k = ${k} samples at τ = 1; prompts per bin, mean over seeds; n per arm: ${counts.join(', ')} (start: the random/clip runs' step 0, n ${startN})`;
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

/** "n per arm: random/clip 5, random/noclip 5, …" for the runs given. */
export function armSeedCounts(runs: readonly RunRecord[]): string {
  const arms = [...new Set(runs.map(runArm))];
  return `n per arm: ${arms.map((a) => `${a} ${runs.filter((r) => runArm(r) === a).length}`).join(', ')}`;
}

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
  return armCurvesSpec(runs, metric, `H5: ${what} with every prompt wrapped (${cell.id})`,
    `ours — stand-in, results/phase cell '${cell.id}': ${cell.note}; ${runs[0]?.cfg.evalProblems ?? 0} test problems, greedy; mean ± sd over seeds; ${armSeedCounts(runs)}`);
}

/**
 * A confirm cell's arms over training (greedy accuracy): the rule's re-run of a screen cell with
 * twice the steps and 5 paired seeds. Seeds 1–3 are the screen's seeds with the screen's config
 * bar the length, so their first half is the screen runs (same rollouts and rewards, step by step;
 * notebook 06 checks this in the logs); the subtitle says so.
 */
export function confirmCurvesSpec(runs: readonly RunRecord[], cellId: string, screenSeeds = PHASE_PRESETS.screen.seeds): FigureSpec {
  if (!runs.length) throw new Error(`confirmCurvesSpec: no finished runs of '${cellId}'`);
  const seeds = [...new Set(runs.map((r) => r.cfg.seed))].sort((a, b) => a - b);
  const reused = seeds.filter((s) => s <= screenSeeds);
  const fresh = seeds.filter((s) => s > screenSeeds);
  const seedsAre = (xs: readonly number[]) => (xs.length === 1 ? `seed ${xs[0]} is` : `seeds ${xs.join(', ')} are`);
  const reuse = reused.length
    ? `; ${seedsAre(reused)} the screen's, so the first ${runs[0].cfg.steps / 2} steps are the screen cell's runs${fresh.length ? `; ${seedsAre(fresh)} new` : ''}`
    : '';
  return armCurvesSpec(runs, 'acc', `Confirm: greedy accuracy over ${runs[0].cfg.steps} steps (${cellId})`,
    `ours — stand-in, results/phase cell '${cellId}' (${runs[0].cfg.family}, ε ${runs[0].cfg.epsilon}); ${runs[0].cfg.evalProblems} test problems, greedy; mean ± sd over seeds; ${armSeedCounts(runs)}${reuse}`);
}
