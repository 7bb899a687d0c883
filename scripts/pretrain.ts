/**
 * `npm run pretrain -- [--family NAME] [--steps N] [--seed S] [--fresh]`
 * Pretrains one family (or every family in datasets/world/families.json) and writes the shipped
 * checkpoint to checkpoints/<family>/. Interrupted runs resume from .cache/pretrain/<family>/.
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { hasCheckpoint } from '../src/runtime/checkpoint';
import { formatDuration } from '../src/engine/progress';
import { loadWorldSplit } from '../src/world/dataset';
import { getFamily, loadFamilies } from '../src/world/families';
import { PRETRAIN_DEFAULTS, pretrain } from '../src/world/pretrain';
import { parseFlags } from './cli';

const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const f = parseFlags({
    family: { type: 'string' },
    steps: { type: 'number', integer: true, min: 1 },
    seed: { type: 'number', integer: true, min: 1 },
    fresh: { type: 'boolean' },
  });
  // Without --family: the shared base first (if missing), then every family.
  const names = f.family ? [getFamily(f.family).name] : [...(hasCheckpoint(path.join(ROOT, 'checkpoints', 'base')) ? [] : ['base']), ...loadFamilies().map((x) => x.name)];
  await initBackend();
  const test = loadWorldSplit('test');
  for (const name of names) {
    const spec = getFamily(name);
    const init = spec.init ? path.join(ROOT, 'checkpoints', spec.init) : null;
    if (init && !hasCheckpoint(init)) throw new Error(`family '${name}' starts from ${init}, which does not exist yet: run \`npm run pretrain -- --family ${spec.init}\` first`);
    const cfg = { ...PRETRAIN_DEFAULTS, family: name, init: init && path.relative(ROOT, init), steps: f.steps ?? spec.steps ?? PRETRAIN_DEFAULTS.steps, lr: spec.lr ?? PRETRAIN_DEFAULTS.lr, seed: f.seed ?? PRETRAIN_DEFAULTS.seed };
    const resumeDir = path.join(ROOT, '.cache', 'pretrain', name);
    if (f.fresh) fs.rmSync(resumeDir, { recursive: true, force: true });
    console.error(`[pretrain] ${name}: ${JSON.stringify(cfg)}`);
    const t0 = Date.now();
    const { log } = await pretrain(cfg, spec, test, { outDir: path.join(ROOT, 'checkpoints', name), resumeDir });
    const last = log.slice(-20);
    console.error(`[pretrain] ${name}: done in ${formatDuration((Date.now() - t0) / 1000)}; mean loss of last 20 steps ${(last.reduce((s, r) => s + r.loss, 0) / last.length).toFixed(4)}`);
  }
}

main().catch((e) => {
  console.error(`pretrain: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
