/**
 * GRPO on a real checkpoint, built from the project's own pieces: rewards from makeReward (answers
 * graded by the MATH grader), group-normalised advantages (src/rl/advantage.ts), the clipped
 * surrogate (src/model/surrogate.ts), AdamW, global-norm clipping and the seeded RNG. Per step:
 *
 *   1. P prompts (the next P of a seeded permutation of the data), G rollouts each with `generate`;
 *   2. a reward per rollout, Â = (r − mean_group) / std_group (0 for a group of equal rewards);
 *   3. π_old recomputed by the training forward pass (no gradient), so ρ = 1 exactly at the first
 *      update whatever the sampler's float rounding (as OpenRLHF does);
 *   4. the rollouts shuffled into mini-batches; per mini-batch the surrogate's gradient is
 *      accumulated over micro-batches, clipped to a global norm, and applied by AdamW.
 *
 * The run folder (results/real/<run-id>/) has the stand-in runs' layout: config.json (the run's
 * identity), log.jsonl (one row per step, appended), samples.jsonl, summary.json (atomic, at the
 * end). With checkpointEvery > 0 it also keeps a resume state, and an interrupted run continues
 * from it and rewrites the log from there; without one it starts over.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { isCodeReasoning } from '../analysis/codeReasoning';
import { MATH_ANSWER_GRADER } from '../contamination/accuracy';
import { AdamW } from '../engine/adamw';
import { writeFileAtomic } from '../engine/atomic';
import { clipByGlobalNorm } from '../engine/clip';
import { appendJsonl, jsonlText, readJsonl } from '../engine/jsonl';
import { projectPath } from '../engine/paths';
import { Progress } from '../engine/progress';
import { Rng } from '../engine/rng';
import { SurrogateDiagnosticTensors, grpoSurrogate, readSurrogateDiagnostics } from '../model/surrogate';
import { groupedAdvantages, zeroStdGroupFraction } from '../rl/advantage';
import { rowsToCompute } from '../rl/grpo';
import { makeReward } from '../rl/rewards';
import { isBoxed } from '../world/grade';
import { TrainProblem, loadTrainingData } from './data';
import { evaluateReal, gradeMathResponse, responseText } from './eval';
import { generate } from './generate';
import { RealModel } from './model';
import { promptIds } from './prompts';
import { hasResumeState, loadResumeState, saveResumeState } from './resume';
import { RealGrpoConfig, realRunId, updatesPerStep, validateRealConfig } from './runConfig';
import { RealTokenizer } from './tokenizer';

export const REAL_RESULTS_DIR = projectPath('results', 'real');

/** A greedy evaluation logged on a step row. Rates are fractions. */
export interface RealEvalLog {
  bench: string;
  problems: number;
  acc: number;
  parse_rate: number;
  boxed: number;
  code: number;
  length: number;
}

/** One line of log.jsonl. Field names follow the stand-in runs' StepLog where they mean the same. */
export interface RealStepLog {
  step: number;
  reward_mean: number | null;
  zero_std_groups: number | null;
  /** Rollouts whose answer the MATH grader accepts (whatever the reward). */
  rollout_acc: number | null;
  rollout_code: number | null;
  rollout_boxed: number | null;
  /** Mean generated tokens per rollout. */
  response_length: number | null;
  /** Rollouts cut at maxNewTokens. */
  truncated: number | null;
  /** Token fractions (of the tokens the updates computed) clipped above 1 + ε with Â > 0 / below 1 − ε with Â < 0. */
  clip_high: number | null;
  clip_low: number | null;
  abs_ratio_dev: number | null;
  /** Mean |log π_sampler − log π_forward| of the rollout tokens: how far KV-cache decoding and the training forward disagree. */
  logprob_gap: number | null;
  loss: number | null;
  grad_norm: number | null;
  updates: number;
  sample_s: number;
  train_s: number;
  eval?: RealEvalLog;
}

