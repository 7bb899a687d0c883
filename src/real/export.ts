/**
 * The same run on the paper's distributed trainer. Paper A trained with TTRL, a fork of OpenRLHF
 * (its script rlvr_deepscaler_grpo_qwen_random.sh); this module turns a RealGrpoConfig into the
 * launch command of either, plus the files it needs:
 *
 *   openrlhf  `python3 -m openrlhf.cli.train_ppo_ray` with the flat flags of its argument parser
 *             (--advantage_estimator group_norm, --n_samples_per_prompt, --eps_clip, …) and our
 *             reward as a Python `reward_func` for --remote_rm_url (its custom-reward path).
 *   ttrl      the paper's own entry point `python -m ttrl.cli.train_ppo_naive` with its
 *             --verify_task reward names (math, box_only_format, contain_python_wo_backticks,
 *             random<γ>); only the rewards the paper's fork implements can be exported.
 *
 * Flags are pinned to the releases they were checked against (OPENRLHF_PIN, TTRL_PIN): the flag
 * lists of those releases' own argument parsers are test fixtures (test/fixtures/trainer-flags/),
 * and every flag printed is checked against them. OpenRLHF's parser accepts these flags from 0.8.5
 * to 0.9.1.post1 only: 0.8.4 and older reject --lr_scheduler, 0.9.2 – 0.10.1 reject --bf16 (0.9.8 on
 * also --prompt_max_len and --generate_max_len), and 0.10.2 on take dotted flags, mapped by
 * OPENRLHF_DOTTED_FLAGS (the renamed command parses on 0.10.2 – 0.11.0).
 *
 * Prompts are written out already in our prompt format, so the trainer sees the same text as
 * `npm run real -- grpo`: 'none' as a finished string (no template flag), 'chat' as a system +
 * user message list with --apply_chat_template. Only the rows our run visits are written (see
 * visitedProblems).
 */
import * as path from 'path';
import { Rng } from '../engine/rng';
import { derived } from '../rl/settings';
import { TrainProblem } from './data';
import { QWEN_MATH_INSTRUCTION } from './prompts';
import { RealGrpoConfig, realRunId, rewardLabel } from './runConfig';

/** The OpenRLHF release the openrlhf export's flags were checked against (fixture openrlhf-v0.9.1.post1.tsv). */
export const OPENRLHF_PIN = { version: '0.9.1.post1', tag: 'v0.9.1.post1', commit: 'f2f971fdff6f534dbc4df53cce43ef8da27eecd6' } as const;

/**
 * The TTRL the ttrl export's flags were checked against: the paper's release of it (code/ of its
 * repository, which has no release tags, so pinned by commit; fixture ttrl-spurious-rewards.tsv).
 */
export const TTRL_PIN = { repo: 'ruixin31/Spurious_Rewards', commit: '33b9f85d5b099fabade71f562e75db719f5feaf2', dir: 'code' } as const;

/** The newest OpenRLHF release read for OPENRLHF_DOTTED_FLAGS (fixture openrlhf-v0.11.0.tsv). */
export const OPENRLHF_DOTTED_TAG = 'v0.11.0';

/**
 * OpenRLHF 0.10.2 and later name every flag by group (checked at v0.11.0). Ours (0.9.1.post1's
 * names) → theirs; two change their value as well as their name:
 *
 *   --bf16                 → --ds.param_dtype bf16
 *   --prompt_max_len P     → --data.max_len P + T   (prompt and response together; T = --generate_max_len)
 *   --generate_max_len T   → --rollout.max_new_tokens T
 */
export const OPENRLHF_DOTTED_FLAGS: Readonly<Record<string, string>> = Object.freeze({
  ref_num_nodes: 'ref.num_nodes',
  ref_num_gpus_per_node: 'ref.num_gpus_per_node',
  actor_num_nodes: 'actor.num_nodes',
  actor_num_gpus_per_node: 'actor.num_gpus_per_node',
  vllm_num_engines: 'vllm.num_engines',
  vllm_tensor_parallel_size: 'vllm.tensor_parallel_size',
  colocate_all_models: 'train.colocate_all',
  vllm_gpu_memory_utilization: 'vllm.gpu_memory_utilization',
  pretrain: 'actor.model_name_or_path',
  remote_rm_url: 'reward.remote_url',
  save_path: 'ckpt.output_dir',
  ckpt_path: 'ckpt.path',
  save_steps: 'ckpt.save_steps',
  prompt_data: 'data.prompt_dataset',
  input_key: 'data.input_key',
  label_key: 'data.label_key',
  apply_chat_template: 'data.apply_chat_template',
  advantage_estimator: 'algo.advantage.estimator',
  n_samples_per_prompt: 'rollout.n_samples_per_prompt',
  rollout_batch_size: 'rollout.batch_size',
  train_batch_size: 'train.batch_size',
  micro_train_batch_size: 'train.micro_batch_size',
  micro_rollout_batch_size: 'rollout.micro_batch_size',
  max_epochs: 'train.max_epochs',
  num_episodes: 'train.num_episodes',
  max_samples: 'data.max_samples',
  prompt_max_len: 'data.max_len',
  generate_max_len: 'rollout.max_new_tokens',
  actor_learning_rate: 'actor.adam.lr',
  lr_scheduler: 'actor.lr_scheduler',
  lr_warmup_ratio: 'actor.lr_warmup_ratio',
  init_kl_coef: 'algo.kl.init_coef',
  eps_clip: 'actor.eps_clip',
  temperature: 'rollout.temperature',
  max_norm: 'actor.max_norm',
  l2: 'actor.adam.weight_decay',
  adam_betas: 'actor.adam.betas',
  seed: 'train.seed',
  zero_stage: 'ds.zero_stage',
  bf16: 'ds.param_dtype',
  gradient_checkpointing: 'actor.gradient_checkpointing_enable',
  adam_offload: 'ds.adam_offload',
});

