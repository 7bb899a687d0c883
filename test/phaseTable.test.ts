/**
 * Reading the phase map: n per arm, paired differences with their 95% interval, update counts and
 * the shared-trajectory check (hand-made rows and facts), the figures' subtitles, and the shared
 * runs of the committed results/phase that notebook 06 discloses.
 */
import { PhaseSummary, loadPhaseRunFacts, loadPhaseSummary } from '../src/rl/phase';
import {
  PhaseRunFacts, phaseCellInfoRows, phaseCellRows, phaseContrastRows, phaseIntervalSide, phaseTableRows, sharedArmNotes, sharedNoteText, sharedRuns, stepFingerprint,
} from '../src/rl/phaseTable';
import { phaseMapSpec, phaseSliceSpec } from '../src/plot/phase';

/** One summary row: the change of greedy accuracy and code is `acc` and `code` (fractions) from 0.3 / 0.0. */
const row = (cell: string, clip_mode: string, seed: number, acc: number, o: Partial<PhaseSummary> = {}): PhaseSummary => ({
  run_id: `${cell}__${clip_mode}__s${seed}`, cell, axis: 'centre', family: 'good-code-global', reward: 'random', gamma: 0.5, clip_mode, seed, steps: 48,
  acc_start: 0.3, acc_end: 0.3 + acc, code_start: 0, code_end: 0, epsilon: 0.2, lr: 1e-4, rollouts_per_step: 64, step_s: 1,
  ...o,
} as unknown as PhaseSummary);

