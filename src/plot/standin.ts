/**
 * Figure specs for the stand-in world's re-executed experiments (notebooks 02, 03, 05): our
 * numbers (mean ± sd over seeds), beside the paper's where the paper has a counterpart.
 * Pure functions of the data; `src/rl/results.ts` computes what they draw.
 */
import { figure1Models, type Fig1Model, type Fig1Reward } from '../paper/views';
import { PAPER_REWARD_LADDER } from '../rl/grid';
import { cellChange, cellRuns, evalCurve, ladderCell, stepCurve, type CurvePoint, type EvalMetric, type MeanSd, type RunRecord, type SwitchingRow } from '../rl/results';
import { CLIP_MODE_COLORS, REWARD_COLORS, STRATEGY_COLORS, rewardColor, rewardLabel, type RewardKey } from './colors';
import { bandTraces, figureLayout } from './layout';
import type { FigureSpec } from './spec';

/** Which public model each stand-in family stands for in the paper's Fig. 1. */
export const FAMILY_PAPER_MODEL: Readonly<Record<string, string>> = Object.freeze({
  'good-code': 'Qwen2.5-Math-7B',
  'bad-code': 'Qwen2.5-7B',
  'no-code': 'Llama3.1-8B-Instruct',
  'no-code-weak': 'OLMo2-7B',
});

/** Colour key of a GRPO reward name ('ground-truth' → 'ground_truth'; compounds share one colour). */
export function rewardKeyOf(reward: string): RewardKey {
  if (reward.endsWith('-no-python')) return 'compound';
  const k = reward.replace(/-/g, '_');
  if (k in REWARD_COLORS) return k as RewardKey;
  throw new Error(`rewardKeyOf: no colour for reward '${reward}'`);
}

const pts = (v: number): number => 100 * v;

/**
 * "n = 3 seeds per reward" or, where arms differ, "n = 3 seeds per reward, random n = 5": the most
 * common n first, then every arm that has another (a figure's subtitle names n per arm).
 */
export function seedCountsText(arms: ReadonlyArray<{ label: string; n: number }>, unit = 'arm'): string {
  if (!arms.length) return 'no finished runs';
  const counts = new Map<number, number>();
  for (const a of arms) counts.set(a.n, (counts.get(a.n) ?? 0) + 1);
  // Most arms share one n; ties go to the n seen first.
  const common = [...counts.entries()].reduce((best, e) => (e[1] > best[1] ? e : best))[0];
  const others = arms.filter((a) => a.n !== common).map((a) => `${a.label} n = ${a.n}`);
  const base = arms.length === 1 ? `n = ${common} seed${common === 1 ? '' : 's'}` : `n = ${common} seed${common === 1 ? '' : 's'} per ${unit}`;
  return [base, ...others].join(', ');
}

/** Seeds per curve: the largest n over a series' points (a curve's points all come from the same runs). */
export function seriesCountsText(series: readonly CurveSeries[], unit = 'arm'): string {
  return seedCountsText(series.map((s) => ({ label: s.arm ?? s.name, n: Math.max(0, ...s.points.map((p) => p.n)) })), unit);
}