export const EXPORT_ENGINES = ['openrlhf', 'ttrl'] as const;
export type ExportEngine = (typeof EXPORT_ENGINES)[number];

export interface ExportOptions {
  engine: ExportEngine;
  /** Folder the launch files are written to (and named by the command). */
  outDir: string;
  /** GPUs on the node (the paper: 8). */
  gpus: number;
  /** --pretrain: a Hugging Face repo id or a path; default the run's model folder. */
  pretrain?: string;
}

export interface ExportFile {
  path: string;
  content: string;
}

export interface ExportPlan {
  engine: ExportEngine;
  /** The command as argv (program first), for running or parsing. */
  argv: string[];
  /** The same command as a shell line with `\` continuations. */
  command: string;
  /** Files to write before launching: prompts, reward function, launch script. */
  files: ExportFile[];
  /** How our settings map onto the trainer's, one line each. */
  notes: string[];
}

/** A flag list: a value, several values (nargs), or true for a store_true switch. */
type FlagValue = string | number | true | readonly (string | number)[];

function argvOf(program: readonly string[], flags: readonly [string, FlagValue][]): string[] {
  const out = [...program];
  for (const [name, v] of flags) {
    out.push(`--${name}`);
    if (v === true) continue;
    if (Array.isArray(v)) out.push(...v.map(String));
    else out.push(String(v));
  }
  return out;
}

/** POSIX shell quoting: bare when safe, else single quotes. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** One flag (with its values) per line, continued with `\`. */
function commandText(argv: readonly string[], programLength: number): string {
  const lines = [argv.slice(0, programLength).map(shellQuote).join(' ')];
  for (let i = programLength; i < argv.length; i++) {
    let line = shellQuote(argv[i]);
    while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) line += ' ' + shellQuote(argv[++i]);
    lines.push('   ' + line);
  }
  return lines.join(' \\\n');
}

/** Prompt rows in our format: a finished string for 'none', a message list for 'chat'. */
export function promptRows(cfg: Pick<RealGrpoConfig, 'template'>, problems: readonly TrainProblem[]): Record<string, unknown>[] {
  if (cfg.template === 'python') throw new Error(`prompt format 'python' forces the start of the response, which a trainer's prompt pipeline cannot express; export a run with --template none or chat`);
  return problems.map((p) =>
    cfg.template === 'none'
      ? { prompt: `${p.question}\n${QWEN_MATH_INSTRUCTION}`, answer: p.answer }
      : { messages: [{ role: 'system', content: QWEN_MATH_INSTRUCTION }, { role: 'user', content: p.question }], answer: p.answer },
  );
}

/**
 * The rows our run visits, in visiting order: `npm run real -- grpo` walks a permutation of the
 * data seeded by `seed * 7919 + 17` (src/rl/grpo.ts, promptOrder 'permutation'), P prompts per
 * step, so a run of S steps sees the first S × P rows of it. A trainer handed the whole file would
 * take other rows (OpenRLHF's --max_samples keeps the file's first rows), so the export writes
 * exactly these.
 */
export function visitedProblems(cfg: Pick<RealGrpoConfig, 'seed' | 'steps' | 'prompts' | 'groupSize' | 'miniBatch' | 'batching' | 'promptOrder' | 'data'>, problems: readonly TrainProblem[]): TrainProblem[] {
  if (cfg.promptOrder !== 'permutation') throw new Error(`field 'promptOrder' is '${cfg.promptOrder}': its prompts come from the run's main random stream, so the rows it visits are known only by running it; export a run with promptOrder 'permutation'`);
  const P = derived(cfg).prompts;
  const n = cfg.steps * P;
  if (problems.length < n) {
    // our run would wrap around and revisit rows; a trainer's single episode would stop early instead
    throw new Error(`${cfg.data}: ${problems.length} problems, fewer than steps × prompts = ${cfg.steps} × ${P}; OpenRLHF would stop early`);
  }
  const order = new Rng(cfg.seed * 7919 + 17).shuffle(problems.map((_, i) => i));
  return order.slice(0, n).map((i) => problems[i]);
}

