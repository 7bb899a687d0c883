/** Figure specs for numbers reported by the papers (notebook 01). Pure functions of the data. */
import {
  FIG1_REWARDS,
  STRATEGY_SUBSETS,
  type CodePromptRow,
  type CodeStyleRow,
  type Fig1Model,
  type HeadlineGain,
  type PartialContributionRow,
} from '../paper/views';
import { GAIN_ARROW_COLOR, REWARD_COLORS, STRATEGY_COLORS, rewardColor, rewardLabel } from './colors';
import { figureLayout } from './layout';
import type { FigureSpec } from './spec';

const signed = (v: number): string => (v > 0 ? `+${v.toFixed(1)}` : v < 0 ? `−${Math.abs(v).toFixed(1)}` : '+0.0');

/**
 * Fig. 1: per model, a grey "before RL" bar and one bar per reward whose height is the accuracy
 * after 150 RLVR steps (base + gain), labelled with the gain, as in the paper.
 */
export function figure1Spec(models: readonly Fig1Model[]): FigureSpec {
  const provenance = 'reported by the paper (v1, Fig. 1) — MATH-500 accuracy after 150 RLVR steps';
  const x = models.map((m) => m.model);
  const data: Array<Record<string, unknown>> = [
    {
      type: 'bar',
      name: rewardLabel('before_rl'),
      x,
      y: models.map((m) => m.base),
      text: models.map((m) => m.base.toFixed(1)),
      textposition: 'outside',
      marker: { color: REWARD_COLORS.before_rl },
      hovertemplate: '%{x}<br>before RL: %{y:.1f}<extra></extra>',
    },
  ];
  for (const rw of FIG1_REWARDS) {
    data.push({
      type: 'bar',
      name: rewardLabel(rw),
      x,
      y: models.map((m) => m.base + m.gains[rw]),
      text: models.map((m) => signed(m.gains[rw])),
      textposition: 'outside',
      textfont: { color: models.map((m) => (m.gains[rw] < 0 ? '#c0392b' : '#2e7d32')), size: 11 },
      marker: { color: rewardColor(rw), line: { color: GAIN_ARROW_COLOR, width: 0 } },
      customdata: models.map((m) => [m.base, m.gains[rw]]),
      hovertemplate: `%{x}<br>${rewardLabel(rw)}: %{y:.1f} (base %{customdata[0]:.1f}, gain %{customdata[1]:+.1f})<extra></extra>`,
    });
  }
  return {
    data,
    layout: figureLayout('Weak & spurious rewards work on certain models, but not all', provenance, {
      barmode: 'group',
      bargap: 0.18,
      yaxis: { title: { text: 'MATH-500 accuracy (%)' }, range: [0, 85], gridcolor: '#eee' },
      legend: { orientation: 'h', y: -0.12 },
    }),
    width: 1000,
    height: 520,
    provenance,
  };
}

/** Fig. 1 variant: gains only (bars from zero), which makes the negative gains easy to read. */
export function figure1GainsSpec(models: readonly Fig1Model[]): FigureSpec {
  const provenance = 'reported by the paper (v1, Fig. 1) — gain in MATH-500 points after 150 RLVR steps';
  const data = FIG1_REWARDS.map((rw) => ({
    type: 'bar',
    name: rewardLabel(rw),
    x: models.map((m) => m.model),
    y: models.map((m) => m.gains[rw]),
    text: models.map((m) => signed(m.gains[rw])),
    textposition: 'outside',
    marker: { color: rewardColor(rw) },
    hovertemplate: `%{x}<br>${rewardLabel(rw)}: %{y:+.1f}<extra></extra>`,
  }));
  return {
    data,
    layout: figureLayout('Gain over the base model, by reward', provenance, {
      barmode: 'group',
      yaxis: { title: { text: 'Δ MATH-500 accuracy (points)' }, zeroline: true, zerolinecolor: '#444', gridcolor: '#eee' },
      legend: { orientation: 'h', y: -0.12 },
    }),
    width: 1000,
    height: 480,
    provenance,
  };
}

/** v1 vs v2 headline gains for Qwen2.5-Math-7B (solid = v1, hatched = v2). */
export function headlineSpec(rows: readonly HeadlineGain[]): FigureSpec {
  const provenance = 'reported by the paper (v1 abstract/Fig. 1 vs v2 abstract) — Qwen2.5-Math-7B, MATH-500';
  const x = rows.map((r) => rewardLabel(r.reward));
  const colors = rows.map((r) => rewardColor(r.reward));
  return {
    data: [
      {
        type: 'bar',
        name: 'v1 (May 2025)',
        x,
        y: rows.map((r) => r.v1),
        text: rows.map((r) => signed(r.v1)),
        textposition: 'outside',
        marker: { color: colors },
      },
      {
        type: 'bar',
        name: 'v2 (Jun 2025)',
        x,
        y: rows.map((r) => r.v2),
        text: rows.map((r) => signed(r.v2)),
        textposition: 'outside',
        marker: { color: colors, opacity: 0.55, pattern: { shape: '/', fgcolor: '#333', solidity: 0.25 } },
      },
    ],
    layout: figureLayout('Headline gains moved between paper versions', provenance, {
      barmode: 'group',
      yaxis: { title: { text: 'gain (MATH-500 points)' }, range: [0, 34], gridcolor: '#eee' },
      legend: { orientation: 'h', y: -0.15 },
    }),
    width: 900,
    height: 460,
    provenance,
  };
}

