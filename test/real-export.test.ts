/**
 * The export to the paper's trainer, checked by parsing the printed command back into a flag →
 * values map (not by comparing strings), and by running the emitted Python reward function. Also
 * the real run's config validation and the training-data loader's errors.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadTrainingData, TrainProblem } from '../src/real/data';
import { exportPlan, promptRows, rewardFunctionPython, shellQuote } from '../src/real/export';
import { QWEN_MATH_INSTRUCTION } from '../src/real/prompts';
import { RealGrpoConfig, realRunId, updatesPerStep, validateRealConfig } from '../src/real/runConfig';
import { describeWithTool } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'real-export-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Shell words of a command line: single/double quotes, backslash-newline continuations. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && line[i + 1] === '\n') { i++; continue; }
    if (/\s/.test(c)) { if (cur !== null) { words.push(cur); cur = null; } continue; }
    cur ??= '';
    if (c === "'") { const end = line.indexOf("'", i + 1); cur += line.slice(i + 1, end); i = end; }
    else if (c === '"') { const end = line.indexOf('"', i + 1); cur += line.slice(i + 1, end); i = end; }
    else if (c === '\\') cur += line[++i];
    else cur += c;
  }
  if (cur !== null) words.push(cur);
  return words;
}

/** `--name v1 v2 --switch` → { name: ['v1', 'v2'], switch: [] }; a repeated flag is an error. */
function flagMap(words: readonly string[], programLength: number): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const w of words.slice(programLength)) {
    if (w.startsWith('--')) {
      if (flags.has(w.slice(2))) throw new Error(`flag ${w} given twice`);
      current = [];
      flags.set(w.slice(2), current);
    } else if (current) current.push(w);
    else throw new Error(`value '${w}' before any flag`);
  }
  return flags;
}

const problems: TrainProblem[] = Array.from({ length: 9600 }, (_, i) => ({ question: `Compute ${i} + 1.`, answer: String(i + 1), line: i + 1 }));
const dataFile = path.join(tmp, 'deepscaler.jsonl');
fs.writeFileSync(dataFile, problems.slice(0, 3).map((p) => JSON.stringify({ problem: p.question, answer: p.answer })).join('\n') + '\n');
fs.mkdirSync(path.join(tmp, 'Qwen2.5-Math-7B'));

function paperConfig(over: Partial<RealGrpoConfig> = {}): RealGrpoConfig {
  return validateRealConfig({ model: path.join(tmp, 'Qwen2.5-Math-7B'), data: dataFile, ...over });
}

