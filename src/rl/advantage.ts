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
