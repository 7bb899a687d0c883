/**
 * `npm run doctor`: what this machine gives the workbook — tfjs backend and why better ones were
 * skipped, versions, threads and data-parallel workers, and whether the tools behind notebooks
 * (Jupyter + tslab kernel), figure export (Chromium) and the engine benchmark (PyTorch) are
 * available, with the command that installs whatever is missing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { describeBackend, initBackend } from '../src/engine/backend';
import { defaultWorkers } from '../src/runtime/pool';
import { parseFlags } from './cli';

const ROOT = path.resolve(__dirname, '..');

function version(pkg: string): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

function probe(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0 || r.error) return null;
  return (r.stdout || r.stderr).trim().split('\n')[0];
}

async function main(): Promise<void> {
  parseFlags({}); // takes no arguments: refuse stray ones rather than ignore them
  const report = await initBackend({ quiet: true });
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const rows: [string, string][] = [
    ['backend', describeBackend(report).replace('[engine] tfjs backend: ', '')],
    ['node', process.version],
    ['@tensorflow/tfjs', version('@tensorflow/tfjs')],
    ['@tensorflow/tfjs-backend-wasm', version('@tensorflow/tfjs-backend-wasm')],
    ['@tensorflow/tfjs-node-gpu', version('@tensorflow/tfjs-node-gpu')],
    ['tslab', version('tslab')],
    ['typescript', version('typescript')],
    ['cores', String(cores)],
    ['threads per tfjs instance', report.chosen === 'wasm' ? '1 (tfjs-wasm is single-threaded in Node)' : report.chosen === 'cpu' ? '1' : 'TensorFlow intra-op pool'],
    ['data-parallel workers', `${defaultWorkers()} (SR_WORKERS overrides)`],
    ['tf.version', tf.version.tfjs],
  ];
  const missing: string[] = [];
  const jupyter = probe('/usr/bin/jupyter-nbconvert', ['--version']);
  rows.push(['jupyter-nbconvert', jupyter ?? 'missing']);
  if (!jupyter) missing.push('jupyter-nbconvert python3-nbclient python3-jupyter-client python3-nbformat');
  const kernel = fs.existsSync(path.join(ROOT, '.jupyter', 'kernels', 'tslab-workbook', 'kernel.json'));
  rows.push(['tslab kernelspec', kernel ? '.jupyter/kernels/tslab-workbook (project-local, via JUPYTER_PATH)' : 'missing']);
  const zmq = (() => { try { require('zeromq'); return 'loads'; } catch (e) { return `fails (${(e as Error).message.split('\n')[0]})`; } })();
  rows.push(['zeromq (tslab kernel transport)', zmq]);
  const chromium = probe('/usr/bin/chromium', ['--version']);
  rows.push(['chromium', chromium ?? 'missing']);
  if (!chromium) missing.push('chromium fonts-liberation');
  const torch = probe('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)']);
  rows.push(['python3-torch (bench only)', torch ?? 'missing']);
  if (!torch) missing.push('python3-torch');
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  if (missing.length) console.log(`\nto install what is missing:\n  apt-get update && apt-get install -y ${missing.join(' ')}`);
  if (report.chosen === 'wasm' || report.chosen === 'cpu') {
    console.log('\nwith an NVIDIA GPU and CUDA: `npm install @tensorflow/tfjs-node-gpu` (its install script must be allowed to run)');
  }
}

main().catch((e) => {
  console.error(`doctor: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
