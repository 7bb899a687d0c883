/**
 * `npm run experiment -- --family good-code --reward random [--gamma 0.5] [--clip-mode ARM | --surrogate S --estimator E --batching B]
 *    [--seeds 3] [--preset quick] [--steps N] [--lr X] [--kl-coef B] [--results DIR] [--checkpoints DIR]`
 * Runs (or resumes) GRPO runs into results/<preset>/<run-id>/ (or DIR/<preset>/<run-id>/: use a
 * separate DIR for lever sweeps, since the run id does not name the learning rate or batch shape). `--config FILE` runs one config
 * from a JSON file (used by `npm run reproduce`'s worker processes).
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { GrpoConfig, GrpoConfigInput, PRESETS, validateGrpoConfig } from '../src/rl/config';
import { RESULTS_DIR, runDirOf } from '../src/rl/grid';
import { ARMS, BATCHINGS, ESTIMATORS, LOSS_AGGREGATIONS, SURROGATES } from '../src/rl/settings';
import { runGrpo } from '../src/rl/standin';
import { getFamily } from '../src/world/families';
import { parseFlags } from './cli';

const FLAGS = {
  preset: { type: 'string', default: 'quick' },
  config: { type: 'string' },
  family: { type: 'string' },
  reward: { type: 'string' },
  gamma: { type: 'number' },
  /** An arm's one-word name, shorthand for the three fields below. */
  'clip-mode': { type: 'string', choices: ARMS },
  surrogate: { type: 'string', choices: SURROGATES },
  estimator: { type: 'string', choices: ESTIMATORS },
  batching: { type: 'string', choices: BATCHINGS },
  'loss-aggregation': { type: 'string', choices: LOSS_AGGREGATIONS },
  'grad-clip-norm': { type: 'number' },
  'weight-decay': { type: 'number' },
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
  const overrides: GrpoConfigInput = {
    steps: f.steps, lr: f.lr, prompts: f.prompts, groupSize: f['group-size'], miniBatch: f['mini-batch'], klCoef: f['kl-coef'], epsilon: f.epsilon,
    clipMode: f['clip-mode'], surrogate: f.surrogate as GrpoConfig['surrogate'], estimator: f.estimator as GrpoConfig['estimator'], batching: f.batching as GrpoConfig['batching'],
    lossAggregation: f['loss-aggregation'] as GrpoConfig['lossAggregation'], gradClipNorm: f['grad-clip-norm'], weightDecay: f['weight-decay'],
  };
  for (let seed = 1; seed <= f.seeds; seed++) {
    const raw: GrpoConfigInput = { ...PRESETS[preset], family, reward: reward as GrpoConfig['reward'], gamma: f.gamma ?? (reward.startsWith('random') ? 0.5 : null), seed };
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
