/**
 * A real checkpoint (Qwen2 / Llama / OLMo 2 safetensors) as a GRPO policy, and `runRealGrpo`,
 * which opens a run folder (results/real/<run-id>/) and hands the policy and the training data to
 * the one loop (src/rl/grpo.ts) — the loop and run protocol the stand-in runs use, so every
 * ablation (surrogate, estimator, batching, loss normalisation) runs here too.
 *
 * What differs from the stand-in lives here: generation with the checkpoint's tokenizer and stop
 * ids, π_old recomputed by the training forward pass (so ρ = 1 exactly at the first update, as
 * OpenRLHF does), gradients accumulated over micro-batches (memory only, not the maths), answers
 * graded by the MATH grader, and no π_ref copy (it would double the memory).
 */
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import * as tf from '@tensorflow/tfjs';
import { isCodeReasoning } from '../analysis/codeReasoning';
import { MATH_ANSWER_GRADER } from '../contamination/accuracy';
import { AdamW } from '../engine/adamw';
import { clipByGlobalNorm } from '../engine/clip';
import { projectPath } from '../engine/paths';
import { SurrogateDiagnosticTensors, grpoSurrogate, readSurrogateDiagnostics } from '../model/surrogate';
import { grpoLoop } from '../rl/grpo';
import type { StepLog } from '../rl/log';
import type { GrpoTask, Policy, ResumeMeta, SampleOptions, SampledResponse, UpdateBatch, UpdateResult, UpdateRow, UpdateStep } from '../rl/policy';
import { RunIdentity, canonicalJson, openRunFolder, runFiles, withRunLock } from '../rl/protocol';
import { REAL_CODE_ENTRIES } from '../rl/provenance';
import { makeReward } from '../rl/rewards';
import { armName, derived } from '../rl/settings';
import { isBoxed } from '../world/grade';
import { TrainProblem, loadTrainingData } from './data';
import { evaluateReal, gradeMathResponse, responseText } from './eval';
import { generate } from './generate';
import { RealModel } from './model';
import { promptIds } from './prompts';
import { hasResumeState, loadResumeState, saveResumeState } from './resume';
import { RealGrpoConfig, realRunId, validateRealConfig } from './runConfig';
import { RealTokenizer } from './tokenizer';

export const REAL_RESULTS_DIR = projectPath('results', 'real');

/** A greedy evaluation logged on a step row; field names as the stand-in's EvalResult where they mean the same. Rates are fractions. */
export interface RealEvalLog {
  bench: string;
  n: number;
  acc: number;
  parsed: number;
  boxed: number;
  code: number;
  length: number;
}

export type RealStepLog = StepLog<RealEvalLog>;

