/**
 * The same run on the paper's distributed trainer. Paper A trained with TTRL, a fork of OpenRLHF
 * (its script rlvr_deepscaler_grpo_qwen_random.sh); this module turns a RealGrpoConfig into the
 * launch command of either, plus the files it needs:
 *
 *   openrlhf  `python3 -m openrlhf.cli.train_ppo_ray` with the flat flags of its argument parser
 *             (--advantage_estimator group_norm, --n_samples_per_prompt, --eps_clip, …) and our
 *             reward as a Python `reward_func` for --remote_rm_url (its custom-reward path).
 *             Releases that moved to dotted flags (--actor.adam.lr, …) need the names mapped.
 *   ttrl      the paper's own entry point `python -m ttrl.cli.train_ppo_naive` with its
 *             --verify_task reward names (math, box_only_format, contain_python_wo_backticks,
 *             random<γ>); only the rewards the paper's fork implements can be exported.
 *
 * Prompts are written out already in our prompt format, so the trainer sees the same text as
 * `npm run real -- grpo`: 'none' as a finished string (no template flag), 'chat' as a system +
 * user message list with --apply_chat_template.
 */
import * as path from 'path';
import { TrainProblem } from './data';
import { QWEN_MATH_INSTRUCTION } from './prompts';
import { RealGrpoConfig, realRunId, rewardLabel } from './runConfig';

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

/** OpenRLHF's train_ppo_ray for this run. `problems` are the training prompts (written to prompts.jsonl). */
export function openrlhfPlan(cfg: RealGrpoConfig, problems: readonly TrainProblem[], opts: ExportOptions): ExportPlan {
  const dir = path.resolve(opts.outDir);
  const at = (f: string) => path.join(dir, f);
  const rows = promptRows(cfg, problems);
  if (problems.length < cfg.steps * cfg.prompts) {
    throw new Error(`${cfg.data}: ${problems.length} problems, fewer than steps × prompts = ${cfg.steps} × ${cfg.prompts}; OpenRLHF would stop early`);
  }
  const g = opts.gpus;
  const noClip = cfg.clipMode === 'noclip';
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
    ['advantage_estimator', 'group_norm'],
    ['n_samples_per_prompt', cfg.rollouts],
    ['rollout_batch_size', cfg.prompts],
    ['train_batch_size', cfg.miniBatch],
    ['micro_train_batch_size', cfg.microBatch],
    ['micro_rollout_batch_size', cfg.microBatch],
    ['max_epochs', 1],
    ['num_episodes', 1],
    ['max_samples', cfg.steps * cfg.prompts],
    ['prompt_max_len', 1024],
    ['generate_max_len', cfg.maxNewTokens],
    ['actor_learning_rate', cfg.lr],
    ['lr_scheduler', 'constant'],
    ['lr_warmup_ratio', 0],
    ['init_kl_coef', 0],
    ['eps_clip', noClip ? 1e9 : cfg.eps],
    ['temperature', cfg.temperature],
    ['max_norm', cfg.maxGradNorm],
    ['l2', cfg.weightDecay],
    ['adam_betas', [cfg.adamBeta1, cfg.adamBeta2]],
    ['seed', cfg.seed],
    ['zero_stage', 3], ['bf16', true], ['gradient_checkpointing', true], ['adam_offload', true],
  ];
  const program = ['python3', '-m', 'openrlhf.cli.train_ppo_ray'];
  const argv = argvOf(program, flags);
  const command = commandText(argv, program.length);
  const notes = [
    `reward ${rewardLabel(cfg)} → ${at('reward_func.py')} (--remote_rm_url; needs \`pip install math-verify\` for answer-graded rewards)`,
    `${cfg.prompts} prompts × ${cfg.rollouts} rollouts per step, ${cfg.miniBatch} rollouts per update → ${Math.ceil((cfg.prompts * cfg.rollouts) / cfg.miniBatch)} updates per step (--rollout_batch_size, --n_samples_per_prompt, --train_batch_size, --max_epochs 1)`,
    `${cfg.steps} steps = --max_samples ${cfg.steps * cfg.prompts} prompts ÷ --rollout_batch_size ${cfg.prompts}, one episode`,
    `group-normalised advantages, Â = 0 for a group with equal rewards (--advantage_estimator group_norm)`,
    noClip ? `clip removed: --eps_clip 1e9 puts the band [1 − ε, 1 + ε] beyond any ratio` : `clip ε = ${cfg.eps} (--eps_clip)`,
    `no KL (--init_kl_coef 0, no --use_kl_loss), no entropy term; constant lr ${cfg.lr} (--lr_scheduler constant, --lr_warmup_ratio 0)`,
    `Adam betas (${cfg.adamBeta1}, ${cfg.adamBeta2}), weight decay ${cfg.weightDecay} (--l2), gradient norm ≤ ${cfg.maxGradNorm} (--max_norm)`,
    `prompts in format '${cfg.template}' → ${at('prompts.jsonl')}${cfg.template === 'none' ? ' (finished strings, no chat template)' : ' (system + user messages, --apply_chat_template)'}`,
    `--micro_*_batch_size and the ZeRO-3 / bf16 / offload switches set memory, not the algorithm; --pretrain may be a Hugging Face id such as Qwen/Qwen2.5-Math-7B`,
  ];
  const files: ExportFile[] = [
    { path: at('prompts.jsonl'), content: rows.map((r) => JSON.stringify(r) + '\n').join('') },
    { path: at('reward_func.py'), content: rewardFunctionPython(cfg) },
    { path: at('launch.sh'), content: `#!/usr/bin/env bash\n# ${realRunId(cfg)} on OpenRLHF (exported by \`npm run real -- export\`).\n# Start Ray first: ray start --head --num-gpus ${g}\nset -euo pipefail\n${command}\n` },
  ];
  return { engine: 'openrlhf', argv, command, files, notes };
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
  if (cfg.clipMode !== 'clip') throw new Error(`TTRL has no switch for clipMode '${cfg.clipMode}'; use --engine openrlhf`);
  if (cfg.template === 'python') promptRows(cfg, problems);
  const verify = ttrlVerifyTask(cfg);
  // TTRL reads a folder with train.json (a JSON array); with --apply_chat_template a string prompt
  // becomes the only user message, so 'chat' relies on the template's default system message,
  // which for Qwen2.5-Math is the instruction itself.
  const rows = problems.map((p) => ({ prompt: cfg.template === 'none' ? `${p.question}\n${QWEN_MATH_INSTRUCTION}` : p.question, answer: p.answer }));
  const half = Math.max(1, Math.floor(opts.gpus / 2));
  const flags: [string, FlagValue][] = [
    ['ref_num_nodes', 1], ['ref_num_gpus_per_node', half],
    ['critic_num_nodes', 1], ['critic_num_gpus_per_node', half],
    ['actor_num_nodes', 1], ['actor_num_gpus_per_node', half],
    ['vllm_num_engines', half], ['vllm_tensor_parallel_size', 1],
    ['colocate_actor_ref', true],
    ['pretrain', opts.pretrain ?? cfg.model],
    ['save_path', at('model')],
    ['verify_task', verify],
    ['verify_task_eval', 'math'],
    ['micro_train_batch_size', cfg.microBatch],
    ['train_batch_size', cfg.miniBatch],
    ['num_episodes', 1],
    ['max_samples', cfg.steps * cfg.prompts],
    ['actor_scheduler', 'constant'],
    ['lr_warmup_ratio', 0],
    ['save_steps', 50],
    ['logging_steps', 1],
    ['micro_rollout_batch_size', cfg.microBatch],
    ['rollout_batch_size', cfg.prompts],
    ['n_samples_per_prompt', cfg.rollouts],
    ['training_mode', 'rl'],
    ['max_epochs', 1],
    ['prompt_max_len', 1024],
    ['generate_max_len', cfg.maxNewTokens],
    ['advantage_estimator', 'group_norm'],
    ['use_kl_loss', true],
    ['temperature', cfg.temperature],
    ['eval_temperature', 0],
    ['lambd', 1], ['gamma', 1],
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
  const notes = [
    `reward ${rewardLabel(cfg)} → --verify_task ${verify}`,
    `as the paper's script: --use_kl_loss with --init_kl_coef 0 (no KL), group_norm advantages, constant lr ${cfg.lr}, ε left at the trainer's default 0.2`,
    `${cfg.steps} steps = --max_samples ${cfg.steps * cfg.prompts} ÷ --rollout_batch_size ${cfg.prompts}`,
    `data → ${at('data/train.json')}`,
  ];
  if (cfg.eps !== 0.2) notes.push(`ε = ${cfg.eps} differs from TTRL's fixed default 0.2 (its script sets no --eps_clip)`);
  const files: ExportFile[] = [
    { path: at('data/train.json'), content: JSON.stringify(rows, null, 1) + '\n' },
    { path: at('launch.sh'), content: `#!/usr/bin/env bash\n# ${realRunId(cfg)} on TTRL (Paper A's trainer; exported by \`npm run real -- export\`).\nset -euo pipefail\n${command}\n` },
  ];
  return { engine: 'ttrl', argv, command, files, notes };
}

