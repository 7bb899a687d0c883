/**
 * Paper B re-executed in the stand-in (notebook 07): the audit on every family (EM and partial-prompt
 * answer accuracy on the leaked and unleaked halves of the test set and on fresh problems), the RL
 * grid's accuracy changes per split, and the answer-token probabilities before and after RL
 * (Fig. 9 analogue). All numbers are ours.
 */
import type { ContaminationCellRow, ContaminationRun, ContaminationSplit } from '../rl/contaminationTable';
import type { WorldAuditRow } from '../world/audit';
import { REWARD_COLORS } from './colors';
import { axisId, figureLayout, gridAxes, panelTitle } from './layout';
import type { FigureSpec } from './spec';

const SPLIT_COLORS: Record<string, string> = { leaked: '#c0392b', unleaked: '#5b8db8', fresh: '#7f7f7f', test: '#444444' };
const SPLIT_LABEL: Record<string, string> = { leaked: 'leaked test problems', unleaked: 'unleaked test problems', fresh: 'fresh problems', test: 'whole test set' };

function auditProvenance(rows: readonly WorldAuditRow[]): string {
  return `ours — stand-in, results/contamination/audit.json (npm run audit -- --all): greedy continuations of the cut prompt, Paper B's truncation, ROUGE-L/EM over whitespace tokens (no stemming); ${new Set(rows.map((r) => r.family)).size} families`;
}

/** The split rows of one family that the figures use: a leaked family's own leak; a clean family's default halves. */
function familyRows(rows: readonly WorldAuditRow[], family: string, surface: WorldAuditRow['surface'], leakFraction?: number): WorldAuditRow[] {
  const mine = rows.filter((r) => r.family === family && r.surface === surface);
  const cuts = [...new Set(mine.filter((r) => r.split === 'leaked').map((r) => r.leak_fraction))];
  const f = leakFraction ?? (cuts.length === 1 ? cuts[0] : 0.5);
  return mine.filter((r) => (r.split !== 'leaked' && r.split !== 'unleaked') || r.leak_fraction === f);
}

/**
 * EM at one prefix, per family, on the leaked half, the unleaked half and fresh problems; one panel
 * for all problems and one for narrative problems (bare prompts have one cut point, so their 60/80%
 * targets are a lone ".").
 */
export function auditEmSpec(rows: readonly WorldAuditRow[], families: readonly string[], ratio = 0.6, leakFractions: Record<string, number> = {}): FigureSpec {
  const g = { rows: 1, cols: 2, gapX: 0.08 };
  const surfaces = ['all', 'narrative'] as const;
  const data: Record<string, unknown>[] = [];
  surfaces.forEach((surface, i) => {
    for (const split of ['leaked', 'unleaked', 'fresh'] as const) {
      const y = families.map((f) => familyRows(rows, f, surface, leakFractions[f]).find((r) => r.split === split && r.ratio === ratio)?.exactMatch ?? null);
      data.push({
        type: 'bar', name: SPLIT_LABEL[split], legendgroup: split, showlegend: i === 0, x: families, y, xaxis: axisId(i, 'x'), yaxis: axisId(i, 'y'),
        marker: { color: SPLIT_COLORS[split] }, text: y.map((v) => (v === null || v === 0 ? '' : v.toFixed(1))), textposition: 'outside', textfont: { size: 10 },
        hovertemplate: `%{x} · ${SPLIT_LABEL[split]}: EM %{y:.1f}%<extra></extra>`,
      });
    }
  });
  const prov = `${auditProvenance(rows)}; EM (%) at a ${Math.round(100 * ratio)}% prefix`;
  return {
    data,
    layout: figureLayout(`The audit on stand-in families: EM at a ${Math.round(100 * ratio)}% prefix`, prov, {
      barmode: 'group',
      ...gridAxes(g, (j) => ({ x: { tickangle: -30, automargin: true }, y: { title: { text: j === 0 ? 'EM (%)' : '' }, range: [0, 105] } })),
      annotations: surfaces.map((s, j) => panelTitle(g, 0, j, s === 'all' ? 'all test problems' : 'narrative problems only')),
      legend: { orientation: 'h', x: 0, yref: 'container', y: 0.02, yanchor: 'bottom' },
      margin: { l: 70, r: 30, t: 100, b: 170 },
    }, 140),
    width: 1040,
    height: 520,
    provenance: prov,
  };
}

/** Partial-prompt answer accuracy vs prefix (Table 5 analogue), leaked vs unleaked half and fresh, for chosen families. */
export function auditAccuracySpec(rows: readonly WorldAuditRow[], families: readonly string[], leakFractions: Record<string, number> = {}): FigureSpec {
  const dash = ['solid', 'dash', 'dot', 'dashdot'];
  const data: Record<string, unknown>[] = [];
  families.forEach((family, fi) => {
    const mine = familyRows(rows, family, 'all', leakFractions[family]);
    for (const split of ['leaked', 'unleaked', 'fresh'] as const) {
      const pts = mine.filter((r) => r.split === split).sort((a, b) => a.ratio - b.ratio);
      if (!pts.length) continue;
      data.push({
        type: 'scatter', mode: 'lines+markers', name: `${family} · ${split}`, x: pts.map((r) => Math.round(100 * r.ratio)), y: pts.map((r) => r.accuracy),
        line: { color: SPLIT_COLORS[split], dash: dash[fi % dash.length] }, hovertemplate: `${family} · ${split}: %{y:.1f}% at %{x}%<extra></extra>`,
      });
    }
  });
  const prov = `${auditProvenance(rows)}; answer accuracy (%) of the continuation's final answer, graded by the world's verifier`;
  return {
    data,
    layout: figureLayout('Partial-prompt answer accuracy on stand-in families (Paper B Table 5 analogue)', prov, {
      xaxis: { title: { text: 'prefix of the prompt (%)' }, tickvals: [40, 60, 80, 100] },
      yaxis: { title: { text: 'answer accuracy (%)' }, rangemode: 'tozero' },
      legend: { orientation: 'h', x: 0, yref: 'container', y: 0.02, yanchor: 'bottom' },
      margin: { l: 70, r: 30, t: 90, b: 170 },
    }, 130),
    width: 960,
    height: 500,
    provenance: prov,
  };
}

