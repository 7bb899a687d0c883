/**
 * Executes every notebooks/*.ipynb headless with the project's tslab kernel (fast mode) into a
 * temporary folder, and fails on any cell error or stderr output, on output lost where the committed
 * notebook has some, and on named cells whose output differs from what the library computes here.
 * Skips when jupyter-nbconvert is absent, except in CI.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeWithTool } from './helpers';
import { executeNotebook, findNbconvert, listNotebooks } from '../scripts/notebook-runner';
import { dfd } from '../src/paper/danfo';
import { figure1Frame, loadAllReported, table1Frame, table3Frame } from '../src/paper/index';
import { frameBundle } from '../src/plot/notebook';
import { loadContaminationRuns, loadPhaseSummary, loadRuns, phaseContrastRows } from '../src/rl/index';
import { LADDER_ARMS, LADDER_CELLS, LADDER_SEEDS, ladderRuns, loadLadderSummary } from '../src/rl/ladder';
import { decisiveCell, detectableEffect, ladderContrastTable } from '../src/rl/ladderTable';
import { MODEL_CONFIGS_DIR, formatPlanTable, paperPlanSettings, planReal } from '../src/real/plan';
import { advantageMoments, probabilityBand, upperClipThreshold } from '../src/theory/index';

type Output = { output_type: string; name?: string; text?: string | string[]; data?: Record<string, string | string[]> };
type Cell = { cell_type: string; id?: string; source: string | string[]; outputs?: Output[] };
type Notebook = { cells: Cell[]; metadata: { kernelspec?: { name?: string } } };

const text = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join('') : t ?? '');
const readNotebook = (file: string): Notebook => JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
const codeCells = (nb: Notebook): Cell[] => nb.cells.filter((c) => c.cell_type === 'code' && text(c.source).trim() !== '');
const stdoutOf = (c: Cell): string => (c.outputs ?? []).filter((o) => o.output_type === 'stream' && o.name === 'stdout').map((o) => text(o.text)).join('');
/** Each display's text/markdown, else text/plain. */
const displaysOf = (c: Cell): string[] => (c.outputs ?? []).filter((o) => o.data).map((o) => text(o.data!['text/markdown'] ?? o.data!['text/plain']));
const frameText = (...args: Parameters<typeof frameBundle>): string => frameBundle(...args)['text/plain'];

/**
 * Per notebook, named cells (by cell id) and what their executed output must contain, computed
 * here by the same library calls on the committed data. A kernel that ran nothing, ran stale
 * code, lost the output or did not see SR_NOTEBOOK_FAST cannot produce it. Every notebook needs
 * an entry, so a new notebook gets at least one such check.
 */
