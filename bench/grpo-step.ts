/**
 * Seconds per GRPO step on the default stand-in model (checkpoints/good-code, random reward) at
 * the paper's batch shape (64 prompts × 16 rollouts, mini-batch 128 → 8 updates) and at the
 * presets', with a per-phase profile of the step:
 *
 *   generate          sampling the rollouts (KV-cache decode in the workers, prompt encoding, grading)
 *   ref_logprobs      π_ref forward for the kl_ref diagnostic (or the KL penalty when β > 0)
 *   reward_advantage  rewards and group-relative advantages
 *   update_compute    the slowest worker's forward + backward per update (summed over updates)
 *   update_transfer   the rest of the wait for gradients: messages, weights and gradients in transit
 *   update_merge      summing the shards' gradients and global-norm clipping
 *   update_adamw      the optimizer
 *
 * and, separately, the cost of one evaluation at the `full` preset's size.
 *
 *   npx tsx bench/grpo-step.ts [--json] [--steps 2] [--workers N] [--shapes paper,full]
 *
 * Runs in a temporary folder; the step runs have evaluation switched off so only the step is timed.
 * `sample_s` (generate + ref_logprobs) and `train_s` (the updates) keep their earlier meaning.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { readJsonl } from '../src/engine/jsonl';
import { PhaseTimes } from '../src/engine/phases';
import { defaultWorkers } from '../src/runtime/pool';
import { GrpoConfig, PRESETS } from '../src/rl/config';
import { StepLog, runGrpo } from '../src/rl/standin';
import { loadFamilyModel } from '../src/world/priors';
import { parseFlags } from '../scripts/cli';

const SHAPES: Record<string, Partial<GrpoConfig>> = {
  paper: { prompts: 64, groupSize: 16, miniBatch: 128 },
  full: { prompts: PRESETS.full.prompts, groupSize: PRESETS.full.groupSize, miniBatch: PRESETS.full.miniBatch },
  quick: { prompts: PRESETS.quick.prompts, groupSize: PRESETS.quick.groupSize, miniBatch: PRESETS.quick.miniBatch },
};

const r2 = (x: number) => +x.toFixed(3);

async function main(): Promise<void> {
  const f = parseFlags({
    json: { type: 'boolean' },
    steps: { type: 'number', integer: true, min: 1, default: 2 },
    workers: { type: 'number', integer: true, min: 0 },
    shapes: { type: 'string', default: Object.keys(SHAPES).join(',') },
  });
  const { json, steps } = f;
  await initBackend({ quiet: json });
  const workers = f.workers ?? defaultWorkers();
  const shapes = f.shapes.split(',');
  for (const s of shapes) if (!SHAPES[s]) throw new Error(`--shapes: unknown shape '${s}' (use ${Object.keys(SHAPES).join(', ')})`);
  const model = loadFamilyModel('good-code');
  const nParams = Object.values(model.params).reduce((a, t) => a + t.size, 0);
  model.dispose();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-bench-grpo-'));
  const out: Record<string, unknown> = { workers, steps, params: nParams };
  try {
    for (const name of shapes) {
      const shape = SHAPES[name];
      const cfg: Partial<GrpoConfig> = { ...shape, family: 'good-code', reward: 'random', gamma: 0.5, steps, evalEvery: 1000, evalProblems: 0, evalAvgK: 0, checkpointEvery: 1000 };
      const runDir = path.join(dir, name);
      const prof = new PhaseTimes();
      const t0 = performance.now();
      await runGrpo(cfg, { runDir, labelsDir: path.join(dir, 'labels') }, { workers, quiet: true, profile: prof });
      const wall = (performance.now() - t0) / 1000;
      const log = readJsonl<StepLog>(path.join(runDir, 'log.jsonl')).filter((r) => r.step > 0);
      const mean = (f: (r: StepLog) => number) => +(log.reduce((a, r) => a + f(r), 0) / log.length).toFixed(2);
      const profile: Record<string, number> = {};
      for (const [k, v] of Object.entries(prof.seconds)) if (k !== 'eval') profile[k] = r2(v / steps);
      const rollouts = shape.prompts! * shape.groupSize!;
      const respTokens = mean((r) => r.response_length ?? 0);
      // Approximate training FLOPs: 6 · parameters · tokens (forward + backward), prompt tokens included (~25 per row).
      const trainTokens = mean((r) => r.updates) > 0 ? rollouts * (respTokens + 25) : 0;
      out[name] = {
        prompts: shape.prompts, G: shape.groupSize, miniBatch: shape.miniBatch,
        sample_s: mean((r) => r.sample_s), train_s: mean((r) => r.train_s), step_s: mean((r) => r.sample_s + r.train_s),
        updates: mean((r) => r.updates), response_tokens: respTokens,
        profile,
        generate_tokens_per_s: Math.round((rollouts * respTokens) / (profile.generate || Infinity)),
        update_gflops_approx: r2((6 * nParams * trainTokens) / 1e9 / (profile.update_compute || Infinity) / Math.max(1, workers)),
        setup_s: r2(wall - steps * mean((r) => r.sample_s + r.train_s)),
      };
      if (!json) console.log(name, JSON.stringify(out[name]));
    }
    // One evaluation at the `full` preset's size (greedy on evalProblems + avg@k), and the phase map's probe.
    for (const [name, ev] of Object.entries({ eval_full: { evalProblems: PRESETS.full.evalProblems, evalAvgK: PRESETS.full.evalAvgK, evalAvgProblems: PRESETS.full.evalAvgProblems }, eval_probe: { evalProblems: 0, evalAvgK: 0, probeProblems: 100, probeK: 8 } })) {
      const prof = new PhaseTimes();
      await runGrpo({ ...SHAPES.full, family: 'good-code', reward: 'random', gamma: 0.5, steps: 1, evalEvery: 1, checkpointEvery: 1000, ...ev }, { runDir: path.join(dir, name), labelsDir: path.join(dir, 'labels') }, { workers, quiet: true, profile: prof });
      out[name] = { ...ev, seconds_per_eval: r2(prof.seconds.eval / prof.counts.eval) };
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
