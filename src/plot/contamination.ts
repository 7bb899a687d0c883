/**
 * Paper B re-executed in the stand-in (notebook 07): the audit on every family (EM and partial-prompt
 * answer accuracy on the leaked and unleaked halves of the test set and on fresh problems), the RL
 * grid's accuracy changes per split, and the answer-token probabilities before and after RL
 * (Fig. 9 analogue). All numbers are ours.
 */
import type { ContaminationCellRow, ContaminationRun, ContaminationSplit } from '../rl/contaminationTable';
import type { FreshComparisonRow, StrataCoverage } from '../rl/contaminationStrata';
import type { WorldAuditRow } from '../world/audit';
import { REWARD_COLORS } from './colors';
import { axisId, figureLayout, gridAxes, panelTitle } from './layout';
import type { FigureSpec } from './spec';

const SPLIT_COLORS: Record<string, string> = { leaked: '#c0392b', unleaked: '#5b8db8', fresh: '#7f7f7f', test: '#444444' };
const SPLIT_LABEL: Record<string, string> = { leaked: 'leaked test problems', unleaked: 'unleaked test problems', fresh: 'fresh problems', test: 'whole test set' };

function auditProvenance(rows: readonly WorldAuditRow[]): string {
  return `ours — stand-in, results/contamination/audit.json (npm run audit -- --all); greedy continuations of the cut prompt, Paper B's truncation, ROUGE-L/EM over whitespace tokens (no stemming); ${new Set(rows.map((r) => r.family)).size} families`;
}

/**
 * How many seeds each arm ran, for a subtitle: "n = 3 seeds per arm (24 arms)", or each arm's
 * count when they differ (so a missing seed shows).
 */
export function seedsPerArm(counts: readonly { label: string; seeds: number }[]): string {
  const n = [...new Set(counts.map((c) => c.seeds))];
  if (n.length === 1) return `n = ${n[0]} seed${n[0] === 1 ? '' : 's'} per arm (${counts.length} arm${counts.length === 1 ? '' : 's'})`;
  return `n seeds per arm: ${counts.map((c) => `${c.label} ${c.seeds}`).join(', ')}`;
}

/**
 * The audit's n: problems per split behind each bar, one greedy pass each (no seeds). The most
 * common count per split, with the families that differ named.
 */
