/**
 * `npm run experiment -- --family good-code --reward random [--gamma 0.5] [--clip-mode clip]
 *    [--seeds 3] [--preset quick] [--steps N] [--lr X] [--kl-coef B] [--results DIR] [--checkpoints DIR]`
 * Runs (or resumes) GRPO runs into results/<preset>/<run-id>/ (or DIR/<preset>/<run-id>/: use a
 * separate DIR for lever sweeps, since the run id does not name the learning rate or batch shape). `--config FILE` runs one config
 * from a JSON file (used by `npm run reproduce`'s worker processes).
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { GrpoConfig, PRESETS, validateGrpoConfig } from '../src/rl/config';
import { RESULTS_DIR, runDirOf } from '../src/rl/grid';
import { runGrpo } from '../src/rl/grpo';
import { getFamily } from '../src/world/families';
import { parseFlags } from './cli';

const FLAGS = {
  preset: { type: 'string', default: 'quick' },
  config: { type: 'string' },
  family: { type: 'string' },
  reward: { type: 'string' },
  gamma: { type: 'number' },
  'clip-mode': { type: 'string', default: 'clip' },
  seeds: { type: 'number', integer: true, min: 1, default: 1 },
  steps: { type: 'number', integer: true, min: 1 },
  lr: { type: 'number' },
  prompts: { type: 'number', integer: true, min: 1 },
  'group-size': { type: 'number', integer: true, min: 1 },
  'mini-batch': { type: 'number', integer: true, min: 1 },
  'kl-coef': { type: 'number' },
  epsilon: { type: 'number' },
  results: { type: 'string' },
  checkpoints: { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

async function main(): Promise<void> {
  const f = parseFlags(FLAGS);
  await initBackend({ quiet: f.quiet });
  const preset = f.preset;
  const root = f.results ? path.resolve(f.results) : RESULTS_DIR;
  const labelsDir = path.join(RESULTS_DIR, 'labels');
  if (f.config) {
    const cfg = validateGrpoConfig(JSON.parse(fs.readFileSync(f.config, 'utf8')), f.config);
    await runGrpo(cfg, { runDir: runDirOf(preset, cfg, root), labelsDir }, { quiet: f.quiet });
    return;
  }
  if (!PRESETS[preset]) throw new Error(`--preset '${preset}' is unknown (use one of ${Object.keys(PRESETS).join(', ')})`);
  const { family, reward } = f;
  if (!family || !reward) throw new Error('usage: npm run experiment -- --family NAME --reward NAME [--gamma G] [--clip-mode M] [--seeds N] [--preset P]');
  // An unknown family is named as such (with the known ones), not as a missing checkpoint file;
  // a --checkpoints directory may hold families of its own.
  if (!f.checkpoints) getFamily(family);
  const overrides: Partial<GrpoConfig> = {
    steps: f.steps, lr: f.lr, prompts: f.prompts, groupSize: f['group-size'], miniBatch: f['mini-batch'], klCoef: f['kl-coef'], epsilon: f.epsilon,
  };
  for (let seed = 1; seed <= f.seeds; seed++) {
    const raw: Partial<GrpoConfig> = { ...PRESETS[preset], family, reward: reward as GrpoConfig['reward'], gamma: f.gamma ?? (reward.startsWith('random') ? 0.5 : null), clipMode: f['clip-mode'] as GrpoConfig['clipMode'], seed };
    for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (raw as Record<string, unknown>)[k] = v;
    const cfg = validateGrpoConfig(raw, 'command line');
    const s = await runGrpo(cfg, { runDir: runDirOf(preset, cfg, root), labelsDir: f.checkpoints ? path.join(root, 'labels') : labelsDir }, { checkpointsDir: f.checkpoints ? path.resolve(f.checkpoints) : undefined });
    console.log(JSON.stringify(s));
  }
}

main().catch((e) => {
  console.error(`experiment: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