/** Table 1: code frequency (left) and accuracy by reasoning style (right). */
export function table1Spec(rows: readonly CodeStyleRow[]): FigureSpec {
  const provenance = 'reported by the paper (v1, Table 1) — MATH-500 responses before RL';
  const withAcc = rows.filter((r) => r.accWithCode !== null && r.accLangOnly !== null);
  return {
    data: [
      {
        type: 'bar',
        name: 'code frequency',
        x: rows.map((r) => r.model),
        y: rows.map((r) => r.codeFrequency),
        text: rows.map((r) => r.codeFrequency.toFixed(1)),
        textposition: 'outside',
        marker: { color: '#6c7a89' },
        xaxis: 'x',
        yaxis: 'y',
      },
      {
        type: 'bar',
        name: 'accuracy with code',
        x: withAcc.map((r) => r.model),
        y: withAcc.map((r) => r.accWithCode),
        text: withAcc.map((r) => (r.accWithCode ?? 0).toFixed(1)),
        textposition: 'outside',
        marker: { color: STRATEGY_COLORS.code_to_code },
        xaxis: 'x2',
        yaxis: 'y2',
      },
      {
        type: 'bar',
        name: 'accuracy, language only',
        x: withAcc.map((r) => r.model),
        y: withAcc.map((r) => r.accLangOnly),
        text: withAcc.map((r) => (r.accLangOnly ?? 0).toFixed(1)),
        textposition: 'outside',
        marker: { color: STRATEGY_COLORS.lang_to_lang },
        xaxis: 'x2',
        yaxis: 'y2',
      },
    ],
    layout: figureLayout('Code reasoning before RL: how often, and does it help?', provenance, {
      barmode: 'group',
      xaxis: { domain: [0, 0.44], tickangle: -30 },
      yaxis: { title: { text: 'responses containing code (%)' }, range: [0, 110], gridcolor: '#eee' },
      xaxis2: { domain: [0.54, 1], anchor: 'y2', tickangle: -30 },
      yaxis2: { title: { text: 'accuracy (%)' }, range: [0, 75], anchor: 'x2', gridcolor: '#eee' },
      legend: { orientation: 'h', y: -0.3 },
      margin: { l: 70, r: 30, t: 90, b: 120 },
    }),
    width: 1000,
    height: 500,
    provenance,
  };
}

const SUBSET_LABEL: Record<(typeof STRATEGY_SUBSETS)[number], string> = {
  code_to_code: 'Code→Code',
  code_to_lang: 'Code→Lang',
  lang_to_code: 'Lang→Code',
  lang_to_lang: 'Lang→Lang',
};

/** Table 2: stacked partial contributions C_d per model (each row sums to ~100%). */
export function table2Spec(rows: readonly PartialContributionRow[]): FigureSpec {
  const provenance = 'reported by the paper (v1, Table 2) — share of the MATH-500 gain by strategy switch';
  const y = rows.map((r) => `${r.model} (avg gain +${r.avgTotalGain.toFixed(1)})`);
  return {
    data: STRATEGY_SUBSETS.map((s) => ({
      type: 'bar',
      orientation: 'h',
      name: SUBSET_LABEL[s],
      y,
      x: rows.map((r) => r.contribution[s]),
      text: rows.map((r) => (r.contribution[s] >= 7 ? `${r.contribution[s].toFixed(1)}%` : '')),
      textposition: 'inside',
      textangle: 0,
      insidetextanchor: 'middle',
      marker: { color: STRATEGY_COLORS[s] },
      hovertemplate: `%{y}<br>${SUBSET_LABEL[s]}: %{x:.1f}%<extra></extra>`,
    })),
    layout: figureLayout('Where the gain comes from: switching reasoning strategy', provenance, {
      barmode: 'stack',
      xaxis: {
        title: { text: 'partial contribution C_d (% of the net gain; rows sum to ~100 as printed)' },
        range: [0, Math.max(100, ...rows.map((r) => STRATEGY_SUBSETS.reduce((a, s) => a + r.contribution[s], 0))) + 2],
        gridcolor: '#eee',
      },
      yaxis: { autorange: 'reversed' },
      legend: { orientation: 'h', y: -0.4, traceorder: 'normal' },
      margin: { l: 260, r: 30, t: 90, b: 110 },
    }),
    width: 1000,
    height: 420,
    provenance,
  };
}

/** Table 3: original vs code-forcing prompt, one pair of bars per model, labelled with the change. */
export function table3Spec(rows: readonly CodePromptRow[]): FigureSpec {
  const provenance = 'reported by the paper (v1, Table 3) — MATH-500, response forced to start "Let\'s solve this using Python."';
  const x = rows.map((r) => r.model);
  return {
    data: [
      {
        type: 'bar',
        name: 'original prompt',
        x,
        y: rows.map((r) => r.original),
        text: rows.map((r) => r.original.toFixed(1)),
        textposition: 'outside',
        marker: { color: REWARD_COLORS.before_rl },
      },
      {
        type: 'bar',
        name: 'code-forcing prompt',
        x,
        y: rows.map((r) => r.prompted),
        text: rows.map((r) => `${r.prompted.toFixed(1)} (${signed(r.diff)})`),
        textposition: 'outside',
        marker: { color: rows.map((r) => (r.diff >= 0 ? REWARD_COLORS.python : '#c98b8b')) },
      },
    ],
    layout: figureLayout('Forcing code reasoning helps Qwen2.5-Math, hurts most others', provenance, {
      barmode: 'group',
      yaxis: { title: { text: 'MATH-500 accuracy (%)' }, range: [0, 75], gridcolor: '#eee' },
      xaxis: { tickangle: -25 },
      legend: { orientation: 'h', y: -0.3 },
      margin: { l: 70, r: 30, t: 90, b: 130 },
    }),
    width: 1000,
    height: 500,
    provenance,
  };
}