export interface RealRunSummary {
  run_id: string;
  model: string;
  template: string;
  reward: string;
  gamma: number | null;
  /** The arm's one-word name (settings.ts `armName`). */
  clip_mode: string;
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

function sha1(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

/** The starting checkpoint's identity without reading gigabytes: config.json's digest and each weight file's size. */
export function checkpointFingerprint(dir: string): { config_sha1: string; weight_files: Record<string, number> } {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.safetensors')).sort();
  return { config_sha1: sha1(fs.readFileSync(path.join(dir, 'config.json'))), weight_files: Object.fromEntries(files.map((f) => [f, fs.statSync(path.join(dir, f)).size])) };
}

/** config.json's text: the config, derived sizes and the inputs' fingerprints. */
export function realRunConfigText(cfg: RealGrpoConfig): string {
  return JSON.stringify({ ...cfg, run_id: realRunId(cfg), derived: derived(cfg), start_checkpoint: checkpointFingerprint(cfg.model), data_sha1: sha1(fs.readFileSync(cfg.data)) }, null, 1) + '\n';
}

/** A run resumes only into the same config, checkpoint and data (compared canonically: field order does not matter). */
export function realIdentity(cfg: RealGrpoConfig): RunIdentity {
  const text = realRunConfigText(cfg);
  const want = canonicalJson(JSON.parse(text));
  return { text, matches: (existing) => { try { return canonicalJson(JSON.parse(existing)) === want; } catch { return false; } } };
}

export function summarizeRealLog(cfg: RealGrpoConfig, log: readonly RealStepLog[]): RealRunSummary {
  const evals = log.filter((r) => r.eval);
  const trained = log.filter((r) => r.step > 0 && r.reward_mean !== null);
  return {
    run_id: realRunId(cfg), model: cfg.model, template: cfg.template, reward: cfg.reward, gamma: cfg.gamma, clip_mode: armName(cfg), seed: cfg.seed,
    steps: log.length ? Math.max(...log.map((r) => r.step)) : 0,
    reward_first: trained[0]?.reward_mean ?? null, reward_last: trained[trained.length - 1]?.reward_mean ?? null,
    acc_start: evals[0]?.eval?.acc ?? null, acc_end: evals.length > 1 ? evals[evals.length - 1].eval!.acc : null,
  };
}

/** The training data under the config's reward, graded by the MATH grader. */
export function realTask(cfg: RealGrpoConfig): GrpoTask<TrainProblem> {
  const problems = loadTrainingData(cfg.data, cfg.inputKey, cfg.labelKey);
  return {
    problems,
    labels: problems.map((p) => p.answer),
    reward: makeReward(cfg.reward, { gamma: cfg.gamma, grader: MATH_ANSWER_GRADER }),
    promptText: (p) => p.question,
    idOf: (p) => p.line,
    grade: (response, p) => ({ correct: gradeMathResponse(response, p.answer).correct, code: isCodeReasoning(response), boxed: isBoxed(response) }),
  };
}

/** Rows of prompt + response ids right-padded to one length (positions after a row's end are masked out). */
function batchOf(rows: readonly Pick<UpdateRow, 'promptTokens' | 'tokens'>[]): { ids: tf.Tensor2D; T: number } {
  const T = Math.max(...rows.map((r) => r.promptTokens.length + r.tokens.length));
  const flat = new Int32Array(rows.length * T);
  rows.forEach((r, b) => {
    flat.set(r.promptTokens, b * T);
    flat.set(r.tokens, b * T + r.promptTokens.length);
  });
  return { ids: tf.tensor2d(flat, [rows.length, T], 'int32'), T };
}

export class RealPolicy implements Policy<TrainProblem, RealEvalLog> {
  constructor(
    private readonly model: RealModel,
    private readonly tokenizer: RealTokenizer,
    private readonly cfg: RealGrpoConfig,
    private readonly stopIds: number[],
    private readonly opt: AdamW,
  ) {}

  /** Gradients are computed in-process (the GPU, where tfjs-node-gpu loads, is the parallelism). */
  readonly workers = 0;

  async sample(problems: readonly TrainProblem[], _labels: readonly (string | null)[], groupSize: number, o: SampleOptions): Promise<SampledResponse[]> {
    const out: SampledResponse[] = [];
    for (const problem of problems) {
      const ids = promptIds(this.cfg.template, problem.question, this.tokenizer);
      const gen = await generate(this.model, ids, groupSize, { maxNewTokens: o.maxNewTokens, temperature: o.temperature, eosIds: this.stopIds, rng: () => o.rng.next() });
      gen.tokens.forEach((tokens, i) => {
        const { text, stopped } = responseText(this.tokenizer, tokens, this.stopIds);
        out.push({ promptTokens: ids, tokens, logProbs: gen.logProbs[i], response: text, truncated: !stopped && tokens.length >= o.maxNewTokens });
      });
    }
    return out;
  }

  /** π_old of every response token from the training forward pass, micro-batch by micro-batch. */
  async score(rows: readonly SampledResponse[]): Promise<number[][]> {
    const out: number[][] = rows.map(() => []);
    for (let s = 0; s < rows.length; s += this.cfg.microBatch) {
      const at = Array.from({ length: Math.min(this.cfg.microBatch, rows.length - s) }, (_, k) => s + k).filter((i) => rows[i].tokens.length > 0);
      if (at.length === 0) continue;
      const part = at.map((i) => rows[i]);
      const { ids, T } = batchOf(part);
      const lp = tf.tidy(() => this.model.sequenceLogProbs(ids, this.cfg.temperature));
      const host = (await lp.data()) as Float32Array;
      tf.dispose([ids, lp]);
      part.forEach((r, b) => {
        const first = b * (T - 1) + r.promptTokens.length - 1; // log-prob of the first response token
        out[at[b]] = Array.from(host.subarray(first, first + r.tokens.length));
      });
    }
    return out;
  }

  /** Gradients accumulated over micro-batches (each weighted by its share of the normaliser), clipped to a global norm, applied by AdamW. */
  async update(batch: UpdateBatch, step: UpdateStep): Promise<UpdateResult> {
    const names = Object.keys(this.model.params);
    const vars = names.map((n) => this.model.params[n]);
    const live = batch.rows.map((_, i) => i).filter((i) => batch.rows[i].tokens.length > 0);
    const r: UpdateResult = { loss: 0, gradNorm: 0, clippedHigh: 0, clippedLow: 0, absRatioDev: 0, tokens: 0 };
    let sum: tf.Tensor[] | null = null;
    for (let s = 0; s < live.length; s += this.cfg.microBatch) {
      const at = live.slice(s, s + this.cfg.microBatch);
      const part = at.map((i) => batch.rows[i]);
      const { ids, T } = batchOf(part);
      const old = new Float32Array(part.length * (T - 1));
      const mask = new Float32Array(part.length * (T - 1));
      part.forEach((row, b) => {
        const first = b * (T - 1) + row.promptTokens.length - 1;
        old.set(row.oldLogProbs, first);
        mask.fill(1, first, first + row.tokens.length);
      });
      const oldT = tf.tensor2d(old, [part.length, T - 1]);
      const maskT = tf.tensor2d(mask, [part.length, T - 1]);
      const advT = tf.tensor1d(at.map((i) => batch.advantages[i]));
      const tokens = part.reduce((n, row) => n + row.tokens.length, 0);
      // The surrogate averages over this micro-batch; × (its rows or tokens) / normaliser makes the
      // accumulated gradient that of the mean over the whole mini-batch.
      const scale = (step.lossAggregation === 'token-mean' ? tokens : part.length) / batch.normaliser;
      // Assigned inside the closure; the cast stops TS narrowing it to `null` across it.
      let diag = null as SurrogateDiagnosticTensors | null;
      const { value, grads } = tf.variableGrads(() => {
        const newLp = this.model.sequenceLogProbs(ids, this.cfg.temperature);
        const out = grpoSurrogate({ newLogProbs: newLp, oldLogProbs: oldT, advantages: advT, mask: maskT, epsLow: step.epsilon, epsHigh: step.epsilon, clipMode: step.surrogate, aggregation: step.lossAggregation });
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
      r.loss += (await value.data())[0];
      const d = await readSurrogateDiagnostics(diag!);
      r.clippedHigh += d.clipFracHigh * tokens; r.clippedLow += d.clipFracLow * tokens; r.absRatioDev += d.meanAbsRatioDev * tokens; r.tokens += tokens;
      tf.dispose([value, ids, oldT, maskT, advT]);
    }
    if (sum === null) return r;
    const named: Record<string, tf.Tensor> = Object.fromEntries(names.map((n, i) => [n, sum![i]]));
    const { grads: clipped, norm } = clipByGlobalNorm(named, step.gradClipNorm);
    this.opt.apply(clipped, step.lr);
    r.gradNorm = (await norm.data())[0];
    tf.dispose([...Object.values(clipped), norm, ...sum]);
    return r;
  }

  async evaluate(): Promise<RealEvalLog> {
    const c = this.cfg;
    const r = await evaluateReal(this.model, this.tokenizer, { bench: c.evalBench, template: c.template, limit: c.evalLimit || undefined, maxNewTokens: c.evalMaxNewTokens, stopIds: this.stopIds, progress: false });
    return { bench: c.evalBench, n: r.problems, acc: r.accuracy, parsed: r.parseRate, boxed: r.boxedRate, code: r.codeRate, length: r.meanResponseTokens };
  }

  save(dir: string, meta: ResumeMeta): Promise<void> {
    return saveResumeState(dir, this.model.params, this.opt, meta);
  }

  async dispose(): Promise<void> {
    this.opt.dispose();
  }
}

/** Runs (or resumes) a GRPO run of `model` in place. The caller owns `model` (this trains it). */
export async function runRealGrpo(raw: Partial<RealGrpoConfig>, model: RealModel, tokenizer: RealTokenizer, opts: RealRunOptions): Promise<RealRunSummary> {
  const cfg = validateRealConfig(raw);
  const runDir = opts.runDir ?? path.join(REAL_RESULTS_DIR, realRunId(cfg));
  const say = opts.log ?? (() => {});
  return withRunLock(runDir, async () => {
    const files = runFiles(runDir);
    const task = realTask(cfg); // a bad data file fails before anything is written
    const opened = openRunFolder<RealRunSummary>(files, realIdentity(cfg), hasResumeState);
    if ('finished' in opened) return opened.finished;
    const opt = new AdamW(model.params, { beta1: cfg.adamBeta1, beta2: cfg.adamBeta2, eps: 1e-8, weightDecay: cfg.weightDecay });
    const resumed = opened.resumable ? loadResumeState(files.checkpoint, model.params, opt) : null;
    if (resumed) say(`resuming ${realRunId(cfg)} at step ${resumed.step}`);
    const policy = new RealPolicy(model, tokenizer, cfg, opts.stopIds, opt);
    try {
      return await grpoLoop<TrainProblem, RealEvalLog, RealRunSummary>({
        settings: cfg, task, policy, files, resumed, evalEvery: cfg.evalEvery, label: realRunId(cfg), codeEntries: REAL_CODE_ENTRIES,
        summarize: (log) => summarizeRealLog(cfg, log), stopAt: opts.stopAt, quiet: opts.quiet, progressStream: opts.progressStream, progressEvery: 30,
        note: (row) => `reward ${row.reward_mean?.toFixed(3)} acc ${row.rollout_acc?.toFixed(3)} clip ${((row.clip_high ?? 0) + (row.clip_low ?? 0)).toFixed(4)}${row.eval ? ` eval ${row.eval.acc.toFixed(3)}` : ''}`,
      });
    } finally {
      await policy.dispose();
    }
  });
}