export function exportPlan(cfg: RealGrpoConfig, problems: readonly TrainProblem[], opts: ExportOptions): ExportPlan {
  if (!(Number.isInteger(opts.gpus) && opts.gpus >= 1)) throw new Error(`--gpus must be a positive integer, got ${opts.gpus}`);
  return opts.engine === 'openrlhf' ? openrlhfPlan(cfg, problems, opts) : ttrlPlan(cfg, problems, opts);
}

/**
 * OpenRLHF's custom reward (`reward_func(queries, prompts, labels)`) computing our reward, as
 * src/rl/rewards.ts defines it: answers are graded with math-verify (our TypeScript grader's
 * counterpart), the random reward draws from its own seeded stream (same distribution, not the
 * same draws as a tfjs run).
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
import random
import re

import torch

REWARD = ${py(cfg.reward)}
GAMMA = ${py(cfg.gamma)}
SEED = ${py(cfg.seed)}
# OpenRLHF releases whose reward_func returns {"rewards", "scores", "extra_logs"}; set False for
# older ones that expect a bare tensor.
RETURN_DICT = True

_rng = random.Random(SEED)


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
        return 1.0 if _rng.random() < GAMMA else 0.0
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


def reward_func(queries, prompts, labels, **kwargs):
    responses = [q[len(p):] if q.startswith(p) else q for q, p in zip(queries, prompts)]
    rewards = torch.tensor([_score(r, l) for r, l in zip(responses, labels)], dtype=torch.float)
    if not RETURN_DICT:
        return rewards
    code = torch.tensor([1.0 if _python(r) else 0.0 for r in responses])
    return {"rewards": rewards, "scores": rewards, "extra_logs": {"code_rate": code}}
`;
}
