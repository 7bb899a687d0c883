/**
 * Executes every notebooks/*.ipynb headless with the project's tslab kernel (fast mode) into a
 * temporary folder, and fails on any cell error. Skips when jupyter-nbconvert is absent, except in CI.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeWithTool } from './helpers';
import { executeNotebook, findNbconvert, listNotebooks } from '../scripts/notebook-runner';

const nbconvert = findNbconvert();
const describeJupyter = describeWithTool('jupyter-nbconvert', Boolean(nbconvert), 'apt-get install jupyter-nbconvert; see .ci/apt-packages.txt');

describeJupyter('notebooks execute without cell errors (SR_NOTEBOOK_FAST=1)', () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-nbtest-'));
  const notebooks = listNotebooks();

  it('there are notebooks', () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(notebooks.map((n) => [path.basename(n), n]))('%s', async (_name, nb) => {
    const r = await executeNotebook(nb, { fast: true, inplace: false, outDir, nbconvert: nbconvert! });
    if (!r.ok) throw new Error(`${r.error}\n${(r.detail ?? '').split('\n').slice(0, 20).join('\n')}`);
    // Every code cell that prints must have produced its output (an empty notebook run would not).
    const executed = JSON.parse(fs.readFileSync(r.executed, 'utf8')) as { cells: Array<{ cell_type: string; outputs?: unknown[] }> };
    expect(executed.cells.filter((c) => c.cell_type === 'code').some((c) => (c.outputs ?? []).length > 0)).toBe(true);
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
