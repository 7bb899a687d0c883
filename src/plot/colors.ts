/**
 * One colour per reward, used by every figure in the workbook.
 *
 * The first seven were sampled from the bars of Fig. 1 in the v1 PDF (rendered page 1,
 * most frequent fill colours): grey = before RL, green = ground truth, blue = majority vote,
 * teal = one-shot RL, orange = format, red = incorrect label, purple = random. The paper gives
 * no single colour to the Python / no-Python / compound rewards (Fig. 8-9 colour by model),
 * so those are our choices, picked to stay distinct from the seven above.
 */
export const REWARD_COLORS = {
  before_rl: '#929292',
  ground_truth: '#4b9744',
  majority_vote: '#1983c0',
  one_shot: '#1aa691',
  format: '#e89f48',
  incorrect: '#e15143',
  random: '#9a6ec1',
  python: '#2f4b7c',
  no_python: '#b5651d',
  compound: '#7a7a52',
} as const;

export type RewardKey = keyof typeof REWARD_COLORS;

/** Display names as the paper writes them. */
export const REWARD_LABELS: Record<RewardKey, string> = {
  before_rl: 'Before RL',
  ground_truth: 'Ground Truth',
  majority_vote: 'Majority Vote',
  one_shot: 'One-Shot RL',
  format: 'Format Reward',
  incorrect: 'Incorrect Label',
  random: 'Random Reward',
  python: 'Python Reward',
  no_python: 'No-Python Reward',
  compound: 'Compound (reward AND no python)',
};

/** The yellow of Fig. 1's gain arrows. */
export const GAIN_ARROW_COLOR = '#ffd932';

/** Code vs language reasoning, as in Fig. 7 (blue = code, red = language). */
export const STRATEGY_COLORS = {
  code_to_code: '#5b6ee1',
  code_to_lang: '#a9b4f0',
  lang_to_code: '#f0a39b',
  lang_to_lang: '#e4574a',
} as const;

export function isRewardKey(s: string): s is RewardKey {
  return Object.prototype.hasOwnProperty.call(REWARD_COLORS, s);
}

/** Colour for a reward key; throws on unknown keys so typos do not silently go grey. */
export function rewardColor(reward: string): string {
  if (!isRewardKey(reward)) throw new Error(`rewardColor: unknown reward "${reward}" (known: ${Object.keys(REWARD_COLORS).join(', ')})`);
  return REWARD_COLORS[reward];
}

export function rewardLabel(reward: string): string {
  return isRewardKey(reward) ? REWARD_LABELS[reward] : reward;
}

/** Clip-mode comparisons: blue = without the clip (ρÂ), orange-red = with it (min(ρÂ, clip(ρ)Â)). */
export const CLIP_MODE_COLORS = Object.freeze({ noclip: '#2563eb', clip: '#c2410c' } as const);

/** One colour per stand-in family (shared by every figure that compares families). */
export const FAMILY_COLORS: Readonly<Record<string, string>> = Object.freeze({
  'good-code': '#2f4b7c',
  'bad-code': '#e15143',
  'no-code': '#1983c0',
  'no-code-weak': '#929292',
});

/** Colour of a family; throws on unknown names so a typo does not silently reuse another colour. */
export function familyColor(family: string): string {
  const c = FAMILY_COLORS[family];
  if (c === undefined) throw new Error(`familyColor: unknown family "${family}" (known: ${Object.keys(FAMILY_COLORS).join(', ')})`);
  return c;
}