/** The data note shared by both engines. */
function dataNote(cfg: RealGrpoConfig, rows: number, file: string, trainer: string): string {
  return `data: the ${rows} rows our run visits (${cfg.steps} steps × ${derived(cfg).prompts} prompts of the permutation seeded by ${cfg.seed}) of ${cfg.data} → ${file}; ${trainer} shuffles them again with its own --seed, so the order (not the set) differs from our run's`;
}

/** How the paper's, math-verify's and our grader differ, for the answer-graded rewards. */
const GRADER_NOTE = 'grading: our run grades with src/grader (the last \\boxed{…}, else an "answer is" phrase, else the last number; normalised LaTeX compared structurally in mathjs: numbers to 1e-8 relative, expressions at random points, tuples ordered, sets unordered); the paper graded with TTRL\'s Qwen2.5-Math grader (the last \\boxed{…}, else "the answer is", else the last number; then PRM800K\'s grade_answer: equal normalised strings, or a SymPy difference that simplifies to 0, tuples element by element)';

/** Our advantage estimator under the name both trainers' --advantage_estimator uses (same formula). */
function advantageEstimator(cfg: Pick<RealGrpoConfig, 'estimator'>): 'group_norm' | 'rloo' {
  return cfg.estimator === 'leave-one-out' ? 'rloo' : 'group_norm';
}

/** The advantage, loss and π_old differences between our run and a trainer; `tokenLevel`: the trainer averages the loss over tokens. */
function algorithmNotes(cfg: RealGrpoConfig, trainer: string, tokenLevel: boolean): string[] {
  const G = cfg.groupSize;
  const notes = [
    cfg.estimator === 'leave-one-out'
      ? `leave-one-out advantages Â_i = r_i − mean of the group's other rewards (--advantage_estimator rloo), as ours`
      : `group-normalised advantages, Â = 0 for a group with equal rewards (--advantage_estimator group_norm); ${trainer} divides by the sample std (n − 1) + 1e-9, ours by the population std: its Â is √((G − 1)/G) = ${Math.sqrt((G - 1) / G).toFixed(3)} × ours at G = ${G}, a scale Adam almost cancels`,
  ];
  const theirs = tokenLevel
    ? `${trainer} averages the policy loss over all response tokens of a micro-batch (token-level; OpenRLHF ≥ 0.8, no switch in ${OPENRLHF_PIN.version})`
    : `${trainer} averages each response's tokens, then the responses (as the paper describes)`;
  const same = (cfg.lossAggregation === 'token-mean') === tokenLevel;
  notes.push(`loss: ${theirs}; our run: lossAggregation '${cfg.lossAggregation}'${same ? ', the same' : tokenLevel ? ', so long responses weigh more on the trainer' : ', so long responses weigh less on the trainer'}`);
  if (cfg.oldLogProbs === 'sampler') notes.push(`π_old: ${trainer} recomputes it with a training forward pass (ρ = 1 at the first update); our run took the sampler's log-probs (oldLogProbs 'sampler')`);
  return notes;
}

