/**
 * The export against the trainers themselves: every flag it prints is checked against the flag list
 * read from the pinned release's own argument parser (test/fixtures/trainer-flags/, with the file,
 * tag and commit in each header), the written data are exactly the rows our run visits, the random
 * reward is an independent Bernoulli(γ) stream in every process that loads it, and the launch
 * scripts run the command they print (on a stand-in trainer) and refuse another OpenRLHF.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Rng } from '../src/engine/rng';
import { TrainProblem } from '../src/real/data';
import { ExportPlan, OPENRLHF_DOTTED_FLAGS, OPENRLHF_DOTTED_TAG, OPENRLHF_PIN, TTRL_PIN, dottedArgv, exportPlan, rewardFunctionPython, visitedProblems } from '../src/real/export';
import { RealGrpoConfig, validateRealConfig } from '../src/real/runConfig';
import { derived } from '../src/rl/settings';
import { describeWithTool } from './helpers';

const FIXTURES = path.join(__dirname, 'fixtures', 'trainer-flags');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trainer-export-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface FlagRule { kind: 'value' | 'switch'; nargs: string; type: string; choices: string[] | null }
interface FlagList { file: string; header: Record<string, string>; flags: Map<string, FlagRule> }

/** A fixture: `# key: value` header lines, then `flag kind nargs type choices` rows. */
function readFlagList(name: string): FlagList {
  const file = path.join(FIXTURES, name);
  const header: Record<string, string> = {};
  const flags = new Map<string, FlagRule>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const h = /^# (\w+): (.*)$/.exec(line);
    if (h) header[h[1]] = h[2];
    if (line === '' || line.startsWith('#')) continue;
    const [flag, kind, nargs, type, choices] = line.split('\t');
    flags.set(flag, { kind: kind as FlagRule['kind'], nargs, type, choices: choices === '-' ? null : choices.split(',') });
  }
  return { file: name, header, flags };
}

const OPENRLHF = readFlagList(`openrlhf-${OPENRLHF_PIN.tag}.tsv`);
const OPENRLHF_DOTTED = readFlagList(`openrlhf-${OPENRLHF_DOTTED_TAG}.tsv`);
const TTRL = readFlagList('ttrl-spurious-rewards.tsv');

/** What the trainer's parser would refuse in `argv` (after the program): unknown flags, wrong arity, type or choice. */
function refused(argv: readonly string[], programLength: number, list: FlagList): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const words = argv.slice(programLength);
  for (let i = 0; i < words.length; i++) {
    const flag = words[i];
    if (!flag.startsWith('--')) { out.push(`value '${flag}' without a flag`); continue; }
    const values: string[] = [];
    while (i + 1 < words.length && !words[i + 1].startsWith('--')) values.push(words[++i]);
    if (seen.has(flag)) out.push(`${flag} given twice`);
    seen.add(flag);
    const rule = list.flags.get(flag);
    if (!rule) { out.push(`${flag} unknown to ${list.file}`); continue; }
    const arity = rule.kind === 'switch' ? values.length === 0
      : rule.nargs === '*' ? true : rule.nargs === '+' ? values.length >= 1 : rule.nargs === '?' ? values.length <= 1 : values.length === Number(rule.nargs);
    if (!arity) out.push(`${flag} takes ${rule.kind === 'switch' ? 'no value' : `${rule.nargs} value(s)`}, got ${values.length}`);
    for (const v of values) {
      if (rule.type === 'int' && !/^-?\d+$/.test(v)) out.push(`${flag} ${v}: not an int`);
      if (rule.type === 'float' && !Number.isFinite(Number(v))) out.push(`${flag} ${v}: not a float`);
      const random = /^random(\d*\.?\d+)$/.exec(v);
      const inChoices = rule.choices?.includes(v) || (random !== null && rule.choices?.includes('random<γ>') && Number(random[1]) >= 0 && Number(random[1]) <= 1);
      if (rule.choices && !inChoices) out.push(`${flag} ${v}: not one of ${rule.choices.join(', ')}`);
    }
  }
  return out;
}

/** `n` problems "Compute i + 1." (line i + 1), and a data file so configs validate. */
function makeProblems(n: number): TrainProblem[] {
  return Array.from({ length: n }, (_, i) => ({ question: `Compute ${i} + 1.`, answer: String(i + 1), line: i + 1 }));
}
const dataFile = path.join(tmp, 'train.jsonl');
fs.writeFileSync(dataFile, '{"problem": "1+1?", "answer": "2"}\n');

