/**
 * Executes tslab notebooks headless with Debian's jupyter-nbconvert and the project-local kernel
 * spec (.jupyter/kernels/tslab-workbook, found through JUPYTER_PATH). Used by
 * `npm run notebooks` (scripts/run-notebooks.ts) and by test/notebooks.test.ts.
 *
 * A notebook is executed into a temporary folder; only when every cell succeeds is the result
 * copied over the original (in-place mode). A failing cell yields an error naming the notebook,
 * the cell (0-based index among all cells) and tslab's message; the partly executed copy is kept.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const KERNEL_NAME = 'tslab-workbook';

export function repoRoot(): string {
  return path.resolve(__dirname, '..');
}

/**
 * The nbconvert command: $SR_JUPYTER_NBCONVERT, else Debian's /usr/bin/jupyter-nbconvert (its
 * shebang is /usr/bin/python3, so a pyenv python3 earlier on PATH does not matter), else
 * jupyter-nbconvert on PATH. null when none works.
 */
export function findNbconvert(): string[] | null {
  const candidates: string[][] = [];
  if (process.env.SR_JUPYTER_NBCONVERT) candidates.push(process.env.SR_JUPYTER_NBCONVERT.split(' ').filter(Boolean));
  candidates.push(['/usr/bin/jupyter-nbconvert'], ['jupyter-nbconvert']);
  for (const cmd of candidates) {
    if (cmd[0].includes('/') && !fs.existsSync(cmd[0])) continue;
    const r = spawnSync(cmd[0], [...cmd.slice(1), '--version'], { encoding: 'utf8', timeout: 30000 });
    if (r.status === 0) return cmd;
  }
  return null;
}

export interface NotebookRunOptions {
  /** Copy the executed notebook over the original (default true). */
  inplace?: boolean;
  /** Also write the executed notebook here (folder). */
  outDir?: string;
  /** Sets SR_NOTEBOOK_FAST=1 for the kernel. */
  fast?: boolean;
  /** Per-cell timeout in seconds (default $SR_NOTEBOOK_TIMEOUT or 900). */
  cellTimeoutSec?: number;
  nbconvert?: string[];
}

export interface NotebookRunResult {
  notebook: string;
  ok: boolean;
  seconds: number;
  /** Executed copy (in the temp folder or outDir). */
  executed: string;
  /** One-line summary on failure. */
  error?: string;
  /** tslab's message / stack for the failing cell. */
  detail?: string;
  cellIndex?: number;
}

export class NotebookCellError extends Error {
  constructor(readonly result: NotebookRunResult) {
    super(result.error ?? `notebook ${result.notebook} failed`);
    this.name = 'NotebookCellError';
  }
}

function parseCellError(stderr: string): { cell_index: number; first_line: string; detail: string } | null {
  const m = /SR_CELL_ERROR_BEGIN\n([^\n]*)\nSR_CELL_ERROR_END/.exec(stderr);
  if (!m) return null;
  try {
    return JSON.parse(m[1]) as { cell_index: number; first_line: string; detail: string };
  } catch {
    return null;
  }
}

/** Error outputs left in an executed notebook (should be none). */
export function notebookErrors(file: string): string[] {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: Array<{ cell_type: string; outputs?: Array<Record<string, unknown>> }> };
  const out: string[] = [];
  nb.cells.forEach((c, i) => {
    for (const o of c.outputs ?? []) {
      if (o.output_type === 'error') out.push(`cell ${i}: ${String(o.ename)}: ${String(o.evalue)}`);
    }
  });
  return out;
}

/** Executes one notebook; resolves with the result (never throws for cell errors). */
export async function executeNotebook(notebook: string, opts: NotebookRunOptions = {}): Promise<NotebookRunResult> {
  const root = repoRoot();
  const nbPath = path.resolve(notebook);
  const shown = path.relative(root, nbPath) || nbPath;
  const cmd = opts.nbconvert ?? findNbconvert();
  if (!cmd) throw new Error('jupyter-nbconvert not found (apt-get install jupyter-nbconvert, see .ci/apt-packages.txt)');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-nb-'));
  const runtime = path.join(tmp, 'runtime');
  fs.mkdirSync(runtime);
  const base = path.basename(nbPath);
  const timeout = opts.cellTimeoutSec ?? Number(process.env.SR_NOTEBOOK_TIMEOUT ?? 900);
  const args = [
    ...cmd.slice(1),
    '--to',
    'notebook',
    '--execute',
    `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
    `--ExecutePreprocessor.timeout=${timeout}`,
    '--config',
    path.join(root, 'scripts', 'nbconvert_config.py'),
    '--output-dir',
    tmp,
    '--output',
    base,
    nbPath,
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: [path.join(root, '.jupyter'), process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    JUPYTER_RUNTIME_DIR: runtime,
    SR_PROJECT_ROOT: root,
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
  };
  if (opts.fast) env.SR_NOTEBOOK_FAST = '1';
  const t0 = Date.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(cmd[0], args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.on('data', () => undefined);
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  const seconds = (Date.now() - t0) / 1000;
  const executed = path.join(tmp, base);
  if (code !== 0 || !fs.existsSync(executed)) {
    const cellErr = parseCellError(stderr);
    const detail = cellErr?.detail?.trim() || stderr.split('\n').slice(-25).join('\n').trim();
    const firstDetail = detail.split('\n').find((l) => l.trim() && !/^<?Error>?:\s*$/.test(l.trim())) ?? '';
    const error = cellErr
      ? `notebook ${shown}: cell ${cellErr.cell_index} failed ("${cellErr.first_line.slice(0, 80)}"): ${firstDetail.slice(0, 300)}`
      : `notebook ${shown}: nbconvert exited with ${code}: ${firstDetail.slice(0, 300)}`;
    return { notebook: shown, ok: false, seconds, executed, error, detail, cellIndex: cellErr?.cell_index };
  }
  const leftover = notebookErrors(executed);
  if (leftover.length > 0) {
    return { notebook: shown, ok: false, seconds, executed, error: `notebook ${shown}: error outputs: ${leftover.join('; ')}` };
  }
  if (opts.inplace ?? true) fs.copyFileSync(executed, nbPath);
  let finalPath = executed;
  if (opts.outDir) {
    fs.mkdirSync(opts.outDir, { recursive: true });
    finalPath = path.join(opts.outDir, base);
    fs.copyFileSync(executed, finalPath);
  }
  return { notebook: shown, ok: true, seconds, executed: finalPath };
}

/** notebooks/*.ipynb, sorted. */
export function listNotebooks(dir = path.join(repoRoot(), 'notebooks')): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
    .sort()
    .map((f) => path.join(dir, f));
}
