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
import { flag, numFlag } from './cli';

const num = (name: string) => numFlag(name);

async function main(): Promise<void> {
  await initBackend({ quiet: process.argv.includes('--quiet') });
  const preset = flag('preset') ?? 'quick';
  const root = flag('results') ? path.resolve(flag('results')!) : RESULTS_DIR;
  const labelsDir = path.join(RESULTS_DIR, 'labels');
  const configFile = flag('config');
  if (configFile) {
    const cfg = validateGrpoConfig(JSON.parse(fs.readFileSync(configFile, 'utf8')), configFile);
    await runGrpo(cfg, { runDir: runDirOf(preset, cfg, root), labelsDir }, { quiet: process.argv.includes('--quiet') });
    return;
  }
  if (!PRESETS[preset]) throw new Error(`--preset '${preset}' is unknown (use one of ${Object.keys(PRESETS).join(', ')})`);
  const family = flag('family');
  const reward = flag('reward');
  if (!family || !reward) throw new Error('usage: npm run experiment -- --family NAME --reward NAME [--gamma G] [--clip-mode M] [--seeds N] [--preset P]');
  const seeds = num('seeds') ?? 1;
  for (let seed = 1; seed <= seeds; seed++) {
    const raw: Partial<GrpoConfig> = { ...PRESETS[preset], family, reward: reward as GrpoConfig['reward'], gamma: num('gamma') ?? (reward.startsWith('random') ? 0.5 : null), clipMode: (flag('clip-mode') ?? 'clip') as GrpoConfig['clipMode'], seed };
    for (const [f, k] of [['steps', 'steps'], ['lr', 'lr'], ['prompts', 'prompts'], ['group-size', 'groupSize'], ['mini-batch', 'miniBatch'], ['kl-coef', 'klCoef'], ['epsilon', 'epsilon']] as const) {
      const v = num(f);
      if (v !== undefined) (raw as Record<string, unknown>)[k] = v;
    }
    const cfg = validateGrpoConfig(raw, 'command line');
    const s = await runGrpo(cfg, { runDir: runDirOf(preset, cfg, root), labelsDir: flag('checkpoints') ? path.join(root, 'labels') : labelsDir }, { checkpointsDir: flag('checkpoints') ? path.resolve(flag('checkpoints')!) : undefined });
    console.log(JSON.stringify(s));
  }
}

main().catch((e) => {
  console.error(`experiment: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