/** Joins provenance pieces with '; ' (where figureLayout wraps), leaving out empty ones. */
const pieces = (...xs: Array<string | null | undefined | false>): string => xs.filter((x): x is string => Boolean(x)).join('; ');
const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}`;

export interface GainBar {
  reward: string;
  /** Accuracy change (fraction), mean ± sd over seeds. */
  change: MeanSd;
}

/**
 * Fig. 1 beside its stand-in: per reward, the paper's gain for the model a family stands for
 * (hatched) and our gain on the stand-in (solid: mean over seeds, error bars ± 1 sd), both in
 * accuracy points. `note`: a further provenance piece (e.g. stepCodeNote: which seeds ran on which
 * version of the GRPO step).
 */
export function gainComparisonSpec(family: string, bars: readonly GainBar[], paper: Fig1Model | null, preset: string, note = ''): FigureSpec {
  const provenance = pieces(
    `ours — stand-in '${family}' (solid), preset ${preset}: bar = mean gain over seeds, error bar = ± 1 sd over seeds`,
    seedCountsText(bars.map((b) => ({ label: b.reward, n: b.change.n })), 'reward'),
    note,
    paper && `hatched: reported by the paper (v1, Fig. 1, ${paper.model}, 150 steps)`,
  );
  const x = bars.map((b) => rewardLabel(rewardKeyOf(b.reward)));
  const colors = bars.map((b) => rewardColor(rewardKeyOf(b.reward)));
  const data: Array<Record<string, unknown>> = [];
  if (paper) {
    const y = bars.map((b) => { const k = b.reward.replace(/-/g, '_'); return k in paper.gains ? paper.gains[k as Fig1Reward] : null; });
    data.push({
      type: 'bar', name: `paper: ${paper.model} (reported)`, x, y,
      text: y.map((v) => (v === null ? '' : signed(v))), textposition: 'outside',
      marker: { color: colors, opacity: 0.45, pattern: { shape: '/', fgcolor: '#333', size: 6 } },
      hovertemplate: `%{x}<br>paper (${paper.model}): %{y:+.1f} points<extra></extra>`,
    });
  }
  data.push({
    type: 'bar', name: `ours — ${family} (stand-in)`, x, y: bars.map((b) => pts(b.change.mean)),
    error_y: { type: 'data', array: bars.map((b) => pts(b.change.sd)), visible: true, color: '#333' },
    text: bars.map((b) => signed(pts(b.change.mean))), textposition: 'outside',
    marker: { color: colors },
    hovertemplate: '%{x}<br>stand-in: %{y:+.1f} ± %{error_y.array:.1f} points<extra></extra>',
  });
  return {
    data,
    layout: figureLayout(`Gain in greedy accuracy by reward: ${family}${paper ? ` vs ${paper.model}` : ''}`, provenance, {
      barmode: 'group',
      yaxis: { title: { text: 'accuracy gain (points)' }, zeroline: true, zerolinecolor: '#888', gridcolor: '#eee' },
      legend: { orientation: 'h', y: -0.15 },
    }),
    width: 900,
    height: 480,
    provenance,
  };
}

export interface CurveSeries {
  name: string;
  /** The arm as a provenance line names it (seriesCountsText); the name when absent. */
  arm?: string;
  color: string;
  points: readonly CurvePoint[];
  dash?: string;
}

/**
 * The provenance line of a stand-in curves figure: whose runs, what line and band are, n per curve
 * (from the series' points) and an optional note (e.g. stepCodeNote).
 */
export function standinCurvesProvenance(what: string, preset: string, series: readonly CurveSeries[], o: { unit?: string; note?: string } = {}): string {
  return pieces(`ours — stand-in ${what}, preset ${preset}: line = mean over seeds, band = ± 1 sd over seeds`, seriesCountsText(series, o.unit ?? 'curve'), o.note);
}

/** Lines of mean over seeds with a faint ± sd band; `percent` scales fractions to points. */
export function curvesSpec(series: readonly CurveSeries[], o: { title: string; provenance: string; yTitle: string; percent?: boolean; xTitle?: string; yRange?: [number, number] }): FigureSpec {
  const scale = o.percent === false ? 1 : 100;
  const data: Array<Record<string, unknown>> = [];
  for (const s of series) {
    const x = s.points.map((p) => p.step);
    const lo = s.points.map((p) => scale * (p.mean - (p.sd || 0)));
    const hi = s.points.map((p) => scale * (p.mean + (p.sd || 0)));
    data.push(...bandTraces({ x, mid: s.points.map((p) => scale * p.mean), lo, hi }, s.color, {
      name: s.name,
      alpha: 0.12,
      trace: {
        mode: 'lines+markers', line: { color: s.color, width: 2.2, dash: s.dash ?? 'solid' }, marker: { size: 5 },
        customdata: s.points.map((p) => [scale * p.sd, p.n]),
        hovertemplate: `${s.name}<br>step %{x}: %{y:.1f} ± %{customdata[0]:.1f} (n=%{customdata[1]})<extra></extra>`,
      },
    }));
  }
  return {
    data,
    layout: figureLayout(o.title, o.provenance, {
      xaxis: { title: { text: o.xTitle ?? 'GRPO step' }, gridcolor: '#eee' },
      yaxis: { title: { text: o.yTitle }, gridcolor: '#eee', ...(o.yRange ? { range: o.yRange } : {}) },
      legend: { orientation: 'h', y: -0.18 },
    }),
    width: 900,
    height: 480,
    provenance: o.provenance,
  };
}

/** Fig. 10 analogue: final gain against the random reward's γ (mean over seeds, error bars ± 1 sd). */
export function gammaGainSpec(points: ReadonlyArray<{ gamma: number; change: MeanSd }>, family: string, preset: string, note = ''): FigureSpec {
  const provenance = pieces(
    `ours — stand-in '${family}', random reward with P(r=1)=γ, preset ${preset}: point = mean gain over seeds, error bar = ± 1 sd over seeds`,
    seedCountsText(points.map((p) => ({ label: `γ = ${p.gamma}`, n: p.change.n })), 'γ'),
    note,
  );
  const sorted = [...points].sort((a, b) => a.gamma - b.gamma);
  return {
    data: [{
      type: 'scatter', mode: 'lines+markers', name: 'gain',
      x: sorted.map((p) => String(p.gamma)), y: sorted.map((p) => pts(p.change.mean)),
      error_y: { type: 'data', array: sorted.map((p) => pts(p.change.sd)), visible: true },
      line: { color: REWARD_COLORS.random, width: 2.5 }, marker: { size: 9 },
      hovertemplate: 'γ = %{x}: %{y:+.1f} ± %{error_y.array:.1f} points<extra></extra>',
    }],
    layout: figureLayout('Random rewards: gain by γ (γ = 0 gives every response the same reward: no gradient)', provenance, {
      xaxis: { title: { text: 'γ (probability of reward 1)' }, type: 'category' },
      yaxis: { title: { text: 'accuracy gain (points)' }, zeroline: true, zerolinecolor: '#888', gridcolor: '#eee' },
    }),
    width: 760,
    height: 440,
    provenance,
  };
}

const SWITCH_COLOR: Record<string, string> = {
  'Code→Code': STRATEGY_COLORS.code_to_code,
  'Code→Lang': STRATEGY_COLORS.code_to_lang,
  'Lang→Code': STRATEGY_COLORS.lang_to_code,
  'Lang→Lang': STRATEGY_COLORS.lang_to_lang,
};

/** Fig. 7 analogue: share of test problems per switch, with accuracy before → after in the labels. */
export function switchingSpec(panels: ReadonlyArray<{ label: string; rows: readonly SwitchingRow[]; seeds: number }>, provenance: string): FigureSpec {
  const data = (['Code→Code', 'Code→Lang', 'Lang→Code', 'Lang→Lang'] as const).map((subset) => {
    const rows = panels.map((p) => p.rows.find((r) => r.subset === subset)!);
    return {
      type: 'bar', name: subset, x: panels.map((p) => p.label), y: rows.map((r) => pts(r.fraction.mean)),
      text: rows.map((r) => (r.fraction.mean > 0.03 ? `${pts(r.fraction.mean).toFixed(0)}%<br>acc ${pts(r.accBefore.mean).toFixed(0)}→${pts(r.accAfter.mean).toFixed(0)}` : '')),
      textposition: 'inside', insidetextanchor: 'middle',
      marker: { color: SWITCH_COLOR[subset] },
      hovertemplate: `${subset}<br>%{x}: %{y:.1f}% of problems<extra></extra>`,
    };
  });
  return {
    data,
    layout: figureLayout('Strategy switching: reasoning mode before → after training', provenance, {
      barmode: 'stack',
      yaxis: { title: { text: 'share of test problems (%)' }, range: [0, 100] },
      legend: { orientation: 'h', y: -0.15 },
    }),
    width: 900,
    height: 500,
    provenance,
  };
}

/** The reward ladder across families: mean gain (points) as a heatmap, "mean ± sd" in each cell. */
export function crossFamilyHeatmapSpec(families: readonly string[], rewards: readonly string[], cell: (family: string, reward: string) => MeanSd | null, preset: string, note = ''): FigureSpec {
  const z = families.map((f) => rewards.map((r) => { const c = cell(f, r); return c ? pts(c.mean) : null; }));
  const text = families.map((f) => rewards.map((r) => { const c = cell(f, r); return c ? `${signed(pts(c.mean))}<br>±${pts(c.sd).toFixed(1)}` : ''; }));
  const counts = families.flatMap((f) => rewards.flatMap((r) => { const c = cell(f, r); return c ? [{ label: `${f} · ${r}`, n: c.n }] : []; }));
  const provenance = pieces(`ours — stand-in families, preset ${preset}: colour and first number = mean greedy-accuracy gain over seeds, ± = 1 sd over seeds`, seedCountsText(counts, 'cell'), note);
  const lim = Math.max(5, ...z.flat().filter((v): v is number => v !== null).map(Math.abs));
  return {
    data: [{
      type: 'heatmap', z, x: rewards.map((r) => rewardLabel(rewardKeyOf(r))), y: [...families], text, texttemplate: '%{text}',
      colorscale: [[0, '#c0392b'], [0.5, '#f7f7f7'], [1, '#2e7d32']], zmin: -lim, zmax: lim,
      colorbar: { title: { text: 'points' } },
      hovertemplate: '%{y} · %{x}: %{z:+.1f} points<extra></extra>',
    }],
    layout: figureLayout('Which rewards help which prior', provenance, {
      yaxis: { autorange: 'reversed' },
      xaxis: { tickangle: -20 },
      margin: { l: 120, r: 30, t: 90, b: 90 },
    }),
    width: 960,
    height: 420,
    provenance,
  };
}

/** The paper's Fig. 1 rewards in its order, as GRPO reward names. */
export const LADDER_REWARDS = PAPER_REWARD_LADDER;

/** Gain bars of one family (random at γ = 0.5, clip mode 'clip'), in the given reward order. */
export function ladderBars(runs: readonly RunRecord[], family: string, rewards: readonly string[] = LADDER_REWARDS): GainBar[] {
  return rewards.flatMap((reward) => {
    const cell = ladderCell(runs, family, reward);
    return cell.length ? [{ reward, change: cellChange(cell) }] : [];
  });
}

/** One curve per reward for a family (clip mode 'clip', random at γ = 0.5), coloured by reward. */
export function rewardCurves(runs: readonly RunRecord[], family: string, rewards: readonly string[], metric: EvalMetric): CurveSeries[] {
  return rewards.flatMap((reward) => {
    const cell = ladderCell(runs, family, reward);
    return cell.length ? [{ name: `${rewardLabel(rewardKeyOf(reward))} (n=${cell.length})`, arm: reward, color: rewardColor(rewardKeyOf(reward)), points: evalCurve(cell, metric), dash: reward.endsWith('no-python') ? 'dot' : 'solid' }] : [];
  });
}

/** Colours of the clip-mode ablation (Fig. 11). */
export const ABLATION_COLORS: Readonly<Record<string, string>> = Object.freeze({ clip: CLIP_MODE_COLORS.clip, noclip: CLIP_MODE_COLORS.noclip, 'minibatch=rollout': '#059669', 'rollout=minibatch': '#7c3aed' });

/** Fig. 11 analogue: one curve per clip mode (good-code, random reward γ = 0.5). */
export function clipModeCurves(runs: readonly RunRecord[], family: string, metric: EvalMetric): CurveSeries[] {
  return Object.keys(ABLATION_COLORS).flatMap((clipMode) => {
    const cell = cellRuns(runs, { family, reward: 'random', gamma: 0.5, arm: clipMode });
    return cell.length ? [{ name: `${clipMode} (n=${cell.length})`, arm: clipMode, color: ABLATION_COLORS[clipMode], points: evalCurve(cell, metric) }] : [];
  });
}

/**
 * Fig. 11's diagnostic: per clip mode, the step log's clipped fraction on the side where the clip
 * binds (clip_high + clip_low), mean over seeds (no band: the two sides' sds do not add).
 */
export function clipFractionCurves(runs: readonly RunRecord[], family: string): CurveSeries[] {
  return Object.keys(ABLATION_COLORS).flatMap((clipMode) => {
    const cell = cellRuns(runs, { family, reward: 'random', gamma: 0.5, arm: clipMode });
    if (!cell.length) return [];
    const hi = stepCurve(cell, 'clip_high');
    const lo = stepCurve(cell, 'clip_low');
    return [{ name: clipMode, color: ABLATION_COLORS[clipMode], points: hi.map((p, i) => ({ ...p, mean: p.mean + (lo[i]?.mean ?? 0), sd: 0 })) }];
  });
}

/** The paper's Fig. 1 entry for the model a family stands for (null when the paper has none). */
export function paperModelFor(family: string, models: readonly Fig1Model[] = figure1Models()): Fig1Model | null {
  return models.find((m) => m.model === FAMILY_PAPER_MODEL[family]) ?? null;
}
