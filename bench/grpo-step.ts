/**
 * Seconds per GRPO step on the default stand-in model (checkpoints/good-code, random reward), split
 * into sampling (rollouts + reference log-probs) and training (the mini-batch updates), at the
 * paper's batch shape (64 prompts × 16 rollouts, mini-batch 128 → 8 updates) and at the presets'.
 *
 *   npx tsx bench/grpo-step.ts [--json] [--steps 2] [--workers N]
 *
 * Runs in a temporary folder; evaluation is switched off so only the step itself is timed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { defaultWorkers } from '../src/engine/pool';
import { GrpoConfig, PRESETS } from '../src/rl/config';
import { StepLog, runGrpo } from '../src/rl/grpo';
import { numFlag } from '../scripts/cli';

const SHAPES: Record<string, Partial<GrpoConfig>> = {
  paper: { prompts: 64, groupSize: 16, miniBatch: 128 },
  full: { prompts: PRESETS.full.prompts, groupSize: PRESETS.full.groupSize, miniBatch: PRESETS.full.miniBatch },
  quick: { prompts: PRESETS.quick.prompts, groupSize: PRESETS.quick.groupSize, miniBatch: PRESETS.quick.miniBatch },
};

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  await initBackend({ quiet: json });
  const steps = numFlag('steps', { integer: true, min: 1 }) ?? 2;
  const workers = numFlag('workers', { integer: true, min: 0 }) ?? defaultWorkers();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-bench-grpo-'));
  const out: Record<string, unknown> = { workers, steps };
  try {
    for (const [name, shape] of Object.entries(SHAPES)) {
      const cfg: Partial<GrpoConfig> = { ...shape, family: 'good-code', reward: 'random', gamma: 0.5, steps, evalEvery: 1000, evalProblems: 0, evalAvgK: 0, checkpointEvery: 1000 };
      const runDir = path.join(dir, name);
      await runGrpo({ ...cfg, steps }, { runDir, labelsDir: path.join(dir, 'labels') }, { workers, quiet: true });
      const log = fs.readFileSync(path.join(runDir, 'log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as StepLog).filter((r) => r.step > 0);
      const mean = (f: (r: StepLog) => number) => +(log.reduce((a, r) => a + f(r), 0) / log.length).toFixed(2);
      out[name] = { prompts: shape.prompts, G: shape.groupSize, miniBatch: shape.miniBatch, sample_s: mean((r) => r.sample_s), train_s: mean((r) => r.train_s), updates: mean((r) => r.updates), response_tokens: mean((r) => r.response_length ?? 0) };
      if (!json) console.log(name, JSON.stringify(out[name]));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (json) console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(`bench/grpo-step: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