/** The RL grid: change of greedy accuracy per split, one panel per family, bars per arm (mean ± sd over seeds). */
export function contaminationGainsSpec(cells: readonly ContaminationCellRow[], families: readonly string[]): FigureSpec {
  const g = { rows: 1, cols: families.length, gapX: 0.05 };
  const data: Record<string, unknown>[] = [];
  families.forEach((family, i) => {
    const mine = cells.filter((c) => c.family === family);
    const x = mine.map((c) => `${c.reward}/${c.clip_mode}`);
    for (const split of ['leaked', 'unleaked', 'fresh'] as const) {
      data.push({
        type: 'bar', name: SPLIT_LABEL[split], legendgroup: split, showlegend: i === 0, x, xaxis: axisId(i, 'x'), yaxis: axisId(i, 'y'),
        y: mine.map((c) => c.change[split]?.mean ?? null),
        error_y: { type: 'data', array: mine.map((c) => c.change[split]?.sd ?? 0), thickness: 1.2, width: 3 },
        marker: { color: SPLIT_COLORS[split] }, hovertemplate: `${family} · %{x} · ${split}: %{y:+.1f} points<extra></extra>`,
      });
    }
  });
  const seeds = Math.max(0, ...cells.map((c) => c.seeds));
  const prov = `ours — stand-in, results/phase contam-* cells (npm run phase -- --preset contamination): change of greedy accuracy from step 0 to the last evaluation, in points, per split; mean ± sd over up to ${seeds} seeds`;
  return {
    data,
    layout: figureLayout('Does a random reward bring memorised answers back? Accuracy change by split', prov, {
      barmode: 'group',
      ...gridAxes(g, (j) => ({ x: { tickangle: -35, automargin: true }, y: { title: { text: j === 0 ? 'change (points)' : '' }, zeroline: true, zerolinecolor: '#888' } })),
      annotations: families.map((f, j) => panelTitle(g, 0, j, f)),
      legend: { orientation: 'h', x: 0, yref: 'container', y: 0.02, yanchor: 'bottom' },
      margin: { l: 70, r: 30, t: 100, b: 190 },
    }),
    width: 420 * families.length,
    height: 540,
    provenance: prov,
  };
}

/** Answer-token probabilities of greedy answers before and after RL, per split, pooled over one arm's seeds (Fig. 9 analogue). */
export function answerProbabilitySpec(runs: readonly ContaminationRun[], family: string, reward: string, clipMode: string, epsilon = 0.2): FigureSpec {
  const mine = runs.filter((r) => r.family === family && r.reward === reward && r.clip_mode === clipMode);
  const splits: ContaminationSplit[] = ['leaked', 'unleaked', 'fresh'];
  const g = { rows: 1, cols: 2, gapX: 0.08 };
  const data: Record<string, unknown>[] = [];
  (['start', 'end'] as const).forEach((when, i) => {
    for (const split of splits) {
      const x = mine.flatMap((r) => (when === 'start' ? r.answer_probs_start : r.answer_probs_end)[split]);
      data.push({
        type: 'histogram', name: SPLIT_LABEL[split], legendgroup: split, showlegend: i === 0, x, xaxis: axisId(i, 'x'), yaxis: axisId(i, 'y'),
        histnorm: 'percent', xbins: { start: 0, end: 1.0001, size: 0.05 }, opacity: 0.6, marker: { color: SPLIT_COLORS[split] },
      });
    }
  });
  const edge = 1 / (1 + epsilon);
  const prov = `ours — stand-in, results/phase contam-* '${family}', ${reward}/${clipMode}, ${mine.length} seeds pooled: mean probability (τ = 1) of the tokens of each greedy answer, at step 0 and at the last evaluation; dashed line 1/(1+ε) = ${edge.toFixed(2)}`;
  return {
    data,
    layout: figureLayout(`Answer-token probabilities before and after RL: ${family} (Paper B Fig. 9 analogue)`, prov, {
      barmode: 'overlay',
      ...gridAxes(g, (j) => ({ x: { title: { text: 'answer-token probability' }, range: [0, 1] }, y: { title: { text: j === 0 ? 'answers (%)' : '' } } })),
      annotations: ['before RL (step 0)', 'after RL (last evaluation)'].map((t, j) => panelTitle(g, 0, j, t)),
      shapes: [0, 1].map((j) => ({ type: 'line', xref: axisId(j, 'x'), yref: `${axisId(j, 'y')} domain`, x0: edge, x1: edge, y0: 0, y1: 1, line: { dash: 'dash', color: REWARD_COLORS.random } })),
      legend: { orientation: 'h', x: 0, yref: 'container', y: 0.02, yanchor: 'bottom' },
      margin: { l: 70, r: 30, t: 100, b: 130 },
    }, 130),
    width: 1000,
    height: 460,
    provenance: prov,
  };
}