function config(over: Partial<RealGrpoConfig> = {}): RealGrpoConfig {
  return validateRealConfig({ model: path.join(tmp, 'Qwen2.5-Math-7B'), data: dataFile, ...over });
}

const problems = makeProblems(9600);
const plan = (over: Partial<RealGrpoConfig>, engine: 'openrlhf' | 'ttrl', dir = 'out'): ExportPlan =>
  exportPlan(config(over), problems, { engine, outDir: path.join(tmp, dir), gpus: 8, pretrain: 'Qwen/Qwen2.5-Math-7B' });

describe("every flag the export prints is one the pinned trainer's own parser accepts", () => {
  test('the fixtures name the source file, tag and commit the export pins', () => {
    expect(OPENRLHF.header).toEqual(expect.objectContaining({ ref: OPENRLHF_PIN.tag, commit: OPENRLHF_PIN.commit }));
    expect(fs.readFileSync(path.join(FIXTURES, OPENRLHF.file), 'utf8')).toMatch(/^# Flags accepted by OpenRLHF\/OpenRLHF openrlhf\/cli\/train_ppo_ray\.py\n/);
    expect(OPENRLHF_DOTTED.header.ref).toBe(OPENRLHF_DOTTED_TAG);
    expect(TTRL.header.commit).toBe(TTRL_PIN.commit);
    expect(fs.readFileSync(path.join(FIXTURES, TTRL.file), 'utf8')).toMatch(/^# Flags accepted by ruixin31\/Spurious_Rewards code\/ttrl\/cli\/train_ppo_naive\.py\n/);
    for (const list of [OPENRLHF, OPENRLHF_DOTTED, TTRL]) expect(list.flags.size).toBeGreaterThan(100);
  });

  const variants: Partial<RealGrpoConfig>[] = [
    {},
    { template: 'none', surrogate: 'noclip', reward: 'ground-truth' },
    { estimator: 'leave-one-out', batching: 'minibatch=rollout', reward: 'format' },
    { batching: 'rollout=minibatch', lossAggregation: 'token-mean', reward: 'python', steps: 40 },
    { reward: 'random', gamma: 0.2, epsilon: 0.3, evalEvery: 10 },
  ];

  test.each(variants.map((v) => [JSON.stringify(v), v]))('openrlhf %s: the pinned OpenRLHF accepts the command, OpenRLHF 0.11 its dotted rename', (_name, over) => {
    const p = plan(over, 'openrlhf');
    expect(refused(p.argv, 3, OPENRLHF)).toEqual([]);
    const dotted = dottedArgv(p.argv, 3);
    expect(refused(dotted, 3, OPENRLHF_DOTTED)).toEqual([]);
    const launch = p.files.find((f) => f.path.endsWith('launch.sh'))!.content;
    expect(launch).toContain(`pip install 'openrlhf[vllm]==${OPENRLHF_PIN.version}'`);
    expect(launch).toContain(`commit ${OPENRLHF_PIN.commit}`);
    expect(launch).toContain(`#    ${dotted.slice(3, 5).join(' ')} \\\n`); // the dotted command, commented out
    expect(p.notes[0]).toContain(`trainer: OpenRLHF ${OPENRLHF_PIN.version} (tag ${OPENRLHF_PIN.tag}`);
  });

  test('the dotted rename: a name for every flag, values carried over, --bf16 and the lengths rewritten', () => {
    const p = plan({}, 'openrlhf');
    const printed = p.argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2));
    for (const f of printed) expect(OPENRLHF_DOTTED_FLAGS[f]).toBeDefined();
    for (const [ours, theirs] of Object.entries(OPENRLHF_DOTTED_FLAGS)) {
      expect([ours, OPENRLHF.flags.has(`--${ours}`)]).toEqual([ours, true]);
      expect([theirs, OPENRLHF_DOTTED.flags.has(`--${theirs}`)]).toEqual([theirs, true]);
    }
    const dotted = dottedArgv(p.argv, 3);
    const after = (f: string) => dotted[dotted.indexOf(f) + 1];
    expect(after('--ds.param_dtype')).toBe('bf16');
    expect(after('--data.max_len')).toBe(String(1024 + 3072));
    expect(after('--rollout.max_new_tokens')).toBe('3072');
    expect(after('--actor.adam.lr')).toBe('5e-7');
    expect(() => dottedArgv(['python3', '-m', 'x', '--no_such_flag'], 3)).toThrow('OPENRLHF_DOTTED_FLAGS has no entry for --no_such_flag');
  });

  test.each([
    [{ reward: 'random', gamma: 0.5 }, 'random0.5'],
    [{ reward: 'ground-truth' }, 'math'],
    [{ reward: 'format', surrogate: 'noclip' }, 'box_only_format'],
    [{ reward: 'python', estimator: 'leave-one-out' }, 'contain_python_wo_backticks'],
  ] as [Partial<RealGrpoConfig>, string][])("ttrl %j: the paper's train_ppo_naive accepts the command (--verify_task %s)", (over, task) => {
    const p = plan(over, 'ttrl');
    expect(refused(p.argv, 3, TTRL)).toEqual([]);
    expect(p.argv[p.argv.indexOf('--verify_task') + 1]).toBe(task);
    expect(p.argv[p.argv.indexOf('--ckpt_path') + 1]).toBe(path.join(tmp, 'out', 'ckpt'));
    expect(p.files.find((f) => f.path.endsWith('launch.sh'))!.content).toContain(`checkout ${TTRL_PIN.commit}`);
  });

  test('the check itself refuses what argparse would', () => {
    expect(refused(['p', '-m', 'x', '--lr_schedular', 'constant'], 3, OPENRLHF)).toEqual(['--lr_schedular unknown to openrlhf-v0.9.1.post1.tsv']);
    expect(refused(['p', '-m', 'x', '--bf16', 'yes', '--adam_betas', '0.9', '--seed', '1.5'], 3, OPENRLHF)).toEqual(['--bf16 takes no value, got 1', '--adam_betas takes 2 value(s), got 1', '--seed 1.5: not an int']);
    expect(refused(['p', '-m', 'x', '--advantage_estimator', 'grpo'], 3, OPENRLHF)[0]).toMatch(/^--advantage_estimator grpo: not one of gae, reinforce/);
    expect(refused(['p', '-m', 'x', '--verify_task', 'random1.5'], 3, TTRL)[0]).toMatch(/^--verify_task random1\.5: not one of/);
    expect(refused(['p', '-m', 'x', '--bf16'], 3, OPENRLHF_DOTTED)).toEqual([`--bf16 unknown to openrlhf-${OPENRLHF_DOTTED_TAG}.tsv`]);
  });
});

