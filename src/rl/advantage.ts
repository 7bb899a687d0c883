/**
 * GRPO's group-relative advantage (Paper A, Appendix A): Â = (r − mean_group) / std_group, with
 * Â = 0 for every member of a group whose rewards are all equal (std = 0: no signal). The
 * formula lives in src/theory/advantage.ts, where the clipping-bias derivation also uses it.
 */
import { groupAdvantages } from '../theory/advantage';

/** Advantages for consecutive groups of `groupSize` rewards. */
export function groupedAdvantages(rewards: readonly number[], groupSize: number): Float32Array {
  if (rewards.length % groupSize !== 0) throw new Error(`groupedAdvantages: ${rewards.length} rewards is not a whole number of groups of ${groupSize}`);
  const out = new Float32Array(rewards.length);
  for (let g = 0; g < rewards.length; g += groupSize) out.set(groupAdvantages(rewards.slice(g, g + groupSize)), g);
  return out;
}

/** Fraction of groups whose rewards are all equal (they contribute no gradient). */
export function zeroStdGroupFraction(rewards: readonly number[], groupSize: number): number {
  let zero = 0;
  const groups = rewards.length / groupSize;
  for (let g = 0; g < rewards.length; g += groupSize) {
    const grp = rewards.slice(g, g + groupSize);
    if (grp.every((r) => r === grp[0])) zero++;
  }
  return groups ? zero / groups : 0;
}

/**
 * RLOO's leave-one-out advantages for consecutive groups: Â_i = r_i − mean_{j≠i} r_j, with no std
 * division. Independent of r_i's own noise, its expectation is zero under any reward that ignores
 * the response, which makes it the phase map's unbiased null.
 */
export function leaveOneOutAdvantages(rewards: readonly number[], groupSize: number): Float32Array {
  if (groupSize < 2) throw new Error(`leaveOneOutAdvantages: groupSize must be at least 2, got ${groupSize}`);
  if (rewards.length % groupSize !== 0) throw new Error(`leaveOneOutAdvantages: ${rewards.length} rewards is not a whole number of groups of ${groupSize}`);
  const out = new Float32Array(rewards.length);
  for (let g = 0; g < rewards.length; g += groupSize) {
    let sum = 0;
    for (let i = 0; i < groupSize; i++) sum += rewards[g + i];
    for (let i = 0; i < groupSize; i++) out[g + i] = rewards[g + i] - (sum - rewards[g + i]) / (groupSize - 1);
  }
  return out;
}
