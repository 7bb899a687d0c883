/**
 * Real checkpoints (Qwen2.5-Math, Llama 3, OLMo 2 in Hugging Face format) through the same GRPO:
 *
 *   npm run real -- eval --model DIR [--bench math500] [--template none|chat|python] [--limit N] [--json]
 *   npm run real -- grpo --model DIR --data FILE.jsonl [--reward random --gamma 0.5] [--steps 150 --prompts 64
 *                        --rollouts 16 --mini-batch 128 --micro-batch 4 --lr 5e-7 --eps 0.2 --max-new-tokens 3072 ...]
 *   npm run real -- export --run <run-id|config.json> --engine openrlhf|ttrl [--gpus 8] [--pretrain Qwen/Qwen2.5-Math-7B]
 *   npm run real -- plan --model DIR [--micro-batch 4 --max-new-tokens 3072 --group-size 16 --prompts 64 ...]
 *
 * Every default is the paper's (Appendix A). The tfjs backend is the fastest that loads
 * (tfjs-node-gpu first; SR_BACKEND forces one). The parameter count and a memory estimate are
 * printed before any weight is read.
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { writeFileAtomic } from '../src/engine/atomic';
import { BENCHMARK_NAMES, BenchmarkName } from '../src/benchmarks/index';
import { loadTrainingData } from '../src/real/data';
import { evaluateReal, formatEvalResult } from '../src/real/eval';
import { EXPORT_ENGINES, ExportEngine, exportPlan } from '../src/real/export';
import { REAL_RESULTS_DIR, runRealGrpo } from '../src/real/policy';
import { PLAN_PROMPT_TOKENS, PlanSettings, checkpointFolders, formatPlan, formatPlanTable, planReal } from '../src/real/plan';
import { PROMPT_FORMATS, PromptFormat } from '../src/real/prompts';
import { REAL_GRPO_DEFAULTS, RealGrpoConfig, realRunId, validateRealConfig } from '../src/real/runConfig';
import { openRealSession } from '../src/real/session';
import { REWARD_NAMES, RewardName } from '../src/rl/rewards';
import { ARMS, BATCHINGS, ESTIMATORS, LOSS_AGGREGATIONS, OLD_LOGPROB_SOURCES, SURROGATES } from '../src/rl/settings';
import { parseFlags } from './cli';

const D = REAL_GRPO_DEFAULTS;

const EVAL_FLAGS = {
  model: { type: 'string' },
  bench: { type: 'string', default: 'math500', choices: BENCHMARK_NAMES },
  template: { type: 'string', default: 'chat', choices: PROMPT_FORMATS },
  limit: { type: 'number', integer: true, min: 0 },
  'max-new-tokens': { type: 'number', integer: true, min: 1, default: 3072 },
  temperature: { type: 'number', min: 0, default: 0 },
  seed: { type: 'number', integer: true, min: 0, default: 0 },
  out: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

/** The run's settings; shared by `grpo` (to run) and `export` (to translate without running). */
const RUN_FLAGS = {
  model: { type: 'string' },
  data: { type: 'string' },
  'input-key': { type: 'string', default: D.inputKey },
  'label-key': { type: 'string', default: D.labelKey },
  template: { type: 'string', default: D.template, choices: PROMPT_FORMATS },
  reward: { type: 'string', default: D.reward, choices: REWARD_NAMES },
  gamma: { type: 'number' },
  steps: { type: 'number', integer: true, min: 1, default: D.steps },
  prompts: { type: 'number', integer: true, min: 1, default: D.prompts },
  'group-size': { type: 'number', integer: true, min: 2, default: D.groupSize },
  'mini-batch': { type: 'number', integer: true, min: 1, default: D.miniBatch },
  'micro-batch': { type: 'number', integer: true, min: 1, default: D.microBatch },
  lr: { type: 'number', default: D.lr },
  epsilon: { type: 'number', default: D.epsilon },
  /** An arm's one-word name, shorthand for surrogate / estimator / batching. */
  'clip-mode': { type: 'string', choices: ARMS },
  surrogate: { type: 'string', choices: SURROGATES },
  estimator: { type: 'string', choices: ESTIMATORS },
  batching: { type: 'string', choices: BATCHINGS },
  'loss-aggregation': { type: 'string', default: D.lossAggregation, choices: LOSS_AGGREGATIONS },
  'old-logprobs': { type: 'string', default: D.oldLogProbs, choices: OLD_LOGPROB_SOURCES },
  'weight-decay': { type: 'number', default: D.weightDecay },
  'max-new-tokens': { type: 'number', integer: true, min: 1, default: D.maxNewTokens },
  temperature: { type: 'number', default: D.temperature },
  'grad-clip-norm': { type: 'number', default: D.gradClipNorm },
  seed: { type: 'number', integer: true, min: 0, default: D.seed },
  'eval-every': { type: 'number', integer: true, min: 0, default: D.evalEvery },
  'eval-bench': { type: 'string', default: D.evalBench, choices: BENCHMARK_NAMES },
  'eval-limit': { type: 'number', integer: true, min: 0, default: D.evalLimit },
  'eval-max-new-tokens': { type: 'number', integer: true, min: 1, default: D.evalMaxNewTokens },
  'checkpoint-every': { type: 'number', integer: true, min: 0, default: D.checkpointEvery },
} as const;