describe('the data written are exactly the rows our run visits', () => {
  /**
   * The run's visiting rule restated (src/rl/grpo.ts, promptOrder 'permutation'): step s takes
   * permutation[(s·P + j) mod n], j < P. trainer-export.slow.test.ts checks against a real run.
   */
  function visitedByRun(cfg: RealGrpoConfig, n: number): number[] {
    const permutation = new Rng(cfg.seed * 7919 + 17).shuffle(Array.from({ length: n }, (_, i) => i));
    const P = derived(cfg).prompts;
    const out: number[] = [];
    for (let step = 0; step < cfg.steps; step++) for (let j = 0; j < P; j++) out.push(permutation[(step * P + j) % n]);
    return out;
  }

  const small = makeProblems(1000);
  const rowsOf = (p: ExportPlan, file: string): number[] => {
    const content = p.files.find((f) => f.path.endsWith(file))!.content;
    const rows: Record<string, unknown>[] = file.endsWith('.jsonl') ? content.trim().split('\n').map((l) => JSON.parse(l)) : JSON.parse(content);
    return rows.map((r) => {
      const text = JSON.stringify(r);
      return Number(/Compute (\d+) \+ 1\./.exec(text)![1]);
    });
  };

  test.each([
    [{ steps: 5, prompts: 8, groupSize: 4, miniBatch: 16, seed: 3 }, 40],
    [{ steps: 5, prompts: 8, groupSize: 4, miniBatch: 16, seed: 4, template: 'none' }, 40],
    [{ steps: 5, prompts: 8, groupSize: 4, miniBatch: 16, seed: 3, batching: 'rollout=minibatch' }, 20], // P = 16 / 4
  ] as [Partial<RealGrpoConfig>, number][])('%j: %d rows, the set the run visits, for both engines', (over, count) => {
    const cfg = config(over);
    const expected = visitedByRun(cfg, small.length);
    for (const [engine, file] of [['openrlhf', 'prompts.jsonl'], ['ttrl', 'data/train.json']] as const) {
      const p = exportPlan(cfg, small, { engine, outDir: path.join(tmp, `subset-${engine}`), gpus: 8 });
      const written = rowsOf(p, file);
      expect(written).toHaveLength(count);
      expect(new Set(written).size).toBe(count); // no row twice: a single pass over the permutation
      expect([...written].sort((a, b) => a - b)).toEqual([...new Set(expected)].sort((a, b) => a - b));
      const maxSamples = p.argv[p.argv.indexOf('--max_samples') + 1];
      expect(Number(maxSamples)).toBe(count);
    }
    expect(visitedProblems(cfg, small).map((p) => p.line - 1)).toEqual(expected); // in the run's own order
  });

  test('another seed visits other rows; a reshuffled run or too little data cannot be exported', () => {
    const a = visitedProblems(config({ steps: 5, prompts: 8, seed: 1, groupSize: 4, miniBatch: 16 }), small).map((p) => p.line);
    const b = visitedProblems(config({ steps: 5, prompts: 8, seed: 2, groupSize: 4, miniBatch: 16 }), small).map((p) => p.line);
    expect(a).not.toEqual(b);
    expect(() => visitedProblems(config({ promptOrder: 'reshuffle' }), small)).toThrow(/^field 'promptOrder' is 'reshuffle'/);
    expect(() => visitedProblems(config(), small)).toThrow(`${dataFile}: 1000 problems, fewer than steps × prompts = 150 × 64`);
  });
});