/** OpenRLHF's train_ppo_ray for this run. `problems` is the whole data file; the visited rows are written to prompts.jsonl. */
export function openrlhfPlan(cfg: RealGrpoConfig, problems: readonly TrainProblem[], opts: ExportOptions): ExportPlan {
  const dir = path.resolve(opts.outDir);
  const at = (f: string) => path.join(dir, f);
  const visited = visitedProblems(cfg, problems);
  const rows = promptRows(cfg, visited);
  const g = opts.gpus;
  const noClip = cfg.surrogate === 'noclip';
  const d = derived(cfg); // the batching's rollout batch and mini-batch
  const flags: [string, FlagValue][] = [
    ['ref_num_nodes', 1], ['ref_num_gpus_per_node', g],
    ['actor_num_nodes', 1], ['actor_num_gpus_per_node', g],
    ['vllm_num_engines', g], ['vllm_tensor_parallel_size', 1],
    ['colocate_all_models', true], ['vllm_gpu_memory_utilization', 0.5],
    ['pretrain', opts.pretrain ?? cfg.model],
    ['remote_rm_url', at('reward_func.py')],
    ['save_path', at('model')], ['ckpt_path', at('ckpt')], ['save_steps', 50],
    ['prompt_data', at('prompts.jsonl')],
    ['input_key', cfg.template === 'none' ? 'prompt' : 'messages'],
    ['label_key', 'answer'],
    ...(cfg.template === 'none' ? [] : [['apply_chat_template', true] as [string, FlagValue]]),
    ['advantage_estimator', advantageEstimator(cfg)],
    ['n_samples_per_prompt', cfg.groupSize],
    ['rollout_batch_size', d.prompts],
    ['train_batch_size', d.miniBatch],
    ['micro_train_batch_size', cfg.microBatch],
    ['micro_rollout_batch_size', cfg.microBatch],
    ['max_epochs', 1],
    ['num_episodes', 1],
    ['max_samples', visited.length],
    ['prompt_max_len', 1024],
    ['generate_max_len', cfg.maxNewTokens],
    ['actor_learning_rate', cfg.lr],
    ['lr_scheduler', 'constant'],
    ['lr_warmup_ratio', 0],
    ['init_kl_coef', 0],
    ['eps_clip', noClip ? 1e9 : cfg.epsilon],
    ['temperature', cfg.temperature],
    ['max_norm', cfg.gradClipNorm],
    ['l2', cfg.weightDecay],
    ['adam_betas', [cfg.adamBeta1, cfg.adamBeta2]],
    ['seed', cfg.seed],
    ['zero_stage', 3], ['bf16', true], ['gradient_checkpointing', true], ['adam_offload', true],
  ];
  const program = ['python3', '-m', 'openrlhf.cli.train_ppo_ray'];
  const argv = argvOf(program, flags);
  const command = commandText(argv, program.length);
  const dotted = dottedArgv(argv, program.length);
  const graded = ['ground-truth', 'one-shot', 'inverted'].includes(cfg.reward); // the rewards reward_func.py grades with math-verify
  const install = `pip install 'openrlhf[vllm]==${OPENRLHF_PIN.version}'${graded ? ' math-verify' : ''}`;
  const notes = [
    `trainer: OpenRLHF ${OPENRLHF_PIN.version} (tag ${OPENRLHF_PIN.tag}, commit ${OPENRLHF_PIN.commit.slice(0, 7)}), whose argument parser accepts every flag below (so do 0.8.5 – 0.9.1; older and newer releases do not): ${install}; launch.sh refuses another version`,
    `newer OpenRLHF (0.10.2 on) takes dotted flags (--pretrain → --actor.model_name_or_path, --bf16 → --ds.param_dtype bf16, --prompt_max_len → --data.max_len prompt + response, …; the table is OPENRLHF_DOTTED_FLAGS in src/real/export.ts): launch.sh carries this command renamed for 0.10.2 – ${OPENRLHF_DOTTED_TAG.slice(1)} as a comment (checked against ${OPENRLHF_DOTTED_TAG}'s parser, not run)`,
    `reward ${rewardLabel(cfg)} → ${at('reward_func.py')} (--remote_rm_url)`,
    dataNote(cfg, visited.length, at('prompts.jsonl'), 'OpenRLHF'),
    `${d.prompts} prompts × ${cfg.groupSize} rollouts per step, ${d.miniBatch} rollouts per update → ${d.updatesPerStep} updates per step (--rollout_batch_size, --n_samples_per_prompt, --train_batch_size, --max_epochs 1)`,
    `${cfg.steps} steps = --max_samples ${visited.length} prompts ÷ --rollout_batch_size ${d.prompts}, one episode`,
    ...algorithmNotes(cfg, 'OpenRLHF', true),
    noClip ? `clip removed: --eps_clip 1e9 puts the band [1 − ε, 1 + ε] beyond any ratio` : `clip ε = ${cfg.epsilon} (--eps_clip)`,
    `no KL (--init_kl_coef 0, no --use_kl_loss), no entropy term; constant lr ${cfg.lr} (--lr_scheduler constant, --lr_warmup_ratio 0)`,
    `Adam betas (${cfg.adamBeta1}, ${cfg.adamBeta2}), weight decay ${cfg.weightDecay} (--l2), gradient norm ≤ ${cfg.gradClipNorm} (--max_norm)`,
    `prompts in format '${cfg.template}'${cfg.template === 'none' ? ' (finished strings, no chat template)' : ' (system + user messages, --apply_chat_template)'}; --prompt_max_len 1024 truncates longer prompts`,
    `--micro_*_batch_size and the ZeRO-3 / bf16 / offload switches set memory, not the algorithm; --pretrain may be a Hugging Face id such as Qwen/Qwen2.5-Math-7B`,
    `checkpoints: --save_steps 50 writes DeepSpeed state to ${at('ckpt')}; add --load_checkpoint to resume from it`,
  ];
  if (cfg.reward.startsWith('random')) notes.push(`random reward: every process that loads reward_func.py (each vLLM engine) draws its own independent Bernoulli(${cfg.gamma}) stream, seeded from SEED, its pid and os.urandom and logged once on stderr; not the draws of a tfjs run`);
  if (graded) notes.push(`${GRADER_NOTE}; reward_func.py grades with math-verify, neither of these: it extracts LaTeX-delimited or plain expressions by priority (last match first) and compares in SymPy (floats rounded to 6 decimals, asymmetric: an interval answer matches an inequality gold, not the reverse), so the three disagree on some answers`);
  if (cfg.evalEvery > 0) notes.push(`no evaluation during training (our --eval-every ${cfg.evalEvery}): evaluate the saved model with npm run real -- eval --model ${at('model')}`);
  const versionCheck = [
    `# Refuse another OpenRLHF: other releases renamed or dropped some of these flags.`,
    `python3 - <<'PY'`,
    `import importlib.metadata, sys`,
    `try:`,
    `    v = importlib.metadata.version("openrlhf")`,
    `except importlib.metadata.PackageNotFoundError:`,
    `    sys.exit("openrlhf is not installed: ${install}")`,
    `if v != "${OPENRLHF_PIN.version}":`,
    `    sys.exit(f"openrlhf {v} is installed; this launch was checked against ${OPENRLHF_PIN.version}: ${install}")`,
    `PY`,
  ];
  const launch = [
    `#!/usr/bin/env bash`,
    `# ${realRunId(cfg)} on OpenRLHF (exported by \`npm run real -- export\`).`,
    `# Checked against OpenRLHF ${OPENRLHF_PIN.version} (OpenRLHF/OpenRLHF tag ${OPENRLHF_PIN.tag}, commit ${OPENRLHF_PIN.commit}):`,
    `#   ${install}`,
    `# Start Ray first: ray start --head --num-gpus ${g}`,
    `set -euo pipefail`,
    ...versionCheck,
    command,
    ``,
    `# The same run on OpenRLHF 0.10.2 – ${OPENRLHF_DOTTED_TAG.slice(1)}, which take dotted flags (checked against ${OPENRLHF_DOTTED_TAG}'s argument parser, not run):`,
    ...commandText(dotted, program.length).split('\n').map((l) => `# ${l}`),
    ``,
  ].join('\n');
  const files: ExportFile[] = [
    { path: at('prompts.jsonl'), content: rows.map((r) => JSON.stringify(r) + '\n').join('') },
    { path: at('reward_func.py'), content: rewardFunctionPython(cfg) },
    { path: at('launch.sh'), content: launch },
  ];
  return { engine: 'openrlhf', argv, command, files, notes };
}

