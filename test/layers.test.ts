/**
 * The library's folders form layers and imports only point down: a folder may import from its own
 * layer's lower entries or from lower layers, never from a layer above it. This is the check the
 * layering was built against; a new upward import fails here with the file and the import.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Lowest first. Folders on one line are siblings and must not import each other. */
const LAYERS: readonly (readonly string[])[] = [
  ['engine'], //                                              below the model: rng, backend, AdamW, paths, progress, …
  ['grader', 'analysis', 'benchmarks', 'paper'], //           answer grading, code analysis, test sets, reported numbers
  ['contamination'], //                                       Paper B's audit and reward, built on the grader
  ['model', 'theory'], //                                     the transformer, its losses; the clipping theory
  ['runtime'], //                                             checkpoints, gradient jobs, worker pool, training steps
  ['world'], //                                               the stand-in world (pretraining, priors)
  ['rl'], //                                                  GRPO, rewards, runs, the grid, the phase map
  ['real'], //                                                real Hugging Face checkpoints in the same GRPO
  ['plot'], //                                                figures
];

const SRC = path.join(__dirname, '..', 'src');

function layerOf(folder: string): number {
  const i = LAYERS.findIndex((l) => l.includes(folder));
  if (i < 0) throw new Error(`src/${folder}: not in the layer list of test/layers.test.ts`);
  return i;
}

function filesOf(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesOf(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('imports between src/ folders only point down', () => {
  const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  expect(folders.length).toBeGreaterThan(5);
  const bad: string[] = [];
  let checked = 0;
  for (const folder of folders) {
    const mine = layerOf(folder);
    for (const file of filesOf(path.join(SRC, folder))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import\()\s*'\.\.\/([a-z]+)\//g)) {
        checked++;
        const target = m[1];
        if (target === folder) continue;
        const theirs = layerOf(target);
        if (theirs >= mine) bad.push(`${path.relative(SRC, file)} imports src/${target}/ (layer ${theirs} ≥ its own ${mine})`);
      }
    }
  }
  expect(checked).toBeGreaterThan(50);
  expect(bad).toEqual([]);
});