function hasPython3(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Without python3 nothing here runs: a failing test in CI, a printed skip elsewhere.
describeWithTool('python3', hasPython3(), 'apt-get install python3; see .ci/apt-packages.txt')('the exported Python runs', () => {
  // A stand-in `torch` (tensor → list) so the reward file runs on any python3.
  const stub = path.join(tmp, 'pystub');
  fs.mkdirSync(stub, { recursive: true });
  fs.writeFileSync(path.join(stub, 'torch.py'), 'float = "float"\n\ndef tensor(xs, dtype=None):\n    return list(xs)\n');
  const load = 'import importlib.util, json, os, sys\ns = importlib.util.spec_from_file_location("reward_func", sys.argv[1]); m = importlib.util.module_from_spec(s); s.loader.exec_module(m)\n';

  test('random rewards: each process its own Bernoulli(γ) stream, logged once; a forked child draws anew', () => {
    const gamma = 0.3;
    const file = path.join(stub, 'reward_random.py');
    fs.writeFileSync(file, rewardFunctionPython({ reward: 'random', gamma, seed: 1 }));
    // 400 identical responses in two calls: a reward keyed on the response would repeat itself
    const script = `${load}r = m.reward_func(["Px"] * 200, ["P"] * 200, ["4"] * 200)["rewards"] + m.reward_func(["Px"] * 200, ["P"] * 200, ["4"] * 200)["rewards"]
print(json.dumps(r))`;
    const runs = [0, 1].map(() => spawnSync('python3', ['-c', script, file], { env: { ...process.env, PYTHONPATH: stub }, encoding: 'utf8' }));
    const streams = runs.map((r) => {
      expect(r.status).toBe(0);
      return JSON.parse(r.stdout) as number[];
    });
    expect(streams[0]).not.toEqual(streams[1]);
    const sd = Math.sqrt((gamma * (1 - gamma)) / 400);
    for (const s of streams) {
      expect(s).toHaveLength(400);
      expect(s.every((x) => x === 0 || x === 1)).toBe(true);
      const mean = s.reduce((a, b) => a + b, 0) / s.length;
      expect(Math.abs(mean - gamma)).toBeLessThan(4 * sd); // binomial 4-sd band
    }
    const logs = runs.map((r) => r.stderr.split('\n').filter((l) => l.startsWith('reward_func: random rewards of pid ')));
    for (const l of logs) expect(l).toHaveLength(1);
    expect(logs[0][0]).toMatch(/seeded by SEED=1, the pid and os\.urandom [0-9a-f]{32}$/);
    expect(logs[0][0]).not.toBe(logs[1][0]);

    const fork = `${load}before = m.reward_func(["Px"] * 50, ["P"] * 50, ["4"] * 50)["rewards"]
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.write(w, json.dumps(m.reward_func(["Px"] * 200, ["P"] * 200, ["4"] * 200)["rewards"]).encode()); os._exit(0)
os.close(w); os.waitpid(pid, 0)
child = json.loads(os.read(r, 1 << 20).decode())
print(json.dumps([child, m.reward_func(["Px"] * 200, ["P"] * 200, ["4"] * 200)["rewards"]]))`;
    const forked = spawnSync('python3', ['-c', fork, file], { env: { ...process.env, PYTHONPATH: stub }, encoding: 'utf8' });
    expect(forked.status).toBe(0);
    const [child, parent] = JSON.parse(forked.stdout) as number[][];
    expect(child).not.toEqual(parent);
    expect(forked.stderr.split('\n').filter((l) => l.startsWith('reward_func: random rewards of pid '))).toHaveLength(2);
  });

  test("the prompt's own \\boxed{} is not scored when the decoded query does not start with the prompt", () => {
    const file = path.join(stub, 'reward_format.py');
    fs.writeFileSync(file, rewardFunctionPython({ reward: 'format', gamma: null, seed: 1 }));
    const prompt = '<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n';
    const queries = [prompt + 'no box', `x${prompt.slice(40)}no box`, `x${prompt.slice(40)}so \\boxed{4}`];
    const script = `${load}print(json.dumps(m.reward_func(json.loads(sys.argv[2]), [json.loads(sys.argv[3])] * 3, ["4"] * 3)["rewards"]))`;
    const out = execFileSync('python3', ['-c', script, file, JSON.stringify(queries), JSON.stringify(prompt)], { env: { ...process.env, PYTHONPATH: stub } }).toString();
    expect(JSON.parse(out)).toEqual([0, 0, 1]);
  });

  /** A folder on PYTHONPATH with a stand-in trainer module that prints its arguments, and (optionally) package metadata. */
  function standIn(dir: string, module: string, version?: string): string {
    const site = path.join(tmp, dir);
    const parts = module.split('.');
    fs.mkdirSync(path.join(site, ...parts.slice(0, -1)), { recursive: true });
    fs.writeFileSync(path.join(site, ...parts) + '.py', 'import json, sys\nprint(json.dumps(sys.argv[1:]))\n');
    if (version) {
      fs.mkdirSync(path.join(site, `${parts[0]}-${version}.dist-info`), { recursive: true });
      fs.writeFileSync(path.join(site, `${parts[0]}-${version}.dist-info`, 'METADATA'), `Metadata-Version: 2.1\nName: ${parts[0]}\nVersion: ${version}\n`);
    }
    return site;
  }

  function writeFiles(p: ExportPlan): string {
    for (const f of p.files) {
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      fs.writeFileSync(f.path, f.content);
    }
    return p.files.find((f) => f.path.endsWith('launch.sh'))!.path;
  }

  test('openrlhf launch.sh runs the printed command on the pinned version and refuses another', () => {
    const p = plan({}, 'openrlhf', 'launch-openrlhf');
    const launch = writeFiles(p);
    const pinned = spawnSync('bash', [launch], { env: { ...process.env, PYTHONPATH: standIn('site-pinned', 'openrlhf.cli.train_ppo_ray', OPENRLHF_PIN.version) }, encoding: 'utf8' });
    expect(pinned.stderr).toBe('');
    expect(pinned.status).toBe(0);
    expect(JSON.parse(pinned.stdout)).toEqual(p.argv.slice(3));
    const newer = spawnSync('bash', [launch], { env: { ...process.env, PYTHONPATH: standIn('site-newer', 'openrlhf.cli.train_ppo_ray', '0.11.0') }, encoding: 'utf8' });
    expect(newer.status).not.toBe(0);
    expect(newer.stderr).toContain(`openrlhf 0.11.0 is installed; this launch was checked against ${OPENRLHF_PIN.version}: pip install 'openrlhf[vllm]==${OPENRLHF_PIN.version}'`);
    expect(newer.stdout).toBe('');
  });

  test('ttrl launch.sh runs the printed command and warns on a TTRL of unknown commit', () => {
    const p = plan({ reward: 'random', gamma: 0.5 }, 'ttrl', 'launch-ttrl');
    const launch = writeFiles(p);
    // the paper's script calls `python`, which a Debian python3 install may lack
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    const python3 = execFileSync('python3', ['-c', 'import sys; print(sys.executable)']).toString().trim();
    if (!fs.existsSync(path.join(bin, 'python'))) fs.symlinkSync(python3, path.join(bin, 'python'));
    const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    const r = spawnSync('bash', [launch], { env: { ...env, PYTHONPATH: standIn('site-ttrl', 'ttrl.cli.train_ppo_naive') }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(p.argv.slice(3));
    expect(r.stderr).toMatch(/^warning: ttrl at .*train_ppo_naive\.py is commit unknown, not 33b9f85, the one this launch was checked against\n$/);
    const missing = spawnSync('bash', [launch], { env: { ...env, PYTHONPATH: path.join(tmp, 'empty') }, encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('ttrl is not installed: see the install lines at the top of');
  });
});