/** `argv` (0.9.1.post1's flags) renamed for OpenRLHF 0.10.2 and later with OPENRLHF_DOTTED_FLAGS. */
export function dottedArgv(argv: readonly string[], programLength: number): string[] {
  const out = argv.slice(0, programLength);
  const valueOf = (flag: string) => argv[argv.indexOf(`--${flag}`) + 1];
  for (let i = programLength; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) { out.push(a); continue; }
    const name = a.slice(2);
    const to = OPENRLHF_DOTTED_FLAGS[name];
    if (to === undefined) throw new Error(`OPENRLHF_DOTTED_FLAGS has no entry for --${name}`);
    out.push(`--${to}`);
    if (name === 'bf16') out.push('bf16'); // a switch became --ds.param_dtype {bf16,fp16}
    if (name === 'prompt_max_len') { out.push(String(Number(argv[++i]) + Number(valueOf('generate_max_len')))); } // the total length
  }
  return out;
}

/** TTRL's --verify_task name for a reward, as in the paper's released scripts. */
export function ttrlVerifyTask(cfg: Pick<RealGrpoConfig, 'reward' | 'gamma'>): string {
  switch (cfg.reward) {
    case 'ground-truth':
    case 'one-shot':
      return 'math';
    case 'format':
      return 'box_only_format';
    case 'python':
      return 'contain_python_wo_backticks';
    case 'random':
      return `random${cfg.gamma}`;
    default:
      throw new Error(`reward '${cfg.reward}' has no TTRL --verify_task of the paper's release (math, box_only_format, contain_python_wo_backticks, random<γ>); use --engine openrlhf, which takes any reward as a Python function`);
  }
}

