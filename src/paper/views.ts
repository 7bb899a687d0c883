import { loadReported, type ReportedRow } from './reported';

/** Rewards in the order the paper's Fig. 1 draws them. */
export const FIG1_REWARDS = ['ground_truth', 'majority_vote', 'one_shot', 'format', 'incorrect', 'random'] as const;
export type Fig1Reward = (typeof FIG1_REWARDS)[number];

export interface Fig1Model {
  model: string;
  base: number;
  gains: Record<Fig1Reward, number>;
}

function need(rows: readonly ReportedRow[], pred: (r: ReportedRow) => boolean, what: string): ReportedRow {
  const hit = rows.find(pred);
  if (!hit) throw new Error(`reported data: missing ${what}`);
  return hit;
}

/** Fig. 1 (v1): per model, the base MATH-500 accuracy and the gain for each reward. */
export function figure1Models(rows: readonly ReportedRow[] = loadReported('fig1')): Fig1Model[] {
  const models = [...new Set(rows.map((r) => r.model))];
  return models.map((model) => {
    const base = need(rows, (r) => r.model === model && r.quantity === 'accuracy_before_rl', `${model} base`).value;
    const gains = {} as Record<Fig1Reward, number>;
    for (const rw of FIG1_REWARDS) {
      gains[rw] = need(rows, (r) => r.model === model && r.rewardOrMetric === rw && r.quantity === 'gain_after_150_steps', `${model} ${rw}`).value;
    }
    return { model, base, gains };
  });
}

export interface HeadlineGain {
  reward: string;
  v1: number;
  v2: number;
}

/** Qwen2.5-Math-7B MATH-500 gains as stated by v1 and v2 of Paper A. */
export function headlineGains(rows: readonly ReportedRow[] = loadReported('headline')): HeadlineGain[] {
  const rewards = [...new Set(rows.map((r) => r.rewardOrMetric))];
  return rewards.map((reward) => ({
    reward,
    v1: need(rows, (r) => r.rewardOrMetric === reward && r.version === 'v1', `v1 ${reward}`).value,
    v2: need(rows, (r) => r.rewardOrMetric === reward && r.version === 'v2', `v2 ${reward}`).value,
  }));
}

export interface CodeStyleRow {
  model: string;
  codeFrequency: number;
  accWithCode: number | null;
  accLangOnly: number | null;
}

/** Table 1 (v1): code frequency and accuracy by reasoning style, before RL. */
export function table1Rows(rows: readonly ReportedRow[] = loadReported('table1')): CodeStyleRow[] {
  const models = [...new Set(rows.map((r) => r.model))];
  const get = (m: string, k: string) => rows.find((r) => r.model === m && r.rewardOrMetric === k)?.value ?? null;
  return models.map((model) => ({
    model,
    codeFrequency: need(rows, (r) => r.model === model && r.rewardOrMetric === 'code_frequency', `${model} code_frequency`).value,
    accWithCode: get(model, 'acc_with_code'),
    accLangOnly: get(model, 'acc_lang_only'),
  }));
}

export const STRATEGY_SUBSETS = ['code_to_code', 'code_to_lang', 'lang_to_code', 'lang_to_lang'] as const;
export type StrategySubset = (typeof STRATEGY_SUBSETS)[number];

export interface PartialContributionRow {
  model: string;
  avgTotalGain: number;
  contribution: Record<StrategySubset, number>;
}

/** Table 2 (v1): partial contribution C_d of each strategy-switch subset to the gain. */
export function table2Rows(rows: readonly ReportedRow[] = loadReported('table2')): PartialContributionRow[] {
  const models = [...new Set(rows.map((r) => r.model))];
  return models.map((model) => {
    const contribution = {} as Record<StrategySubset, number>;
    for (const s of STRATEGY_SUBSETS) contribution[s] = need(rows, (r) => r.model === model && r.rewardOrMetric === s, `${model} ${s}`).value;
    return {
      model,
      avgTotalGain: need(rows, (r) => r.model === model && r.rewardOrMetric === 'avg_total_gain', `${model} avg gain`).value,
      contribution,
    };
  });
}

export interface CodePromptRow {
  model: string;
  original: number;
  prompted: number;
  diff: number;
}

/** Table 3 (v1): MATH-500 accuracy with the original prompt vs the code-forcing prompt. */
export function table3Rows(rows: readonly ReportedRow[] = loadReported('table3')): CodePromptRow[] {
  const models = [...new Set(rows.map((r) => r.model))];
  return models.map((model) => ({
    model,
    original: need(rows, (r) => r.model === model && r.rewardOrMetric === 'original_prompt', `${model} original`).value,
    prompted: need(rows, (r) => r.model === model && r.rewardOrMetric === 'code_forcing_prompt' && r.quantity === 'accuracy', `${model} prompted`).value,
    diff: need(rows, (r) => r.model === model && r.quantity === 'abs_diff', `${model} diff`).value,
  }));
}
