/**
 * `npm run pretrain -- [--family NAME] [--steps N] [--seed S] [--fresh]`
 * Pretrains one family (or every family in datasets/world/families.json) and writes the shipped
 * checkpoint to checkpoints/<family>/. Interrupted runs resume from .cache/pretrain/<family>/.
 * A sized family (datasets/world/model-sizes.json) is rebuilt with its recorded worker count and
 * checked against its committed digest.json (written on the first build).
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { hasCheckpoint } from '../src/runtime/checkpoint';
import { formatDuration } from '../src/engine/progress';
import { loadWorldSplit } from '../src/world/dataset';
import { loadFamilies } from '../src/world/families';
import { PRETRAIN_DEFAULTS, pretrain } from '../src/world/pretrain';
import { checkWeightsDigest, parameterRatio, pretrainTarget, writeWeightsDigest } from '../src/world/sizes';
import { countParameters } from '../src/model/config';
import { hasWeights } from '../src/rl/ladder';
import { parseFlags } from './cli';

const ROOT = path.resolve(__dirname, '..');

/** `name`, preceded by the sized checkpoints it starts from whose weights are not built yet (base-x4 before good-code-global-x4). */
function withMissingInits(name: string): string[] {
  const { spec, sized } = pretrainTarget(name);
  if (!sized || !spec.init || hasWeights(path.join(ROOT, 'checkpoints', spec.init))) return [name];
  return [...withMissingInits(spec.init), name];
}

async function main(): Promise<void> {
  const f = parseFlags({
    family: { type: 'string' },
    steps: { type: 'number', integer: true, min: 1 },
    seed: { type: 'number', integer: true, min: 1 },
    fresh: { type: 'boolean' },
  });
  // Without --family: the shared base first (if missing), then every family.
  const names = f.family ? withMissingInits(pretrainTarget(f.family).spec.name) : [...(hasCheckpoint(path.join(ROOT, 'checkpoints', 'base')) ? [] : ['base']), ...loadFamilies().map((x) => x.name)];
  const backend = await initBackend();
  const test = loadWorldSplit('test');
  for (const name of names) {
    const { spec, model, lrScale, workers, sized } = pretrainTarget(name);
    const outDir = path.join(ROOT, 'checkpoints', name);
    if (sized && hasCheckpoint(outDir) && fs.existsSync(path.join(outDir, 'digest.json')) && checkWeightsDigest(outDir) === null) {
      console.error(`[pretrain] ${name}: checkpoints/${name}/weights.bin already matches its digest.json; nothing to do`);
      continue;
    }
    const init = spec.init ? path.join(ROOT, 'checkpoints', spec.init) : null;
    if (init && !hasWeights(init)) throw new Error(`family '${name}' starts from ${init}, which does not exist yet: run \`npm run pretrain -- --family ${spec.init}\` first`);
    const cfg = { ...PRETRAIN_DEFAULTS, model, family: name, init: init && path.relative(ROOT, init), steps: f.steps ?? spec.steps ?? PRETRAIN_DEFAULTS.steps, lr: (spec.lr ?? PRETRAIN_DEFAULTS.lr) * lrScale, minLr: PRETRAIN_DEFAULTS.minLr * lrScale, seed: f.seed ?? PRETRAIN_DEFAULTS.seed };
    // Saving a checkpoint swaps its whole directory in (digest.json included), so the committed digest is
    // held in memory across the build; otherwise a rebuild would overwrite it instead of being checked.
    const digestFile = path.join(outDir, 'digest.json');
    const committedDigest = sized && fs.existsSync(digestFile) ? fs.readFileSync(digestFile) : null;
    const resumeDir = path.join(ROOT, '.cache', 'pretrain', name);
    if (f.fresh) fs.rmSync(resumeDir, { recursive: true, force: true });
    console.error(`[pretrain] ${name}: ${JSON.stringify(cfg)}`);
    if (sized) console.error(`[pretrain] ${name}: ${countParameters(model).toLocaleString('en')} parameters (${parameterRatio(model).toFixed(2)}× the world model), ${workers} workers`);
    const t0 = Date.now();
    const { log } = await pretrain(cfg, spec, test, { outDir, resumeDir }, { workers });
    const last = log.slice(-20);
    console.error(`[pretrain] ${name}: done in ${formatDuration((Date.now() - t0) / 1000)}; mean loss of last 20 steps ${(last.reduce((s, r) => s + r.loss, 0) / last.length).toFixed(4)}`);
    if (sized) {
      // A committed digest is what a rebuild must reproduce; without one, this build writes it.
      if (committedDigest) {
        fs.writeFileSync(digestFile, committedDigest);
        const bad = checkWeightsDigest(outDir);
        if (bad) throw new Error(`the rebuild did not reproduce the committed weights: ${bad}`);
        console.error(`[pretrain] ${name}: weights.bin matches the committed digest.json`);
      } else {
        const d = writeWeightsDigest(outDir, { family: name, parameters: countParameters(model), backend: backend.chosen, workers: workers! });
        console.error(`[pretrain] ${name}: wrote checkpoints/${name}/digest.json (sha1 ${d.sha1.slice(0, 12)})`);
      }
    }
  }
}

main().catch((e) => {
  console.error(`pretrain: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