describe('export --engine openrlhf', () => {
  const cfg = paperConfig();
  const plan = exportPlan(cfg, problems, { engine: 'openrlhf', outDir: path.join(tmp, 'out'), gpus: 8, pretrain: 'Qwen/Qwen2.5-Math-7B' });
  const words = shellWords(plan.command);
  const flags = flagMap(words, 3);
  const one = (f: string) => {
    const v = flags.get(f);
    if (!v || v.length !== 1) throw new Error(`--${f}: expected one value, got ${JSON.stringify(v)}`);
    return v[0];
  };

  test('the printed command parses back to its argv', () => {
    expect(words).toEqual(plan.argv);
    expect(words.slice(0, 3)).toEqual(['python3', '-m', 'openrlhf.cli.train_ppo_ray']);
  });

  test("the paper's GRPO settings (Appendix A) map onto OpenRLHF's flags", () => {
    expect(one('advantage_estimator')).toBe('group_norm');
    expect(Number(one('rollout_batch_size'))).toBe(64);
    expect(Number(one('n_samples_per_prompt'))).toBe(16);
    expect(Number(one('train_batch_size'))).toBe(128);
    expect(Number(one('max_epochs'))).toBe(1);
    expect((64 * 16) / Number(one('train_batch_size'))).toBe(updatesPerStep(cfg)); // 8 updates per rollout phase
    expect(Number(one('actor_learning_rate'))).toBe(5e-7);
    expect(one('lr_scheduler')).toBe('constant');
    expect(Number(one('lr_warmup_ratio'))).toBe(0);
    expect(Number(one('eps_clip'))).toBe(0.2);
    expect(Number(one('init_kl_coef'))).toBe(0);
    expect(flags.has('use_kl_loss')).toBe(false);
    expect(Number(one('temperature'))).toBe(1);
    expect(Number(one('generate_max_len'))).toBe(3072);
    expect(Number(one('max_samples')) / Number(one('rollout_batch_size'))).toBe(150); // steps
    expect(Number(one('max_norm'))).toBe(1);
    expect(Number(one('l2'))).toBe(0);
    expect(flags.get('adam_betas')!.map(Number)).toEqual([0.9, 0.95]);
    expect(Number(one('seed'))).toBe(1);
    expect(one('pretrain')).toBe('Qwen/Qwen2.5-Math-7B');
    expect(Number(one('actor_num_gpus_per_node'))).toBe(8);
    expect(flags.get('bf16')).toEqual([]);
  });

  test('the reward is the emitted Python file, the prompts the emitted data in our chat format', () => {
    const files = new Map(plan.files.map((f) => [f.path, f.content]));
    expect(files.get(one('remote_rm_url'))).toContain('def reward_func(queries, prompts, labels');
    const rows = files.get(one('prompt_data'))!.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(problems.length);
    expect(one('input_key')).toBe('messages');
    expect(one('label_key')).toBe('answer');
    expect(flags.get('apply_chat_template')).toEqual([]);
    // steps × prompts = all 9,600 rows here, in the run's seeded order (test/trainer-export.test.ts checks the subset)
    expect(rows).toContainEqual({ messages: [{ role: 'system', content: QWEN_MATH_INSTRUCTION }, { role: 'user', content: 'Compute 5 + 1.' }], answer: '6' });
    expect(files.get(path.join(tmp, 'out', 'launch.sh'))).toContain(plan.command);
  });

  test("'none' writes finished prompt strings and no chat template flag; 'noclip' opens the band; 'python' cannot be exported", () => {
    const none = exportPlan(paperConfig({ template: 'none', surrogate: 'noclip' }), problems, { engine: 'openrlhf', outDir: tmp, gpus: 4 });
    const f = flagMap(shellWords(none.command), 3);
    expect(f.has('apply_chat_template')).toBe(false);
    expect(f.get('input_key')).toEqual(['prompt']);
    expect(Number(f.get('eps_clip')![0])).toBeGreaterThan(1e6);
    expect(f.get('pretrain')).toEqual([path.join(tmp, 'Qwen2.5-Math-7B')]);
    expect(promptRows({ template: 'none' }, problems.slice(0, 1))).toEqual([{ prompt: `Compute 0 + 1.\n${QWEN_MATH_INSTRUCTION}`, answer: '1' }]);
    expect(() => exportPlan(paperConfig({ template: 'python' }), problems, { engine: 'openrlhf', outDir: tmp, gpus: 8 })).toThrow(/format 'python' forces the start of the response/);
  });

  test('too little data for the run is an error naming the file', () => {
    expect(() => exportPlan(cfg, problems.slice(0, 100), { engine: 'openrlhf', outDir: tmp, gpus: 8 })).toThrow(`${dataFile}: 100 problems, fewer than steps × prompts = 150 × 64`);
  });

  test('paths with spaces and quotes survive the shell quoting', () => {
    for (const s of ["/data/my runs/it's here", 'plain/path.jsonl', '$HOME']) expect(shellWords(shellQuote(s))).toEqual([s]);
  });
});

