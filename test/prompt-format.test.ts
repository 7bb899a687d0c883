/**
 * H5 prompt templates: wrapping, validation, the format cell and its tables, and the evaluator's
 * use of wrapped prompts. The GRPO run and the CLI are in test/prompt-format.slow.test.ts.
 */
import { initBackend } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { validateGrpoConfig } from '../src/rl/config';
import { evaluator } from '../src/rl/standin';
import type { WorkerPool } from '../src/runtime/pool';
import { FORMAT_ARMS, FORMAT_CELLS, PHASE_CELLS, PhaseSummary, phaseRuns } from '../src/rl/phase';
import { cellArmRows } from '../src/rl/phaseTable';
import type { RunRecord } from '../src/rl/results';
import { armCurvesSpec } from '../src/plot/phase';
import { FormatRow, worstHandledTemplate } from '../src/rl/formatProbe';
import { H5_TEMPLATE_CANDIDATES, promptTemplateError, wrapPrompt, wrapProblems } from '../src/world/promptFormat';
import { generateProblem } from '../src/world/problems';
import { worldTokenizer } from '../src/world/vocab';

beforeAll(async () => { await initBackend({ quiet: true }); });

describe('prompt templates (H5)', () => {
  test('a template wraps the prompt at its one slot and leaves everything else of a problem alone', () => {
    expect(wrapPrompt('Q {prompt} A', 'Compute 2+3.\n')).toBe('Q Compute 2+3.\n A');
    const p = generateProblem(new Rng(1), 'p1');
    const [w] = wrapProblems([p], "{prompt}\nLet's think step by step.");
    expect(w).toEqual({ ...p, prompt: `${p.prompt}\nLet's think step by step.` });
    expect(wrapProblems([p], undefined)[0]).toBe(p);
  });

  test('bad templates are refused in one line naming the field', () => {
    expect(promptTemplateError('no slot')).toMatch(/exactly once, found 0/);
    expect(promptTemplateError('{prompt}{prompt}')).toMatch(/exactly once, found 2/);
    expect(promptTemplateError('{prompt} ∑')).toMatch(/world's vocabulary/);
    expect(promptTemplateError(3)).toMatch(/must be a string/);
    for (const c of H5_TEMPLATE_CANDIDATES) expect(promptTemplateError(c.template)).toBeNull();
    expect(() => validateGrpoConfig({ promptTemplate: 'Answer:' }, 'cfg.json')).toThrow(/^cfg\.json: field 'promptTemplate' must contain \{prompt\} exactly once/);
  });

  test('majority-vote labels and the incorrect rewards refuse a template', () => {
    for (const reward of ['majority-vote', 'incorrect', 'incorrect-no-python'] as const) {
      expect(() => validateGrpoConfig({ reward, promptTemplate: '# {prompt}' }, 'cfg')).toThrow(new RegExp(`^cfg: field 'promptTemplate' is not supported with reward '${reward}'`));
    }
  });

  test('the selection rule takes the lowest parse rate among templates still parsing ≥ 20%', () => {
    const row = (id: string, parsed: number): FormatRow => ({ family: 'f', id, template: id === 'none' ? null : `${id}{prompt}`, n: 10, acc: 0, parsed, boxed: 0, code: 0 });
    expect(worstHandledTemplate([row('none', 0.1), row('a', 0.9), row('b', 0.3), row('c', 0.1)])?.id).toBe('b');
    expect(worstHandledTemplate([row('none', 1), row('c', 0.1)])).toBeNull();
  });

  test('the format cell is the centre with a template, outside the screen, with the format-reward arm', () => {
    expect(PHASE_CELLS.some((c) => c.overrides.promptTemplate !== undefined)).toBe(false);
    const runs = phaseRuns('format');
    expect(runs).toHaveLength(FORMAT_CELLS.length * FORMAT_ARMS.length * 3);
    expect(runs.every((r) => r.cfg.promptTemplate === FORMAT_CELLS[0].overrides.promptTemplate)).toBe(true);
    expect(runs.filter((r) => r.cfg.reward === 'format')).toHaveLength(3);
    expect(Object.keys(FORMAT_CELLS[0].overrides)).toEqual(['promptTemplate']);
  });

  test('the format cell table: every arm it ran, n, start → end and change ± sd with its 95% interval over seeds', () => {
    const row = (reward: string, seed: number, acc: [number, number], parsed: [number, number] | [null, null]) => ({
      cell: 'format-think', reward, clip_mode: 'clip', seed, acc_start: acc[0], acc_end: acc[1], parsed_start: parsed[0], parsed_end: parsed[1], code_start: null, code_end: null, sampled_code_start: null, sampled_code_end: null,
    } as unknown as PhaseSummary);
    const rows = [row('format', 1, [0.02, 0.1], [0.4, 0.8]), row('format', 2, [0.02, 0.06], [0.5, 0.7]), row('random', 1, [0.02, 0.0], [null, null]), { ...row('format', 1, [0, 1], [0, 1]), cell: 'other' }];
    const t = cellArmRows(rows, 'format-think');
    expect(t.map((r) => r.arm)).toEqual(['format/clip', 'random/clip']);
    // Changes +8 and +4 points: mean 6, sd 2√2, half-width t(0.975, 1) · sd / √2 = 12.706 · 2 = 25.4.
    expect(t[0]).toMatchObject({ n: 2, 'acc start → end': '2.0 → 8.0', 'Δ acc': '+6.0 ± 2.8 (n 2; 95% −19.4 to +31.4)', 'parsed start → end': '45.0 → 75.0', 'Δ parsed': '+30.0 ± 14.1 (n 2; 95% −97.1 to +157.1)', 'greedy code start → end': '— → —', 'Δ greedy code': '—', 'sampled code start → end': '— → —' });
    expect(t[1]).toMatchObject({ n: 1, 'Δ acc': '−2.0 ± 0.0 (n 1; no interval at n 1)', 'Δ parsed': '—' });
  });

  test('the H5 curves: one line per arm, mean over its seeds of the logged parse rate', () => {
    // The config goes through validation, which maps the arm name 'clip' onto surrogate / estimator / batching.
    const rec = (reward: 'random' | 'format', gamma: number | null, seed: number, parsed: number[]) => ({
      cfg: validateGrpoConfig({ reward, gamma, clipMode: 'clip', seed }), log: parsed.map((p, i) => ({ step: 12 * i, eval: { acc: 0, parsed: p } })), summary: {},
    } as unknown as RunRecord);
    const spec = armCurvesSpec([rec('random', 0.5, 1, [0.4, 0.6]), rec('random', 0.5, 2, [0.5, 0.8]), rec('format', null, 1, [0.5, 1])], 'parsed', 't', 'ours — test');
    const lines = spec.data.filter((d) => d.mode === 'lines+markers' && typeof d.name === 'string') as { name: string; x: number[]; y: number[] }[];
    const random = lines.find((l) => l.name.startsWith('random(0.5), clip (n=2)'))!;
    expect(random.x).toEqual([0, 12]);
    expect(random.y.map((v) => +v.toFixed(6))).toEqual([45, 70]);
    expect(lines.some((l) => l.name.startsWith('format, clip (n=1)'))).toBe(true);
  });

  test('every evaluation set (greedy, avg@k, probe, fresh) is fed wrapped prompts', async () => {
    const tok = worldTokenizer();
    const seen: string[] = [];
    // A stand-in pool that records each prompt and answers "The answer is 1." at once.
    const answer = tok.encode('The answer is 1.');
    const pool = { sample: async (o: { prompts: number[][] }) => {
      seen.push(...o.prompts.map((p) => tok.decode(p)));
      return { tokens: o.prompts.map(() => answer), logProbs: o.prompts.map(() => answer.map(() => -0.1)), entropies: o.prompts.map(() => answer.map(() => 0.1)) };
    } } as unknown as WorkerPool;
    const cfg = validateGrpoConfig({ evalProblems: 5, evalAvgK: 2, evalAvgProblems: 3, probeProblems: 4, probeK: 2, freshProblems: 6, promptTemplate: '{prompt}WRAPPED' });
    const ev = await evaluator(cfg, pool)(0);
    expect(seen).toHaveLength(5 + 3 * 2 + 4 * 2 + 6);
    expect(seen.every((p) => p.endsWith('WRAPPED'))).toBe(true);
    expect(ev.parsed).toBe(1);
    expect(ev.fresh?.n).toBe(6);
  });
});