const EXPECTED: Record<string, { cell: string; stdout?: () => string; display?: () => string }[]> = {
  '00-tour.ipynb': [
    { cell: '0c8a83ee', stdout: () => `${loadAllReported().length} reported values in datasets/paper/\n` },
    { cell: '8d080f5e', stdout: () => 'fast mode: true\n' },
  ],
  '01-reported-results.ipynb': [
    { cell: '1c08b3e9', display: () => frameText(table1Frame(), 'Table 1 (v1): code frequency and accuracy by reasoning style (%)') },
    { cell: '15dd667c', display: () => frameText(table3Frame(), 'Table 3 (v1): MATH-500 accuracy (%), original vs code-forcing prompt') },
  ],
  '02-spurious-rewards.ipynb': [
    { cell: 'c01', stdout: () => `\n${loadRuns('full').length} finished runs in results/full/\n` },
    // The regime grid's verdicts and table, from whatever regime runs are committed (none is a valid state).
    {
      cell: 'c01r1',
      display: () => {
        const rt = require('../src/rl/regimeTable') as typeof import('../src/rl/regimeTable');
        const fr = require('../src/rl/frames') as typeof import('../src/rl/frames');
        return frameText(fr.regimeVerdictFrame(rt.regimeVerdicts(rt.loadRegimeRuns())), 'Regime grid: the pre-registered rules applied to the finished runs (ours, stand-in; points)');
      },
    },
    // Which seeds ran on which GRPO-step version, and the clip-mode ablation pooled and per version.
    {
      cell: 'c03b',
      stdout: () => { const rl = require('../src/rl/index') as typeof import('../src/rl/index'); const runs = loadRuns('full'); return `${rl.stepVersionCounts(runs)}\n${rl.stepCodeNote(runs)}\n`; },
      display: () => {
        const rl = require('../src/rl/index') as typeof import('../src/rl/index');
        const runs = loadRuns('full');
        const rows = rl.versionRows(['clip', 'noclip', 'minibatch=rollout', 'rollout=minibatch'].map((m) => ({ label: m, runs: rl.ladderCell(runs, 'good-code', 'random', m) })), 'clip');
        return frameText(rl.versionFrame(rows, 'clip'), 'good-code, random reward (γ = 0.5) by clip mode (ours): changes in points over all seeds and per step version, mean ± sd (n; 95% t interval); − clip: paired by seed');
      },
    },
  ],
  '03-code-reasoning.ipynb': [
    { cell: 'c01', stdout: () => `\n${loadRuns('full').length} finished runs in results/full/\n` },
    { cell: 'c08', display: () => frameText(table3Frame(), 'Paper Table 3 (reported): MATH-500 accuracy, original vs code-forcing prompt') },
  ],
  '04-clipping-bias.ipynb': [
    {
      cell: '93972a10',
      display: () => {
        const m = advantageMoments(0.5, 16);
        return `| 16 | 0.5 | ${m.mean.toExponential(1)} | ${m.pPositive.toFixed(4)} | ${m.meanPositive.toFixed(4)} | ${m.mu.toFixed(4)} | ${m.secondMoment.toFixed(4)} |`;
      },
    },
    {
      cell: '3ec07d0b',
      stdout: () => {
        const b = probabilityBand(0.85);
        return `π_old = 0.85: band [${b.lower.toFixed(3)}, ${b.upper.toFixed(3)}], upper edge reachable: ${b.upperReachable}\nthreshold 1/(1+ε) = ${upperClipThreshold(0.2).toFixed(4)};`;
      },
    },
  ],
  '05-cross-family.ipynb': [
    { cell: 'c05', display: () => frameText(figure1Frame(), 'Paper Fig. 1 (reported): MATH-500 base accuracy and gain per reward (points)') },
    // The heatmap's cells with n, 95% intervals and the paired difference to the random reward.
    {
      cell: 'c05b',
      display: () => {
        const rl = require('../src/rl/index') as typeof import('../src/rl/index');
        const rewards = ['ground-truth', 'majority-vote', 'one-shot', 'format', 'incorrect', 'random', 'python'];
        return frameText(rl.rewardGridFrame(rl.rewardGridRows(loadRuns('full'), ['good-code', 'bad-code', 'no-code', 'no-code-weak'], rewards)), "The heatmap's cells (ours, preset full): gain in points, mean ± sd (n; 95% t interval over seeds); − random(0.5): paired by seed");
      },
    },
  ],
  '06-when-random-helps.ipynb': [
    { cell: 'bfeaa339', stdout: () => `results/phase/summary.json: ${loadPhaseSummary().length} finished runs\n` },
    // The paired contrasts the verdicts quote (mean ± sd, n, paired 95% interval, which exclude 0).
    {
      cell: '5a1c0e04',
      display: () => frameText(new dfd.DataFrame(phaseContrastRows(loadPhaseSummary(), ['acc', 'code', 'sampled_code'])), 'Paired contrasts (ours): random(0.5) clip − noclip and clip − RLOO, points, mean ± sd (n; paired 95% t interval)'),
    },
  ],
  '07-reasoning-or-memorization.ipynb': [
    { cell: 'b51f52f6', stdout: () => `finished contamination runs: ${new Set(loadContaminationRuns().map((r) => r.run_id)).size} of 54\n` },
    // The within-difficulty comparison and the lines the verdicts quote, recomputed from the runs.
    {
      cell: 'e27f0a94',
      display: () => frameText(new dfd.DataFrame((require('../src/rl/contaminationReport') as typeof import('../src/rl/contaminationReport')).freshComparisonTable(loadContaminationRuns(), 'leaked')), "leaked test problems vs fresh problems within difficulty (ours, stand-in), points at fresh's difficulty mix: mean ± sd (n seeds; 95% t interval)"),
    },
    { cell: 'c8e31b57', stdout: () => `${(require('../src/rl/contaminationReport') as typeof import('../src/rl/contaminationReport')).contaminationKeyLines(loadContaminationRuns()).join('\n')}\n` },
  ],
  '08-update-size.ipynb': [
    { cell: 'b8b25022', stdout: () => `${ladderRuns().length} runs: ${LADDER_CELLS.length} cells, arms ${LADDER_ARMS.join(', ')}, seeds ${LADDER_SEEDS.join(', ')};` },
    {
      cell: 'f3b24638',
      display: () => frameText(new dfd.DataFrame([3, 5, 8].map((n) => ({ seeds: n, 'smallest effect resolved at sd 5 (points)': detectableEffect(n, 5).toFixed(1), 'at sd 3': detectableEffect(n, 3).toFixed(1) }))), 'Paired 95% t interval half-width by seed count'),
    },
    { cell: 'bfd58444', display: () => frameText(new dfd.DataFrame(ladderContrastTable(loadLadderSummary())), 'Primary endpoint by cell (ours, stand-in; points; mean ± sd, n, paired 95% interval)') },
    { cell: '6b0f3c92', stdout: () => { const d = decisiveCell(loadLadderSummary()); return d.cell ? `decisive cell: ${d.cell}` : `candidates without seeds 101–103 in both arms: ${d.missing.join(', ')}`; } },
    { cell: '9c41e6d2', stdout: () => { const r = (require('../src/rl/ladderTable') as typeof import('../src/rl/ladderTable')).cellReadings(loadLadderSummary()); return r.length ? r.map((x) => [`${x.cell} at N ${x.at} (seeds ${x.seeds.join(', ')}; points, stand-in):`, ...x.lines.map((l) => `  ${l}`)].join('\n')).join('\n') : 'no cell has every arm'; } },
    {
      cell: 'd2b7e913',
      display: () => frameText(new dfd.DataFrame((require('../src/rl/ladderVerdicts') as typeof import('../src/rl/ladderVerdicts')).ladderVerdicts(loadLadderSummary()).map((h) => ({ hypothesis: h.id, status: h.status, reading: h.reading, rule: h.rule }))), 'Pre-registered hypotheses, each rule applied to the finished runs (ours, stand-in; points)'),
    },
  ],
  '09-real-checkpoints.ipynb': [
    { cell: 'c01', stdout: () => 'model: tiny random-weight checkpoint: plumbing, not science\n' },
    { cell: 'c03', display: () => formatPlanTable(['Qwen2.5-Math-1.5B', 'Qwen2.5-Math-7B'].map((m) => planReal(path.join(MODEL_CONFIGS_DIR, m), paperPlanSettings()))).join('\n') },
  ],
};