describe('export --engine ttrl (the paper\'s own script)', () => {
  test("its reward names and flags are the released script's", () => {
    const plan = exportPlan(paperConfig({ reward: 'random', gamma: 0.5 }), problems, { engine: 'ttrl', outDir: path.join(tmp, 'ttrl'), gpus: 8 });
    const flags = flagMap(shellWords(plan.command), 3);
    expect(shellWords(plan.command).slice(0, 3)).toEqual(['python', '-m', 'ttrl.cli.train_ppo_naive']);
    expect(flags.get('verify_task')).toEqual(['random0.5']);
    expect(flags.get('actor_scheduler')).toEqual(['constant']);
    expect(flags.get('n_samples_per_prompt')).toEqual(['16']);
    expect(flags.get('rollout_batch_size')).toEqual(['64']);
    expect(flags.get('train_batch_size')).toEqual(['128']);
    expect(flags.get('init_kl_coef')).toEqual(['0']);
    expect(flags.get('prompt_data')).toEqual([`json@${path.join(tmp, 'ttrl', 'data')}`]);
    const rows = JSON.parse(plan.files.find((f) => f.path.endsWith('train.json'))!.content);
    expect(rows).toContainEqual({ prompt: 'Compute 0 + 1.', answer: '1' });
    const gt = exportPlan(paperConfig({ reward: 'ground-truth' }), problems, { engine: 'ttrl', outDir: tmp, gpus: 8 });
    expect(flagMap(shellWords(gt.command), 3).get('verify_task')).toEqual(['math']);
    expect(() => exportPlan(paperConfig({ reward: 'inverted' }), problems, { engine: 'ttrl', outDir: tmp, gpus: 8 })).toThrow(/reward 'inverted' has no TTRL --verify_task/);
  });
});