/** The paper's own trainer (TTRL's train_ppo_naive), flags as in rlvr_deepscaler_grpo_qwen_random.sh. */
export function ttrlPlan(cfg: RealGrpoConfig, problems: readonly TrainProblem[], opts: ExportOptions): ExportPlan {
  const dir = path.resolve(opts.outDir);
  const at = (f: string) => path.join(dir, f);
  if (cfg.template === 'python') promptRows(cfg, problems);
  const verify = ttrlVerifyTask(cfg);
  const visited = visitedProblems(cfg, problems);
  const noClip = cfg.surrogate === 'noclip';
  const d = derived(cfg);
  // TTRL reads a folder with train.json (a JSON array); with --apply_chat_template a string prompt
  // becomes the only user message, so 'chat' relies on the template's default system message,
  // which for Qwen2.5-Math is the instruction itself.
  const rows = visited.map((p) => ({ prompt: cfg.template === 'none' ? `${p.question}\n${QWEN_MATH_INSTRUCTION}` : p.question, answer: p.answer }));
  const half = Math.max(1, Math.floor(opts.gpus / 2));
  const flags: [string, FlagValue][] = [
    ['ref_num_nodes', 1], ['ref_num_gpus_per_node', half],
    ['critic_num_nodes', 1], ['critic_num_gpus_per_node', half],
    ['actor_num_nodes', 1], ['actor_num_gpus_per_node', half],
    ['vllm_num_engines', half], ['vllm_tensor_parallel_size', 1],
    ['colocate_actor_ref', true],
    ['pretrain', opts.pretrain ?? cfg.model],
    ['save_path', at('model')],
    ['ckpt_path', at('ckpt')],
    ['verify_task', verify],
    ['verify_task_eval', 'math'],
    ['micro_train_batch_size', cfg.microBatch],
    ['train_batch_size', d.miniBatch],
    ['num_episodes', 1],
    ['max_samples', visited.length],
    ['actor_scheduler', 'constant'],
    ['lr_warmup_ratio', 0],
    ['save_steps', 50],
    ['logging_steps', 1],
    ['micro_rollout_batch_size', cfg.microBatch],
    ['rollout_batch_size', d.prompts],
    ['n_samples_per_prompt', cfg.groupSize],
    ['training_mode', 'rl'],
    ['max_epochs', 1],
    ['prompt_max_len', 1024],
    ['generate_max_len', cfg.maxNewTokens],
    ['advantage_estimator', advantageEstimator(cfg)],
    ['use_kl_loss', true],
    ['temperature', cfg.temperature],
    ['eval_temperature', 0],
    ['lambd', 1], ['gamma', 1],
    ['eps_clip', noClip ? 1e9 : cfg.epsilon],
    ['max_norm', cfg.gradClipNorm],
    ['l2', cfg.weightDecay],
    ['adam_betas', [cfg.adamBeta1, cfg.adamBeta2]],
    ['zero_stage', 3], ['bf16', true],
    ['actor_learning_rate', cfg.lr],
    ['critic_learning_rate', 9e-6],
    ['init_kl_coef', 0],
    ['prompt_data', `json@${at('data')}`],
    ['input_key', 'prompt'],
    ['label_key', 'answer'],
    ...(cfg.template === 'none' ? [] : [['apply_chat_template', true] as [string, FlagValue]]),
    ['seed', cfg.seed],
    ['adam_offload', true], ['gradient_checkpointing', true],
  ];
  const program = ['python', '-m', 'ttrl.cli.train_ppo_naive'];
  const argv = argvOf(program, flags);
  const command = commandText(argv, program.length);
  const short = TTRL_PIN.commit.slice(0, 7);
  const notes = [
    `trainer: TTRL as released with the paper, ${TTRL_PIN.repo} commit ${short} (${TTRL_PIN.dir}/; no release tags), whose train_ppo_naive parser accepts every flag below; launch.sh has the install lines and warns on another commit`,
    `reward ${rewardLabel(cfg)} → --verify_task ${verify}`,
    dataNote(cfg, visited.length, at('data/train.json'), 'TTRL'),
    `as the paper's script: --use_kl_loss with --init_kl_coef 0 (no KL), constant lr ${cfg.lr}; ${d.prompts} prompts × ${cfg.groupSize} rollouts per step, ${d.miniBatch} per update (${d.updatesPerStep} updates)`,
    noClip ? `clip removed: --eps_clip 1e9 puts the band [1 − ε, 1 + ε] beyond any ratio (the paper's script keeps the default 0.2)` : `clip ε = ${cfg.epsilon} (--eps_clip; the paper's script left it at the default 0.2)`,
    `Adam betas (${cfg.adamBeta1}, ${cfg.adamBeta2}), weight decay ${cfg.weightDecay} (--l2), gradient norm ≤ ${cfg.gradClipNorm} (--max_norm), given explicitly though they are TTRL's defaults`,
    `${cfg.steps} steps = --max_samples ${visited.length} ÷ --rollout_batch_size ${d.prompts}, one episode (the paper's script: --num_episodes 200 --max_samples 400000 over all of DeepScaleR)`,
    ...algorithmNotes(cfg, 'TTRL', false),
    `checkpoints: --save_steps 50 writes DeepSpeed state to ${at('ckpt')} (--ckpt_path); add --load_checkpoint to resume from it`,
    `left out of the paper's script: --normalize_reward (read only by a reward or critic model, neither of which group_norm with --verify_task loads), --packing_samples --flash_attn (speed), --n_votes_per_prompt, --eval_steps, --extra_eval_task_fast*, --eval_temperature_at_k, --max_ckpt_num, --use_wandb/--wandb_* (evaluation and logging)`,
  ];
  if (verify === 'math') notes.push(`${GRADER_NOTE}; --verify_task math is the paper's`);
  if (verify === 'box_only_format') notes.push(`format: TTRL's box_only_format needs a non-empty \\boxed{…}; ours counts an empty \\boxed{} too`);
  if (verify === 'contain_python_wo_backticks') notes.push(`python: TTRL's contain_python_wo_backticks matches "python" in any case ("Python" too); ours only lowercase`);
  if (verify.startsWith('random')) notes.push(`random reward: TTRL draws it with Python's global random.random() inside the Ray tasks that generate and score each rank's samples (NaiveSamplesMaker.generate_samples), not the draws of a tfjs run`);
  if (cfg.evalEvery > 0) notes.push(`evaluation: --verify_task_eval math --eval_temperature 0 (no --eval_steps: the paper's per-step evaluation is left out); or evaluate the saved model with npm run real -- eval --model ${at('model')}`);
  const launch = [
    `#!/usr/bin/env bash`,
    `# ${realRunId(cfg)} on TTRL (Paper A's trainer; exported by \`npm run real -- export\`).`,
    `# Checked against TTRL as released with the paper: ${TTRL_PIN.repo} commit ${TTRL_PIN.commit}`,
    `# (${TTRL_PIN.dir}/ttrl/cli/train_ppo_naive.py; the repository has no release tags). Install as its README says:`,
    `#   git clone https://github.com/${TTRL_PIN.repo} && git -C ${TTRL_PIN.repo.split('/')[1]} checkout ${TTRL_PIN.commit}`,
    `#   cd ${TTRL_PIN.repo.split('/')[1]}/${TTRL_PIN.dir} && pip install -r requirements.txt && pip install flash_attn==2.7.0.post2 && pip install -e .`,
    `set -euo pipefail`,
    `# Warn on another TTRL: its flags and --verify_task names were checked at the commit above.`,
    `ttrl_file=$(python -c 'import importlib.util as u`,
    `try:`,
    `    s = u.find_spec("ttrl.cli.train_ppo_naive")`,
    `except ImportError:`,
    `    s = None`,
    `print(s.origin if s else "")')`,
    `if [ -z "$ttrl_file" ]; then echo "ttrl is not installed: see the install lines at the top of $0" >&2; exit 1; fi`,
    `ttrl_commit=$(git -C "$(dirname "$ttrl_file")" rev-parse HEAD 2>/dev/null || echo unknown)`,
    `if [ "$ttrl_commit" != "${TTRL_PIN.commit}" ]; then echo "warning: ttrl at $ttrl_file is commit $ttrl_commit, not ${short}, the one this launch was checked against" >&2; fi`,
    command,
    ``,
  ].join('\n');
  const files: ExportFile[] = [
    { path: at('data/train.json'), content: JSON.stringify(rows, null, 1) + '\n' },
    { path: at('launch.sh'), content: launch },
  ];
  return { engine: 'ttrl', argv, command, files, notes };
}