export interface RealRunSummary {
  run_id: string;
  model: string;
  template: string;
  reward: string;
  gamma: number | null;
  seed: number;
  steps: number;
  reward_first: number | null;
  reward_last: number | null;
  acc_start: number | null;
  acc_end: number | null;
}

export interface RealRunOptions {
  /** Default results/real/<run-id>. */
  runDir?: string;
  /** Ids that end a response. */
  stopIds: number[];
  log?: (line: string) => void;
  quiet?: boolean;
  progressStream?: NodeJS.WriteStream;
  /** Stop after this step (the run stays resumable); for tests of resumption. */
  stopAt?: number;
}

// ---------------------------------------------------------------------------------------------
// Identity, files
// ---------------------------------------------------------------------------------------------

function sha1(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

/** The starting checkpoint's identity without reading gigabytes: config.json's digest and each weight file's size. */
export function checkpointFingerprint(dir: string): { config_sha1: string; weight_files: Record<string, number> } {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.safetensors')).sort();
  return { config_sha1: sha1(fs.readFileSync(path.join(dir, 'config.json'))), weight_files: Object.fromEntries(files.map((f) => [f, fs.statSync(path.join(dir, f)).size])) };
}

/** config.json's text: the config, derived sizes and the inputs' fingerprints. A run resumes only into identical text. */
export function realRunConfigText(cfg: RealGrpoConfig): string {
  return JSON.stringify({
    ...cfg,
    run_id: realRunId(cfg),
    derived: { rollouts_per_step: cfg.prompts * cfg.rollouts, updates_per_step: updatesPerStep(cfg) },
    start_checkpoint: checkpointFingerprint(cfg.model),
    data_sha1: sha1(fs.readFileSync(cfg.data)),
  }, null, 1) + '\n';
}

export function realRunFiles(runDir: string) {
  const at = (f: string) => path.join(runDir, f);
  return { config: at('config.json'), log: at('log.jsonl'), samples: at('samples.jsonl'), summary: at('summary.json'), checkpoint: at('checkpoint'), lock: at('.lock') };
}

export function summarizeRealLog(cfg: RealGrpoConfig, log: readonly RealStepLog[]): RealRunSummary {
  const evals = log.filter((r) => r.eval);
  const trained = log.filter((r) => r.step > 0 && r.reward_mean !== null);
  return {
    run_id: realRunId(cfg), model: cfg.model, template: cfg.template, reward: cfg.reward, gamma: cfg.gamma, seed: cfg.seed,
    steps: log.length ? Math.max(...log.map((r) => r.step)) : 0,
    reward_first: trained[0]?.reward_mean ?? null, reward_last: trained[trained.length - 1]?.reward_mean ?? null,
    acc_start: evals[0]?.eval?.acc ?? null, acc_end: evals.length > 1 ? evals[evals.length - 1].eval!.acc : null,
  };
}

function withLock<T>(file: string, body: () => Promise<T>): Promise<T> {
  const take = () => { try { fs.writeFileSync(file, String(process.pid), { flag: 'wx' }); return true; } catch { return false; } };
  if (!take()) {
    const holder = Number(fs.readFileSync(file, 'utf8'));
    let alive = false;
    try { process.kill(holder, 0); alive = holder !== process.pid; } catch (e) { alive = (e as NodeJS.ErrnoException).code === 'EPERM'; }
    if (alive) throw new Error(`${path.dirname(file)}: being run by process ${holder}`);
    fs.rmSync(file, { force: true });
    if (!take()) throw new Error(`${path.dirname(file)}: being run by another process`);
  }
  return body().finally(() => fs.rmSync(file, { force: true }));
}

// ---------------------------------------------------------------------------------------------
// The loop
// ---------------------------------------------------------------------------------------------

interface Rollout {
  problem: TrainProblem;
  group: number;
  promptIds: number[];
  /** Generated ids including a final stop token. */
  tokens: number[];
  /** Sampler log-probs of `tokens`. */
  sampledLogProbs: number[];
  /** π_old of `tokens` from the training forward pass. */
  oldLogProbs: number[];
  response: string;
  truncated: boolean;
}

/** Runs (or resumes) a GRPO run of `model` in place. The caller owns `model` (this trains it). */
export async function runRealGrpo(raw: Partial<RealGrpoConfig>, model: RealModel, tokenizer: RealTokenizer, opts: RealRunOptions): Promise<RealRunSummary> {
  const cfg = validateRealConfig(raw);
  const runDir = opts.runDir ?? path.join(REAL_RESULTS_DIR, realRunId(cfg));
  fs.mkdirSync(runDir, { recursive: true });
  return withLock(realRunFiles(runDir).lock, () => runUnlocked(cfg, model, tokenizer, runDir, opts));
}

async function runUnlocked(cfg: RealGrpoConfig, model: RealModel, tokenizer: RealTokenizer, runDir: string, opts: RealRunOptions): Promise<RealRunSummary> {
  const log = opts.log ?? (() => {});
  const files = realRunFiles(runDir);
  const problems = loadTrainingData(cfg.data, cfg.inputKey, cfg.labelKey);
  const cfgText = realRunConfigText(cfg);
  const sameConfig = fs.existsSync(files.config) && fs.readFileSync(files.config, 'utf8') === cfgText;
  if (fs.existsSync(files.summary)) {
    if (sameConfig) return JSON.parse(fs.readFileSync(files.summary, 'utf8')) as RealRunSummary;
    throw new Error(`${runDir}: holds a finished run with a different config, data or checkpoint; move it away to re-run`);
  }
  if (hasResumeState(files.checkpoint) && !sameConfig) throw new Error(`${files.checkpoint}: resume state of a different config, data or checkpoint; delete ${runDir} to start over`);
  if (!sameConfig) {
    fs.rmSync(files.log, { force: true });
    fs.rmSync(files.samples, { force: true });
  }
  writeFileAtomic(files.config, cfgText);

  const reward = makeReward(cfg.reward, { gamma: cfg.gamma, grader: MATH_ANSWER_GRADER });
  const names = Object.keys(model.params);
  const opt = new AdamW(model.params, { beta1: cfg.adamBeta1, beta2: cfg.adamBeta2, eps: 1e-8, weightDecay: cfg.weightDecay });
  const rng = new Rng(cfg.seed);
  let step = 0;
  try {
    if (hasResumeState(files.checkpoint)) {
      const s = loadResumeState(files.checkpoint, model.params, opt);
      step = s.step;
      rng.setState(s.rngState);
      log(`resuming ${realRunId(cfg)} at step ${step}`);
    }
    // Rows after the resume point (or all training rows, on a fresh start) are written again.
    const rows = readJsonl<RealStepLog>(files.log).filter((r) => r.step <= step);
    writeFileAtomic(files.log, jsonlText(rows));
    if (fs.existsSync(files.samples)) writeFileAtomic(files.samples, jsonlText(readJsonl<{ step: number }>(files.samples).filter((r) => r.step <= step)));

    const order = new Rng(cfg.seed * 7919 + 17).shuffle(problems.map((_, i) => i)); // the data's order, fixed by the seed
    const evaluate = async (): Promise<RealEvalLog> => {
      const r = await evaluateReal(model, tokenizer, { bench: cfg.evalBench, template: cfg.template, limit: cfg.evalLimit || undefined, maxNewTokens: cfg.evalMaxNewTokens, stopIds: opts.stopIds, progress: false });
      return { bench: cfg.evalBench, problems: r.problems, acc: r.accuracy, parse_rate: r.parseRate, boxed: r.boxedRate, code: r.codeRate, length: r.meanResponseTokens };
    };
    if (cfg.evalEvery > 0 && step === 0 && !rows.some((r) => r.step === 0)) {
      const row: RealStepLog = { ...EMPTY_ROW, step: 0, eval: await evaluate() };
      rows.push(row);
      appendJsonl(files.log, row);
      log(`step 0: ${cfg.evalBench} accuracy ${row.eval!.acc.toFixed(3)} on ${row.eval!.problems} problems`);
    }
    const bar = opts.quiet ? null : new Progress({ label: realRunId(cfg), total: cfg.steps, start: step, stream: opts.progressStream, everySeconds: 30 });
    const stopAt = Math.min(cfg.steps, opts.stopAt ?? cfg.steps);
    while (step < stopAt) {
      const t0 = Date.now();
      const chosen = Array.from({ length: cfg.prompts }, (_, j) => problems[order[(step * cfg.prompts + j) % problems.length]]);
      const rollouts = await sampleRollouts(cfg, model, tokenizer, chosen, rng.fork(), opts.stopIds); //   1.
      const rewardRng = rng.fork();
      const rewards = rollouts.map((r) => reward.fn({ prompt: r.problem.question, response: r.response, label: r.problem.answer, rng: rewardRng })); // 2.
      const adv = groupedAdvantages(rewards, cfg.rollouts);
      recomputeOldLogProbs(model, cfg, rollouts); //                                                        3.
      const sampleS = (Date.now() - t0) / 1000;
      const t1 = Date.now();
      const upd = await policyUpdate(cfg, model, names, opt, rng, rollouts, adv); //                        4.
      step++;
      const row: RealStepLog = { step, ...stepRow(rollouts, rewards, upd, cfg.rollouts), sample_s: sampleS, train_s: (Date.now() - t1) / 1000 };
      if (cfg.evalEvery > 0 && (step % cfg.evalEvery === 0 || step === cfg.steps)) row.eval = await evaluate();
      appendJsonl(files.log, row);
      rows.push(row);
      if (step === 1 || step === Math.ceil(cfg.steps / 2) || step === cfg.steps) {
        for (const j of [0, 1, cfg.rollouts, cfg.rollouts + 1].filter((k) => k < rollouts.length)) {
          appendJsonl(files.samples, { step, line: rollouts[j].problem.line, response: rollouts[j].response, reward: rewards[j], advantage: +adv[j].toFixed(4) });
        }
      }
      if (cfg.checkpointEvery > 0 && (step % cfg.checkpointEvery === 0 || step === stopAt) && step < cfg.steps) {
        await saveResumeState(files.checkpoint, model.params, opt, { step, rngState: rng.getState() });
      }
      bar?.update(step, `reward ${row.reward_mean?.toFixed(3)} acc ${row.rollout_acc?.toFixed(3)} clip ${((row.clip_high ?? 0) + (row.clip_low ?? 0)).toFixed(4)}${row.eval ? ` eval ${row.eval.acc.toFixed(3)}` : ''}`);
    }
    const summary = summarizeRealLog(cfg, rows);
    if (step >= cfg.steps) {
      writeFileAtomic(files.summary, JSON.stringify(summary, null, 1) + '\n');
      fs.rmSync(files.checkpoint, { recursive: true, force: true });
    }
    return summary;
  } finally {
    opt.dispose();
  }
}

const EMPTY_ROW: RealStepLog = { step: 0, reward_mean: null, zero_std_groups: null, rollout_acc: null, rollout_code: null, rollout_boxed: null, response_length: null, truncated: null, clip_high: null, clip_low: null, abs_ratio_dev: null, logprob_gap: null, loss: null, grad_norm: null, updates: 0, sample_s: 0, train_s: 0 };

/** Step 1: G rollouts of each chosen problem, in group order (the g-th group answers the g-th problem). */
async function sampleRollouts(cfg: RealGrpoConfig, model: RealModel, tokenizer: RealTokenizer, chosen: readonly TrainProblem[], rng: Rng, stopIds: number[]): Promise<Rollout[]> {
  const out: Rollout[] = [];
  for (const [group, problem] of chosen.entries()) {
    const ids = promptIds(cfg.template, problem.question, tokenizer);
    const gen = await generate(model, ids, cfg.rollouts, { maxNewTokens: cfg.maxNewTokens, temperature: cfg.temperature, eosIds: stopIds, rng: () => rng.next() });
    gen.tokens.forEach((tokens, i) => {
      const { text, stopped } = responseText(tokenizer, tokens, stopIds);
      out.push({ problem, group, promptIds: ids, tokens, sampledLogProbs: gen.logProbs[i], oldLogProbs: [], response: text, truncated: !stopped && tokens.length >= cfg.maxNewTokens });
    });
  }
  return out;
}

/** Rows of prompt + response ids right-padded to one length (positions after a row's end are masked out). */
function batchOf(rows: readonly Rollout[]): { ids: tf.Tensor2D; T: number } {
  const T = Math.max(...rows.map((r) => r.promptIds.length + r.tokens.length));
  const flat = new Int32Array(rows.length * T);
  rows.forEach((r, b) => {
    flat.set(r.promptIds, b * T);
    flat.set(r.tokens, b * T + r.promptIds.length);
  });
  return { ids: tf.tensor2d(flat, [rows.length, T], 'int32'), T };
}

/** Step 3: π_old of every rollout token from the training forward pass, micro-batch by micro-batch. */
function recomputeOldLogProbs(model: RealModel, cfg: RealGrpoConfig, rollouts: Rollout[]): void {
  for (let s = 0; s < rollouts.length; s += cfg.microBatch) {
    const part = rollouts.slice(s, s + cfg.microBatch).filter((r) => r.tokens.length > 0);
    if (part.length === 0) continue;
    const { ids, T } = batchOf(part);
    const lp = tf.tidy(() => model.sequenceLogProbs(ids, cfg.temperature));
    const host = lp.dataSync() as Float32Array;
    tf.dispose([ids, lp]);
    part.forEach((r, b) => {
      const first = b * (T - 1) + r.promptIds.length - 1; // log-prob of the first response token
      r.oldLogProbs = Array.from(host.subarray(first, first + r.tokens.length));
    });
  }
}

interface UpdateStats { updates: number; loss: number; gradNorm: number; clipHigh: number; clipLow: number; absDev: number; tokens: number }

/** Step 4: clipped-surrogate AdamW updates over shuffled mini-batches, gradients accumulated over micro-batches. */
async function policyUpdate(cfg: RealGrpoConfig, model: RealModel, names: readonly string[], opt: AdamW, rng: Rng, rollouts: readonly Rollout[], adv: Float32Array): Promise<UpdateStats> {
  const acc: UpdateStats = { updates: 0, loss: 0, gradNorm: 0, clipHigh: 0, clipLow: 0, absDev: 0, tokens: 0 };
  const vars = names.map((n) => model.params[n]);
  const order = rng.shuffle(rollouts.map((_, i) => i));
  for (let m = 0; m < order.length; m += cfg.miniBatch) {
    const idx = order.slice(m, m + cfg.miniBatch);
    // Rows with Â = 0 have no gradient (there is no KL term); they still count in the mean.
    const live = rowsToCompute(idx, adv, 0).filter((i) => rollouts[i].tokens.length > 0);
    if (live.length === 0) continue;
    let sum: tf.Tensor[] | null = null;
    let loss = 0;
    for (let s = 0; s < live.length; s += cfg.microBatch) {
      const part = live.slice(s, s + cfg.microBatch).map((i) => rollouts[i]);
      const a = live.slice(s, s + cfg.microBatch).map((i) => adv[i]);
      const { ids, T } = batchOf(part);
      const old = new Float32Array(part.length * (T - 1));
      const mask = new Float32Array(part.length * (T - 1));
      part.forEach((r, b) => {
        const first = b * (T - 1) + r.promptIds.length - 1;
        old.set(r.oldLogProbs, first);
        mask.fill(1, first, first + r.tokens.length);
      });
      const oldT = tf.tensor2d(old, [part.length, T - 1]);
      const maskT = tf.tensor2d(mask, [part.length, T - 1]);
      const advT = tf.tensor1d(a);
      // Assigned inside the closure; the cast stops TS narrowing it to `null` across it.
      let diag = null as SurrogateDiagnosticTensors | null;
      // The surrogate averages over this micro-batch's rows; × rows / mini-batch size makes the
      // accumulated gradient that of the mean over the whole mini-batch.
      const scale = part.length / idx.length;
      const { value, grads } = tf.variableGrads(() => {
        const newLp = model.sequenceLogProbs(ids, cfg.temperature);
        const out = grpoSurrogate({ newLogProbs: newLp, oldLogProbs: oldT, advantages: advT, mask: maskT, epsLow: cfg.eps, epsHigh: cfg.eps, clipMode: cfg.clipMode });
        diag = out.diagnostics;
        return tf.mul(out.loss, scale) as tf.Scalar;
      }, vars);
      const g = vars.map((v) => grads[v.name]);
      if (sum === null) sum = g;
      else {
        const next: tf.Tensor[] = sum.map((t, i) => tf.add(t, g[i]));
        tf.dispose([...sum, ...g]);
        sum = next;
      }
      loss += (await value.data())[0];
      const d = await readSurrogateDiagnostics(diag!);
      const tokens = part.reduce((n, r) => n + r.tokens.length, 0);
      acc.clipHigh += d.clipFracHigh * tokens; acc.clipLow += d.clipFracLow * tokens; acc.absDev += d.meanAbsRatioDev * tokens; acc.tokens += tokens;
      tf.dispose([value, ids, oldT, maskT, advT]);
    }
    const named: Record<string, tf.Tensor> = Object.fromEntries(names.map((n, i) => [n, sum![i]]));
    const { grads: clipped, norm } = clipByGlobalNorm(named, cfg.maxGradNorm);
    opt.apply(clipped, cfg.lr);
    acc.gradNorm += (await norm.data())[0];
    tf.dispose([...Object.values(clipped), norm, ...sum!]);
    acc.updates++;
    acc.loss += loss;
  }
  return acc;
}

function mean(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

/** The step's log row (timings and evaluation are added by the loop). */
function stepRow(rollouts: readonly Rollout[], rewards: readonly number[], u: UpdateStats, groupSize: number): Omit<RealStepLog, 'step' | 'sample_s' | 'train_s'> {
  const gaps = rollouts.flatMap((r) => r.oldLogProbs.map((lp, t) => Math.abs(lp - r.sampledLogProbs[t])));
  return {
    reward_mean: mean(rewards),
    zero_std_groups: zeroStdGroupFraction(rewards, groupSize),
    rollout_acc: mean(rollouts.map((r) => (gradeMathResponse(r.response, r.problem.answer).correct ? 1 : 0))),
    rollout_code: mean(rollouts.map((r) => (isCodeReasoning(r.response) ? 1 : 0))),
    rollout_boxed: mean(rollouts.map((r) => (isBoxed(r.response) ? 1 : 0))),
    response_length: mean(rollouts.map((r) => r.tokens.length)),
    truncated: mean(rollouts.map((r) => (r.truncated ? 1 : 0))),
    clip_high: u.tokens ? u.clipHigh / u.tokens : null,
    clip_low: u.tokens ? u.clipLow / u.tokens : null,
    abs_ratio_dev: u.tokens ? u.absDev / u.tokens : null,
    logprob_gap: mean(gaps),
    loss: u.updates ? u.loss / u.updates : null,
    grad_norm: u.updates ? u.gradNorm / u.updates : null,
    updates: u.updates,
  };
}