/** python3 runs (any version: the emitted reward file needs only the standard library and the torch stub below). */
function hasPython3(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Without python3 the reward file is untested: a failing test in CI, a printed skip elsewhere.
describeWithTool('python3', hasPython3(), 'apt-get install python3; see .ci/apt-packages.txt')('the emitted Python reward function', () => {
  // A stand-in `torch` (tensor → list) so the file runs on any python3; math-verify is not needed
  // by the rewards run here.
  const stub = path.join(tmp, 'pystub');
  fs.mkdirSync(stub, { recursive: true });
  fs.writeFileSync(path.join(stub, 'torch.py'), 'float = "float"\n\ndef tensor(xs, dtype=None):\n    return list(xs)\n');

  type Case = { cfg: Pick<RealGrpoConfig, 'reward' | 'gamma' | 'seed'>; responses: string[] };

  /** Runs every case's reward file in one python3 process: rewards and the code-rate log per case. */
  function run(cases: Case[]): { rewards: number[]; code: number[] }[] {
    const files = cases.map((c, i) => {
      const file = path.join(stub, `reward_${i}.py`);
      fs.writeFileSync(file, rewardFunctionPython(c.cfg));
      return file;
    });
    const script = [
      'import importlib.util, json, sys',
      'out = []',
      'for file, rs in json.loads(sys.argv[1]):',
      '    spec = importlib.util.spec_from_file_location("r", file)',
      '    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
      '    o = m.reward_func(["P" + r for r in rs], ["P"] * len(rs), ["4"] * len(rs))',
      '    out.append({"rewards": o["rewards"], "code": o["extra_logs"]["code_rate"]})',
      'print(json.dumps(out))',
    ].join('\n');
    const arg = JSON.stringify(cases.map((c, i) => [files[i], c.responses]));
    return JSON.parse(execFileSync('python3', ['-c', script, arg], { env: { ...process.env, PYTHONPATH: stub } }).toString());
  }

  test('format, python and random rewards score as src/rl/rewards.ts defines them', () => {
    const responses = ['so \\boxed{4}', 'no box here', '```python\nprint(4)\n```', 'The answer is \\boxed{\\frac{1}{2}}'];
    const many = Array.from({ length: 2000 }, () => 'x');
    const [format, py, formatNoPy, random, never] = run([
      { cfg: { reward: 'format', gamma: null, seed: 1 }, responses },
      { cfg: { reward: 'python', gamma: null, seed: 1 }, responses },
      { cfg: { reward: 'format-no-python', gamma: null, seed: 1 }, responses: [...responses, '\\boxed{4} in python'] },
      { cfg: { reward: 'random', gamma: 0.3, seed: 7 }, responses: many },
      { cfg: { reward: 'random', gamma: 0, seed: 7 }, responses: many.slice(0, 50) },
    ]);
    expect(format.rewards).toEqual([1, 0, 0, 1]);
    expect(py.rewards).toEqual([0, 0, 1, 0]);
    expect(py.code).toEqual([0, 0, 1, 0]);
    expect(formatNoPy.rewards).toEqual([1, 0, 0, 1, 0]);
    expect(random.rewards.every((x) => x === 0 || x === 1)).toBe(true);
    expect(Math.abs(random.rewards.reduce((a, b) => a + b, 0) / random.rewards.length - 0.3)).toBeLessThan(0.04);
    expect(never.rewards.every((x) => x === 0)).toBe(true);
  });
});

describe('run config and training data', () => {
  test("defaults are the paper's; the run id names model folder, format, reward and seed", () => {
    const cfg = paperConfig();
    expect([cfg.prompts, cfg.groupSize, cfg.miniBatch, cfg.lr, cfg.epsilon, cfg.maxNewTokens, cfg.temperature, cfg.steps]).toEqual([64, 16, 128, 5e-7, 0.2, 3072, 1, 150]);
    expect([cfg.gradClipNorm, cfg.weightDecay, cfg.lossAggregation, cfg.oldLogProbs, cfg.promptOrder, cfg.checkpointEvery]).toEqual([1, 0, 'sequence-mean', 'recompute', 'permutation', 5]);
    expect(cfg.template).toBe('chat');
    expect(realRunId(cfg)).toBe('Qwen2.5-Math-7B__chat__random-0.5__clip__s1');
    expect(realRunId(paperConfig({ surrogate: 'noclip' }))).toBe('Qwen2.5-Math-7B__chat__random-0.5__noclip__s1');
    expect(paperConfig({ reward: 'ground-truth' }).gamma).toBeNull();
  });

  test('bad settings are one-line errors naming the field', () => {
    expect(() => paperConfig({ reward: 'majority-vote' })).toThrow(/field 'reward' 'majority-vote' needs majority-vote labels/);
    expect(() => paperConfig({ reward: 'ground-truth', gamma: 0.5 })).toThrow(/field 'gamma' is invalid \(reward 'ground-truth' takes no gamma/);
    expect(() => paperConfig({ miniBatch: 2000 })).toThrow("field 'miniBatch' (2000) exceeds the rollouts per step, prompts × groupSize = 1024");
    expect(() => paperConfig({ groupSize: 1 })).toThrow(/field 'groupSize' must be at least 2/);
    expect(() => paperConfig({ rollouts: 16 } as never)).toThrow(/field 'rollouts' is now 'groupSize'/);
    expect(() => paperConfig({ klCoef: 0.1 })).toThrow(/field 'klCoef' must be 0 on a real checkpoint/);
    expect(() => validateRealConfig({ model: 'm', data: 'd', lerning_rate: 1 } as Partial<RealGrpoConfig>, 'cfg.json')).toThrow("cfg.json: unknown field 'lerning_rate'");
  });

  test('the DeepScaleR loader reads problem/answer and names file, line and field of a bad line', () => {
    const good = path.join(tmp, 'good.jsonl');
    fs.writeFileSync(good, '{"problem": "1+1?", "answer": "2", "solution": "..."}\n\n{"problem": "2+2?", "answer": 4}\n');
    expect(loadTrainingData(good)).toEqual([{ question: '1+1?', answer: '2', line: 1 }, { question: '2+2?', answer: '4', line: 3 }]);
    const cases: [string, RegExp][] = [
      ['{"problem": "x", "answer": "1"}\n{"question": "y", "answer": "2"}\n', /bad\.jsonl:2: field 'problem' is missing/],
      ['{"problem": "x"}\n', /bad\.jsonl:1: field 'answer' is missing/],
      ['{"problem": "x", "answer": ""}\n', /bad\.jsonl:1: field 'answer' must be a non-empty string or a number/],
      ['{"problem": "x", "answer": "1"}\n{"problem": \n', /bad\.jsonl:2: invalid JSON/],
      ['[1, 2]\n', /bad\.jsonl:1: expected a JSON object with fields 'problem' and 'answer'/],
      ['', /bad\.jsonl: no problems/],
    ];
    const bad = path.join(tmp, 'bad.jsonl');
    for (const [text, err] of cases) {
      fs.writeFileSync(bad, text);
      expect(() => loadTrainingData(bad)).toThrow(err);
    }
    expect(loadTrainingData(good, 'problem', 'answer')).toHaveLength(2);
    expect(() => loadTrainingData(path.join(tmp, 'none.jsonl'))).toThrow(/none\.jsonl: file not found/);
  });
});