export function exportPlan(cfg: RealGrpoConfig, problems: readonly TrainProblem[], opts: ExportOptions): ExportPlan {
  if (!(Number.isInteger(opts.gpus) && opts.gpus >= 1)) throw new Error(`--gpus must be a positive integer, got ${opts.gpus}`);
  return opts.engine === 'openrlhf' ? openrlhfPlan(cfg, problems, opts) : ttrlPlan(cfg, problems, opts);
}

/**
 * OpenRLHF's custom reward (`reward_func(queries, prompts, labels)`) computing our reward, as
 * src/rl/rewards.ts defines it: answers are graded with math-verify (not our TypeScript grader;
 * see the export's notes). The random reward is an independent Bernoulli(γ) draw per sample: the
 * trainer imports this file in every vLLM engine (one process each), so each process makes its own
 * stream from SEED, its pid and os.urandom, logged once on stderr. A stream from SEED alone would
 * give every engine the same draws; one keyed on (prompt, response) would turn the noise into a
 * fixed labelling the policy could learn.
 */
export function rewardFunctionPython(cfg: Pick<RealGrpoConfig, 'reward' | 'gamma' | 'seed'>): string {
  const py = (v: unknown) => (v === null ? 'None' : JSON.stringify(v));
  return `"""OpenRLHF reward function (--remote_rm_url) for the reward ${py(rewardLabel(cfg))}.

Exported by \`npm run real -- export\` from the workbook's reward definitions (src/rl/rewards.ts):
  ground-truth / one-shot  1 if the response's final answer equals the label (math-verify)
  format                   1 if the response contains \\\\boxed{...}
  python                   1 if the response contains the string "python"
  random                   1 with probability GAMMA, independent of the response
  *-no-python              the reward, and 0 whenever the response contains "python"
  inverted                 1 - ground-truth
  continuous               Paper B's 1 - 0.5 min(|a-b|, 1) - 0.5 min(|a-b| / (|b| + 1e-6), 1)
"""
import hashlib
import os
import random
import re
import socket
import sys
import threading

import torch

REWARD = ${py(cfg.reward)}
GAMMA = ${py(cfg.gamma)}
SEED = ${py(cfg.seed)}
# OpenRLHF releases whose reward_func returns {"rewards", "scores", "extra_logs"}; set False for
# older ones that expect a bare tensor.
RETURN_DICT = True

_stream_lock = threading.Lock()  # OpenRLHF calls reward_func from several threads at once
_stream = {"pid": None, "rng": None}


def _random_stream():
    """This process's own stream, made on first use and again after a fork (a forked child would
    otherwise repeat its parent's draws)."""
    pid = os.getpid()
    if _stream["pid"] != pid:
        with _stream_lock:
            if _stream["pid"] != pid:
                entropy = os.urandom(16)
                host = socket.gethostname()
                key = hashlib.sha256(f"{SEED}:{host}:{pid}:".encode() + entropy).digest()
                _stream["rng"] = random.Random(int.from_bytes(key, "big"))
                _stream["pid"] = pid
                print(f"reward_func: random rewards of pid {pid} on {host} drawn from a stream seeded by SEED={SEED}, the pid and os.urandom {entropy.hex()}", file=sys.stderr, flush=True)
    return _stream["rng"]


def _boxed(response):
    return re.search(r"\\\\boxed\\{[^}]*\\}", response) is not None


def _python(response):
    return "python" in response


def _correct(response, label):
    from math_verify import parse, verify  # pip install math-verify

    gold = parse("\\\\boxed{" + str(label) + "}")
    pred = parse(response)
    return bool(gold) and bool(pred) and bool(verify(gold, pred))


def _last_number(response):
    boxed = re.findall(r"\\\\boxed\\{([^}]*)\\}", response)
    text = boxed[-1] if boxed else response
    nums = re.findall(r"-?\\d+(?:\\.\\d+)?(?:[eE]-?\\d+)?", text)
    return float(nums[-1]) if nums else None


def _continuous(response, label):
    a, b = _last_number(response), float(label)
    if a is None:
        return 0.0
    d = abs(a - b)
    return 1.0 - 0.5 * min(d, 1.0) - 0.5 * min(d / (abs(b) + 1e-6), 1.0)


def _score(response, label):
    base = REWARD[: -len("-no-python")] if REWARD.endswith("-no-python") else REWARD
    if REWARD.endswith("-no-python") and _python(response):
        return 0.0
    if base == "random":
        return 1.0 if _random_stream().random() < GAMMA else 0.0
    if base in ("ground-truth", "one-shot", "incorrect", "majority-vote"):
        return 1.0 if _correct(response, label) else 0.0
    if base == "inverted":
        return 0.0 if _correct(response, label) else 1.0
    if base == "format":
        return 1.0 if _boxed(response) else 0.0
    if base == "python":
        return 1.0 if _python(response) else 0.0
    if base == "continuous":
        return _continuous(response, label)
    raise ValueError("unknown reward " + REWARD)


def _response(query, prompt):
    """The response part of a query (prompt + response, decoded). When the decoded prompt differs
    from the given one (a truncated prompt, a tokenizer round trip), cut after the longest tail of
    the prompt found, so the prompt's own text (its \\boxed{} instruction) is never scored."""
    if query.startswith(prompt):
        return query[len(prompt):]
    for k in (len(prompt), 2000, 500, 100, 30):
        tail = prompt[-k:]
        i = query.rfind(tail) if tail else -1
        if i >= 0:
            return query[i + len(tail):]
    return query


def reward_func(queries, prompts, labels, **kwargs):
    responses = [_response(q, p) for q, p in zip(queries, prompts)]
    rewards = torch.tensor([_score(r, l) for r, l in zip(responses, labels)], dtype=torch.float)
    if not RETURN_DICT:
        return rewards
    code = torch.tensor([1.0 if _python(r) else 0.0 for r in responses])
    return {"rewards": rewards, "scores": rewards, "extra_logs": {"code_rate": code}}
`;
}
