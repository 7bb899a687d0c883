#!/usr/bin/env node
/*
 * Kernel launcher for the workbook's notebooks.
 *
 * tslab compiles notebook cells with rootDir = the kernel's working directory, and Jupyter starts
 * kernels in the notebook's folder (notebooks/), from where `import ... from '../src'` fails. This
 * launcher moves to the project root first, so cells import the library as `from './src'` (typed).
 * It runs tslab in-process: `node scripts/tslab-kernel.js --config-path <connection file>`.
 */
'use strict';
const path = require('path');
const root = path.resolve(__dirname, '..');
process.chdir(root);
process.env.SR_PROJECT_ROOT = root;

// tslab compiles with a TypeScript watch program. A change to any watched real file or directory
// (another process editing src/, a test writing files) schedules a rebuild timer that tslab never
// fires, and the next cell then dies with "Unexpected pending rebuildTimer". tslab's own in-memory
// cell files are watched through its own hooks, so we turn off watching of real files: edits to
// src/ are picked up after a kernel restart (set SR_TSLAB_WATCH=1 to keep tslab's behaviour).
if (process.env.SR_TSLAB_WATCH !== '1') {
  const ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [path.join(root, 'node_modules', 'tslab')] }));
  const noWatch = () => ({ close() {} });
  ts.sys.watchFile = noWatch;
  ts.sys.watchDirectory = noWatch;
}

const args = process.argv.slice(2);
process.argv = [process.argv[0], path.join(root, 'node_modules', 'tslab', 'bin', 'tslab'), 'kernel', ...args];
require(path.join(root, 'node_modules', 'tslab', 'dist', 'main.js')).main();