export function auditCounts(rows: readonly WorldAuditRow[], families: readonly string[], surface: WorldAuditRow['surface'], ratio: number, leakFractions: Record<string, number> = {}): string {
  const parts = (['leaked', 'unleaked', 'fresh'] as const).map((split) => {
    const byFamily = families.map((f) => ({ f, n: familyRows(rows, f, surface, leakFractions[f]).find((r) => r.split === split && r.ratio === ratio)?.problems })).filter((x): x is { f: string; n: number } => x.n !== undefined);
    const tally = new Map<number, number>();
    for (const x of byFamily) tally.set(x.n, (tally.get(x.n) ?? 0) + 1);
    const common = [...tally.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const others = byFamily.filter((x) => x.n !== common).map((x) => `${x.f} ${x.n}`);
    return `${split} ${common ?? '—'}${others.length ? ` (${others.join(', ')})` : ''}`;
  });
  return `n problems per bar, one greedy pass each, no seeds (${surface === 'all' ? 'all problems' : `${surface} problems`}): ${parts.join(', ')}`;
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
  const prov = `${auditProvenance(rows)}; EM (%) at a ${Math.round(100 * ratio)}% prefix; ${surfaces.map((sf) => auditCounts(rows, families, sf, ratio, leakFractions)).join('; ')}`;
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
  const counts = families.map((f) => {
    const mine = familyRows(rows, f, 'all', leakFractions[f]);
    return `${f} ${(['leaked', 'unleaked', 'fresh'] as const).map((s) => mine.find((r) => r.split === s)?.problems ?? '—').join('/')}`;
  });
  const prov = `${auditProvenance(rows)}; answer accuracy (%) of the continuation's final answer, graded by the world's verifier; n problems per point (leaked/unleaked/fresh), one greedy pass each, no seeds: ${counts.join('; ')}`;
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
  const shown = cells.filter((c) => families.includes(c.family));
  const n = seedsPerArm(shown.map((c) => ({ label: `${c.family} ${c.reward}/${c.clip_mode}`, seeds: c.seeds })));
  const prov = `ours — stand-in, results/phase contam-* cells (npm run phase -- --preset contamination): change of greedy accuracy from step 0 to the last evaluation, in points, per split; bars mean ± sd over seeds; ${n}`;
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
  // Step 0 is one checkpoint for every seed, so its answers are the same n per seed.
  const answers = splits.map((s) => `${s} ${mine[0]?.answer_probs_start[s].length ?? 0}`).join(', ');
  const prov = `ours — stand-in, results/phase contam-* '${family}', ${reward}/${clipMode}, n = ${mine.length} seed${mine.length === 1 ? '' : 's'} pooled: mean probability (τ = 1) of the tokens of each greedy answer, at step 0 and at the last evaluation; answers per seed at step 0: ${answers}; dashed line 1/(1+ε) = ${edge.toFixed(2)}`;
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

/**
 * "good-code-leaked (leaked/unleaked/fresh): 2 ops 37/30/14, 3 ops 35/34/186, left out 1 op 28/36/0":
 * problems per difficulty in each split, the compared difficulties first (commas only, so a
 * subtitle wraps between families).
 */
function coverageText(family: string, leaked: StrataCoverage, unleaked: StrataCoverage): string {
  const levels = [...new Set([...leaked.shared, ...leaked.excluded, ...unleaked.shared, ...unleaked.excluded].map((c) => c.ops))].sort((a, b) => a - b);
  const count = (c: StrataCoverage, ops: number, side: 'split' | 'reference') => [...c.shared, ...c.excluded].find((x) => x.ops === ops)?.[side] ?? 0;
  const fmt = (ops: number) => `${ops} op${ops === 1 ? '' : 's'} ${count(leaked, ops, 'split')}/${count(unleaked, ops, 'split')}/${count(leaked, ops, 'reference')}`;
  const compared = levels.filter((k) => leaked.shared.some((c) => c.ops === k) || unleaked.shared.some((c) => c.ops === k));
  const left = levels.filter((k) => !compared.includes(k));
  return `${family} (leaked/unleaked/fresh): ${compared.map(fmt).join(', ')}${left.length ? `, left out ${left.map(fmt).join(', ')}` : ''}`;
}

/**
 * Fresh vs test within difficulty: per family, each test half's change at fresh's difficulty mix
 * (only the difficulties both have) beside fresh's own change, per arm (mean ± sd over seeds).
 * The subtitle names n per arm and, per family, the problems compared and left out.
 */
export function freshWithinDifficultySpec(leaked: readonly FreshComparisonRow[], unleaked: readonly FreshComparisonRow[], families: readonly string[]): FigureSpec {
  const g = { rows: 1, cols: families.length, gapX: 0.05 };
  const data: Record<string, unknown>[] = [];
  const key = (r: FreshComparisonRow) => `${r.family}|${r.reward}|${r.clip_mode}`;
  families.forEach((family, i) => {
    const mine = leaked.filter((r) => r.family === family);
    const x = mine.map((r) => `${r.reward}/${r.clip_mode}`);
    const series: { split: ContaminationSplit; y: (r: FreshComparisonRow) => { mean: number; sd: number } | null }[] = [
      { split: 'leaked', y: (r) => r.change_split },
      { split: 'unleaked', y: (r) => unleaked.find((u) => key(u) === key(r))?.change_split ?? null },
      { split: 'fresh', y: (r) => r.change_fresh },
    ];
    for (const s of series) {
      data.push({
        type: 'bar', name: `${SPLIT_LABEL[s.split]}${s.split === 'fresh' ? '' : " (at fresh's difficulty mix)"}`, legendgroup: s.split, showlegend: i === 0, x, xaxis: axisId(i, 'x'), yaxis: axisId(i, 'y'),
        y: mine.map((r) => s.y(r)?.mean ?? null),
        error_y: { type: 'data', array: mine.map((r) => s.y(r)?.sd ?? 0), thickness: 1.2, width: 3 },
        marker: { color: SPLIT_COLORS[s.split] }, hovertemplate: `${family} · %{x} · ${s.split}: %{y:+.1f} points<extra></extra>`,
      });
    }
  });
  const shown = leaked.filter((r) => families.includes(r.family));
  const n = seedsPerArm(shown.map((r) => ({ label: `${r.family} ${r.reward}/${r.clip_mode}`, seeds: r.seeds })));
  const coverage = families.map((f) => {
    const l = leaked.find((r) => r.family === f);
    const u = unleaked.find((r) => r.family === f);
    return l && u ? coverageText(f, l.coverage, u.coverage) : `${f}: no difficulty shared with fresh`;
  });
  const prov = `ours — stand-in, results/phase contam-* cells: change of greedy accuracy, step 0 to the last evaluation, in points, on the difficulties (number of operations) both splits have, each weighted by fresh's problem count; bars mean ± sd over seeds; ${n}; problems per difficulty: ${coverage.join('; ')}`;
  return {
    data,
    layout: figureLayout('Fresh vs test at equal difficulty: accuracy change by split', prov, {
      barmode: 'group',
      ...gridAxes(g, (j) => ({ x: { tickangle: -35, automargin: true }, y: { title: { text: j === 0 ? 'change (points)' : '' }, zeroline: true, zerolinecolor: '#888' } })),
      annotations: families.map((f, j) => panelTitle(g, 0, j, f)),
      legend: { orientation: 'h', x: 0, yref: 'container', y: 0.02, yanchor: 'bottom' },
      margin: { l: 70, r: 30, t: 100, b: 190 },
    }, 160),
    width: 420 * families.length,
    height: 580,
    provenance: prov,
  };
}