const GRPO_FLAGS = { ...RUN_FLAGS, 'run-dir': { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean' } } as const;

const EXPORT_FLAGS = {
  ...RUN_FLAGS,
  run: { type: 'string', description: 'a run id under results/real/ or a config.json path (instead of the run flags above)' },
  engine: { type: 'string', default: 'openrlhf', choices: EXPORT_ENGINES, description: 'the trainer to launch on' },
  gpus: { type: 'number', integer: true, min: 1, default: 8, description: 'GPUs on the node (the paper: 8)' },
  pretrain: { type: 'string', description: "--pretrain for the trainer, e.g. Qwen/Qwen2.5-Math-7B (default: the run's model folder)" },
  out: { type: 'string', description: "folder for the launch files (default: export-<engine>/ in the run's folder)" },
  json: { type: 'boolean', description: 'print argv, command, notes and files as one JSON line' },
} as const;

/** Sizes only: plan reads config.json, so the paper's checkpoints plan from datasets/model-configs/ without their weights. */
export const PLAN_FLAGS = {
  model: { type: 'string', description: 'a checkpoint folder (config.json is enough), or a folder of them for one table (e.g. datasets/model-configs)' },
  'prompt-tokens': { type: 'number', integer: true, min: 1, default: PLAN_PROMPT_TOKENS, description: 'tokens assumed per prompt' },
  'eval-max-new-tokens': { type: 'number', integer: true, min: 1, default: D.evalMaxNewTokens, description: "greedy evaluation's answer length" },
  'max-new-tokens': { type: 'number', integer: true, min: 1, default: D.maxNewTokens, description: "GRPO's response length" },
  'group-size': { type: 'number', integer: true, min: 2, default: D.groupSize, description: 'responses per prompt, decoded together' },
  prompts: { type: 'number', integer: true, min: 1, default: D.prompts, description: 'prompts per GRPO step' },
  'micro-batch': { type: 'number', integer: true, min: 1, default: D.microBatch, description: 'rollouts per forward/backward pass' },
  'mini-batch': { type: 'number', integer: true, min: 1, default: D.miniBatch, description: 'rollouts per gradient update' },
  steps: { type: 'number', integer: true, min: 1, default: D.steps, description: 'GRPO steps (for the token count)' },
  json: { type: 'boolean', description: 'print the plan(s) as one JSON line' },
} as const;

const USAGE = [
  'usage: npm run real -- eval --model DIR [--bench math500] [--template none|chat|python] [--limit N] [--json]',
  '       npm run real -- grpo --model DIR --data FILE.jsonl [--reward random --gamma 0.5] [--steps N --prompts P --group-size G --lr X --epsilon E --surrogate clip|noclip --estimator E --batching B --max-new-tokens T ...]',
  '       npm run real -- export --run <run-id|config.json> --engine openrlhf|ttrl [--gpus 8] [--pretrain HF-ID]',
  '       npm run real -- plan --model DIR [--micro-batch N --max-new-tokens T --group-size G --prompts P]   (memory per phase from config.json alone)',
  '       npm run real -- <command> --help   (the command\'s flags, types and defaults)',
].join('\n');

function need(value: string | undefined, flag: string): string {
  if (!value) throw new Error(`${flag} is required\n${USAGE}`);
  return value;
}

function runConfigOf(f: { [K in keyof typeof RUN_FLAGS]: unknown }): RealGrpoConfig {
  return validateRealConfig({
    model: need(f.model as string | undefined, '--model'),
    data: need(f.data as string | undefined, '--data'),
    inputKey: f['input-key'] as string,
    labelKey: f['label-key'] as string,
    template: f.template as PromptFormat,
    reward: f.reward as RewardName,
    gamma: f.gamma as number | undefined,
    steps: f.steps as number,
    prompts: f.prompts as number,
    groupSize: f['group-size'] as number,
    miniBatch: f['mini-batch'] as number,
    microBatch: f['micro-batch'] as number,
    lr: f.lr as number,
    epsilon: f.epsilon as number,
    clipMode: f['clip-mode'] as string | undefined,
    surrogate: f.surrogate as RealGrpoConfig['surrogate'] | undefined,
    estimator: f.estimator as RealGrpoConfig['estimator'] | undefined,
    batching: f.batching as RealGrpoConfig['batching'] | undefined,
    lossAggregation: f['loss-aggregation'] as RealGrpoConfig['lossAggregation'],
    oldLogProbs: f['old-logprobs'] as RealGrpoConfig['oldLogProbs'],
    weightDecay: f['weight-decay'] as number,
    maxNewTokens: f['max-new-tokens'] as number,
    temperature: f.temperature as number,
    gradClipNorm: f['grad-clip-norm'] as number,
    seed: f.seed as number,
    evalEvery: f['eval-every'] as number,
    evalBench: f['eval-bench'] as BenchmarkName,
    evalLimit: f['eval-limit'] as number,
    evalMaxNewTokens: f['eval-max-new-tokens'] as number,
    checkpointEvery: f['checkpoint-every'] as number,
  }, 'command line');
}

const say = (line: string) => console.error(line);

/** Where a command's result goes (stdout by default; tests collect it). */
export type Print = (line: string) => void;

async function evalCommand(argv: string[], print: Print): Promise<void> {
  const f = parseFlags(EVAL_FLAGS, argv);
  const dir = need(f.model, '--model');
  await initBackend({ quiet: f.quiet });
  const { model, tokenizer, stopIds } = await openRealSession(dir, { batch: 1, seqLen: 512 + f['max-new-tokens'], training: false }, f.quiet ? undefined : say);
  try {
    const r = await evaluateReal(model, tokenizer, { bench: f.bench as BenchmarkName, template: f.template as PromptFormat, limit: f.limit, maxNewTokens: f['max-new-tokens'], temperature: f.temperature, seed: f.seed, stopIds, progress: !f.quiet });
    if (f.out) {
      fs.mkdirSync(path.dirname(path.resolve(f.out)), { recursive: true });
      writeFileAtomic(f.out, JSON.stringify({ model: path.resolve(dir), ...r }, null, 1) + '\n');
    }
    const { records: _records, ...summary } = r;
    print(f.json ? JSON.stringify({ model: path.resolve(dir), ...summary }) : formatEvalResult(r));
  } finally {
    model.dispose();
  }
}

async function grpoCommand(argv: string[], print: Print): Promise<void> {
  const f = parseFlags(GRPO_FLAGS, argv);
  const cfg = runConfigOf(f);
  loadTrainingData(cfg.data, cfg.inputKey, cfg.labelKey); // a bad data file fails before the weights load
  await initBackend({ quiet: f.quiet });
  const log = f.quiet ? undefined : say;
  const { model, tokenizer, stopIds } = await openRealSession(cfg.model, { batch: cfg.microBatch, seqLen: 512 + cfg.maxNewTokens, training: true }, log);
  const runDir = f['run-dir'] ? path.resolve(f['run-dir']) : path.join(REAL_RESULTS_DIR, realRunId(cfg));
  try {
    const summary = await runRealGrpo(cfg, model, tokenizer, { runDir, stopIds, log, quiet: f.quiet });
    print(f.json ? JSON.stringify({ run_dir: runDir, ...summary }) : `${runDir}: ${JSON.stringify(summary)}`);
  } finally {
    model.dispose();
  }
}

/** A run's config: a config.json path, or a run id under results/real/. */
function configOfRun(run: string): { cfg: RealGrpoConfig; runDir: string } {
  const file = run.endsWith('.json') ? path.resolve(run) : path.join(REAL_RESULTS_DIR, run, 'config.json');
  if (!fs.existsSync(file)) throw new Error(`${file}: no such run config (give a run id under ${REAL_RESULTS_DIR} or a config.json path)`);
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const known = new Set([...Object.keys(REAL_GRPO_DEFAULTS), 'model', 'data']);
  const raw = Object.fromEntries(Object.entries(json).filter(([k]) => known.has(k))) as Partial<RealGrpoConfig>;
  return { cfg: validateRealConfig(raw, file), runDir: path.dirname(file) };
}

function exportCommand(argv: string[], print: Print): void {
  const f = parseFlags(EXPORT_FLAGS, argv);
  const clash = argv.map((a) => a.replace(/^--/, '').split('=')[0]).find((a) => a in RUN_FLAGS);
  if (f.run && clash) throw new Error(`--${clash} cannot be combined with --run: the run's config.json fixes it`);
  const { cfg, runDir } = f.run ? configOfRun(f.run) : { cfg: runConfigOf(f), runDir: null };
  const engine = f.engine as ExportEngine;
  const outDir = path.resolve(f.out ?? path.join(runDir ?? path.join(REAL_RESULTS_DIR, realRunId(cfg)), `export-${engine}`));
  const problems = loadTrainingData(cfg.data, cfg.inputKey, cfg.labelKey);
  const plan = exportPlan(cfg, problems, { engine, outDir, gpus: f.gpus, pretrain: f.pretrain });
  for (const file of plan.files) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    writeFileAtomic(file.path, file.content);
  }
  fs.chmodSync(path.join(outDir, 'launch.sh'), 0o755);
  if (f.json) {
    print(JSON.stringify({ engine, run_id: realRunId(cfg), argv: plan.argv, command: plan.command, notes: plan.notes, files: plan.files.map((x) => x.path) }));
    return;
  }
  const shown = (p: string) => (path.relative(process.cwd(), p).startsWith('..') ? p : path.relative(process.cwd(), p));
  print(`# ${realRunId(cfg)} on ${engine}: ${plan.files.map((x) => shown(x.path)).join(', ')}`);
  for (const n of plan.notes) print(`#   ${n}`);
  print(plan.command);
}

function planCommand(argv: string[], print: Print): void {
  const f = parseFlags(PLAN_FLAGS, argv, { about: 'Float32 memory for greedy evaluation and for a GRPO step (rollouts, update) at these settings, from config.json alone; weights need not be present.' });
  const dir = need(f.model, '--model');
  const settings: PlanSettings = {
    promptTokens: f['prompt-tokens'], evalMaxNewTokens: f['eval-max-new-tokens'], maxNewTokens: f['max-new-tokens'], groupSize: f['group-size'],
    prompts: f.prompts, microBatch: f['micro-batch'], miniBatch: f['mini-batch'], steps: f.steps,
  };
  // A folder without config.json but with checkpoint folders inside is planned as a table.
  const single = fs.existsSync(path.join(dir, 'config.json'));
  const dirs = single ? [dir] : checkpointFolders(dir);
  if (dirs.length === 0) throw new Error(`${dir}: no config.json, nor any subfolder with one`);
  const plans = dirs.map((d) => planReal(d, settings));
  if (f.json) {
    print(JSON.stringify(plans.map(({ cfg, eval: ev, rollouts, update, ...rest }) => ({ ...rest, arch: cfg.arch, parameters: ev.memory.parameters, eval: ev, rollouts, update }))));
    return;
  }
  for (const line of single ? formatPlan(plans[0]) : formatPlanTable(plans)) print(line);
}

/** Runs one command (`argv` without the program): eval, grpo, export or plan. */
export async function realCli(argv: readonly string[], print: Print = (line) => console.log(line)): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'eval':
      return evalCommand(rest, print);
    case 'grpo':
      return grpoCommand(rest, print);
    case 'export':
      return exportCommand(rest, print);
    case 'plan':
      return planCommand(rest, print);
    case '--help':
    case 'help':
      print(USAGE);
      return;
    default:
      throw new Error(`${command === undefined ? 'no command' : `unknown command '${command}'`}\n${USAGE}`);
  }
}

if (require.main === module) {
  realCli(process.argv.slice(2)).catch((e) => {
    console.error(`real: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