const nbconvert = findNbconvert();
const describeJupyter = describeWithTool('jupyter-nbconvert', Boolean(nbconvert), 'apt-get install jupyter-nbconvert; see .ci/apt-packages.txt');

describeJupyter('notebooks execute without cell errors (SR_NOTEBOOK_FAST=1)', () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-nbtest-'));
  const notebooks = listNotebooks();

  it('there are notebooks', () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(notebooks.map((n) => [path.basename(n), n]))('%s', async (name, nb) => {
    const checks = EXPECTED[name];
    if (!checks) throw new Error(`${name}: no named-cell checks; add an entry to EXPECTED in test/notebooks.test.ts`);
    const r = await executeNotebook(nb, { fast: true, inplace: false, outDir, nbconvert: nbconvert! });
    if (!r.ok) throw new Error(`${r.error}\n${(r.detail ?? '').split('\n').slice(0, 20).join('\n')}`);
    const committed = codeCells(readNotebook(nb));
    const executed = codeCells(readNotebook(r.executed));
    // No error output and nothing on stderr (tslab prints compile errors and uncaught stacks there).
    const bad = executed.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr')).map((o) => `${c.id}: ${o.output_type} ${text(o.text).slice(0, 200)}`));
    expect(bad).toEqual([]);
    // A cell with output in the committed notebook has output after re-execution. (Which cells ran
    // cannot be read from execution_count: tslab leaves it null.)
    expect(executed.map((c) => c.id)).toEqual(committed.map((c) => c.id));
    const lost = committed.filter((c, i) => (c.outputs ?? []).length > 0 && (executed[i].outputs ?? []).length === 0).map((c) => c.id);
    expect(lost).toEqual([]);
    for (const check of checks) {
      const cell = executed.find((c) => c.id === check.cell);
      if (!cell) throw new Error(`${name}: no code cell with id ${check.cell}`);
      if (check.stdout) expect(`${check.cell}: ${stdoutOf(cell)}`).toContain(check.stdout());
      if (check.display) expect(displaysOf(cell).map((d) => `${check.cell}: ${d}`).join('\n')).toContain(check.display());
    }
  }, 300000);

  it('a failing cell is reported with notebook and cell index', async () => {
    const bad = path.join(outDir, 'zz-failing.ipynb');
    fs.writeFileSync(
      bad,
      JSON.stringify({
        cells: [
          { cell_type: 'code', id: 'ok1', metadata: {}, execution_count: null, outputs: [], source: ['console.log(1);'] },
          { cell_type: 'code', id: 'bad1', metadata: {}, execution_count: null, outputs: [], source: ["throw new Error('deliberate failure');"] },
        ],
        metadata: { kernelspec: { name: 'tslab-workbook', display_name: 'TS', language: 'typescript' } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const r = await executeNotebook(bad, { fast: true, inplace: false, nbconvert: nbconvert! });
    expect(r.ok).toBe(false);
    expect(r.cellIndex).toBe(1);
    expect(r.error).toMatch(/zz-failing\.ipynb: cell 1 failed/);
    expect(r.detail).toContain('deliberate failure');
  }, 120000);
});

describe('committed notebooks', () => {
  it.each(listNotebooks().map((n) => [path.basename(n), n]))('%s has outputs and no error outputs', (_name, nb) => {
    const j = JSON.parse(fs.readFileSync(nb, 'utf8')) as { cells: Array<{ cell_type: string; outputs?: Array<{ output_type: string }> }>; metadata: { kernelspec?: { name?: string } } };
    expect(j.metadata.kernelspec?.name).toBe('tslab-workbook');
    const code = j.cells.filter((c) => c.cell_type === 'code');
    expect(code.some((c) => (c.outputs ?? []).length > 0)).toBe(true);
    for (const c of code) {
      for (const o of c.outputs ?? []) {
        expect(o.output_type).not.toBe('error');
        // tslab prints compile errors and uncaught stacks on stderr
        expect(o.output_type === 'stream' && (o as { name?: string }).name === 'stderr').toBe(false);
      }
    }
  });
});