describe('phase table', () => {
  // clip changes −0.10, −0.20, −0.30; noclip −0.20, −0.25, −0.40: clip − noclip +10, +5, +10 points.
  const rows = [
    row('c', 'clip', 1, -0.1), row('c', 'clip', 2, -0.2), row('c', 'clip', 3, -0.3),
    row('c', 'noclip', 1, -0.2), row('c', 'noclip', 2, -0.25), row('c', 'noclip', 3, -0.4),
    row('c', 'rloo', 1, -0.1), row('c', 'rloo', 2, -0.1),
  ];

  test('n per arm and the paired difference with its 95% t interval, seed by seed', () => {
    const [c] = phaseCellRows(rows);
    expect([c.arms['random/clip']!.n, c.arms['random/noclip']!.n, c.arms['random/rloo']!.n, c.arms['ground-truth/clip']]).toEqual([3, 3, 2, null]);
    const d = c.clip_minus_noclip!;
    expect(d.n).toBe(3);
    expect(d.mean).toBeCloseTo(25 / 300, 12);
    const sd = Math.sqrt(((10 - 25 / 3) ** 2 * 2 + (5 - 25 / 3) ** 2) / 2) / 100;
    expect(d.sd).toBeCloseTo(sd, 12);
    expect(d.hi! - d.mean).toBeCloseTo((4.303 * sd) / Math.sqrt(3), 12);
    // clip − RLOO pairs only the two seeds RLOO has.
    expect(c.clip_minus_rloo).toMatchObject({ n: 2, mean: expect.closeTo(-0.05, 12) });
    expect(c.paired_seeds).toBe(2);
    const t = phaseTableRows(rows)[0];
    // −10, −20, −30 points: sd 10, half-width 4.303 · 10 / √3 = 24.8.
    expect(t['random clip']).toBe('−20.0 ± 10.0 (n 3; 95% −44.8 to +4.8)');
    expect(t['random rloo']).toBe('−10.0 ± 0.0 (n 2; 95% −10.0 to −10.0)');
    expect(t['clip − noclip (paired)']).toMatch(/^\+8\.3 ± 2\.9 \(n 3; 95% \+1\.2 to \+15\.5\)$/);
    expect(phaseIntervalSide(d)).toBe('above 0');
    expect(phaseIntervalSide(c.clip_minus_rloo)).toBe('includes 0');
    expect(phaseIntervalSide(null)).toBe('no interval');
    expect(phaseContrastRows(rows, ['acc'])[0]['intervals excluding 0']).toBe('acc clip − noclip above 0');
  });

  const fp = (xs: number[]) => xs.map((x) => stepFingerprint({ reward_mean: x, rollout_code: 0.5, rollout_boxed: 1, rollout_acc: 0.25, response_length: 20 }));
  // Cell b repeats cell a's noclip runs (same steps) and continues its clip run of seed 1; its RLOO run differs.
  const two = [
    row('a', 'clip', 1, -0.1), row('a', 'noclip', 1, -0.2), row('a', 'rloo', 1, -0.1),
    row('b', 'clip', 1, -0.15, { steps: 96 }), row('b', 'noclip', 1, -0.2), row('b', 'rloo', 1, -0.1),
  ];
  const facts = new Map<string, PhaseRunFacts>([
    ['a__clip__s1', { updates: 384, trajectory: fp([0.5, 0.4]) }],
    ['a__noclip__s1', { updates: 384, trajectory: fp([0.5, 0.6]) }],
    ['a__rloo__s1', { updates: 48, trajectory: fp([0.5, 0.7]) }],
    ['b__clip__s1', { updates: 768, trajectory: fp([0.5, 0.4, 0.3, 0.2]) }],
    ['b__noclip__s1', { updates: 384, trajectory: fp([0.5, 0.6]) }],
    ['b__rloo__s1', { updates: 48, trajectory: fp([0.5, 0.8]) }],
  ]);

  test('runs of an earlier cell with the same family, arm and seed and the same steps are found, as the same runs or continued', () => {
    const s = sharedRuns(two, facts);
    expect(s.map((x) => [x.run_id, x.other_run_id, x.relation])).toEqual([['b__clip__s1', 'a__clip__s1', 'continues'], ['b__noclip__s1', 'a__noclip__s1', 'same']]);
    const notes = sharedArmNotes(two, facts);
    expect(notes.map((n) => [n.cell, n.arm, n.other_cell, n.relation, n.common_steps, n.seeds])).toEqual([['b', 'random/clip', 'a', 'continues', 2, [1]], ['b', 'random/noclip', 'a', 'same', 2, [1]]]);
    expect(sharedNoteText(notes, 3)).toBe("clip: continue a's runs (identical through step 2); noclip: the same runs as a's");
    const info = phaseCellInfoRows(two, facts);
    expect(info[1]).toMatchObject({ cell: 'b', 'n: clip · noclip · RLOO · GT': '1 · 1 · 1 · 0', 'updates per run: clip · noclip · RLOO · GT': '768 · 384 · 48 · —' });
    expect(info[0]['runs shared with an earlier cell']).toBe('—');
  });

  test('the map subtitle names n per arm; the slice is titled for the difference it plots', () => {
    const map = phaseMapSpec(rows);
    expect(map.provenance).toContain('n per arm (clip · noclip · RLOO · GT): 3 · 3 · 2 · 0 in c');
    expect(map.provenance).toContain('paired 95% t interval');
    const slice = phaseSliceSpec([...rows.map((r) => ({ ...r, axis: 'centre' })), ...rows.map((r) => ({ ...r, cell: 'e', axis: 'epsilon', epsilon: 0.05 }))] as PhaseSummary[]);
    const title = (slice.layout.title as { text: string }).text;
    expect(title).toMatch(/^The clip's brake: random\(0\.5\) with the clip minus without it \(clip − noclip\)/);
    expect(title).not.toMatch(/bias/i);
    expect(slice.provenance).toContain('n per arm (clip · noclip): 3 · 3 in c, e');
    expect(JSON.stringify(slice.data)).toContain('(n 3)<br>95% +1.2 to +15.5');
  });
});

describe('the committed phase map', () => {
  test('the shared runs notebook 06 discloses are in the logs', () => {
    const phase = loadPhaseSummary();
    if (phase.length === 0) return;
    const notes = sharedArmNotes(phase, loadPhaseRunFacts(phase));
    const find = (cell: string, arm: string) => notes.filter((n) => n.cell === cell && n.arm === arm).map((n) => [n.other_cell, n.relation, n.seeds.join(',')]);
    expect(find('eps-0.05', 'random/noclip')).toEqual([['centre', 'same', '1,2,3']]);
    expect(find('eps-0.05', 'random/rloo')).toEqual([['centre', 'same', '1,2,3']]);
    expect(find('updates-2', 'random/rloo')).toEqual([['centre', 'same', '1,2,3']]);
    expect(find('eps-0.05', 'random/clip')).toEqual([]);
    expect(find('steps-96', 'random/clip')).toEqual([['centre', 'continues', '1,2,3']]);
    expect(find('confirm-updates-2', 'random/clip')).toEqual([['updates-2', 'continues', '1,2,3']]);
    expect(find('confirm-updates-2', 'random/rloo')).toEqual([['steps-96', 'same', '1,2,3']]);
    expect(find('confirm-slice-share80-eps0.05', 'random/noclip')).toEqual([['prior-share80', 'continues', '1,2,3']]);
  });
});
