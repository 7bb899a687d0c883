/**
 * Generating and grading responses to stand-in problems with a worker pool: the one path used by
 * the prior table, GRPO rollouts and evaluation. Rows are processed in chunks to bound memory.
 */
import { WorkerPool } from '../runtime/pool';
import { Rng } from '../engine/rng';
import { CharTokenizer } from '../engine/tokenizer';
import { WorldGraded, gradeWorldResponse } from './grade';
import { Problem } from './problems';

export interface GenerateOptions {
  /** 0 = greedy. */
  temperature: number;
  /** Samples per problem. */
  k: number;
  maxNewTokens: number;
  /** Text fed after the prompt instead of sampled (e.g. the forced code prefix); part of the response. */
  forcedPrefix?: string;
  rng: Rng;
  /** Rows per sampling call. */
  chunk?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface Generation extends WorldGraded {
  /** Sampled token ids (incl. <eos> when emitted) and their log-probs under the sampling policy. */
  tokens: number[];
  logProbs: number[];
  /** Entropy of the sampling distribution at each generated position. */
  entropies: number[];
  promptTokens: number[];
}

export async function generate(pool: WorkerPool, tok: CharTokenizer, problems: readonly Problem[], labels: readonly string[] | null, opts: GenerateOptions): Promise<Generation[]> {
  const eos = tok.special('<eos>');
  const forced = opts.forcedPrefix ? tok.encode(opts.forcedPrefix) : null;
  const rows: { p: Problem; label: string; prompt: number[] }[] = [];
  problems.forEach((p, i) => {
    const prompt = tok.encode(p.prompt);
    for (let j = 0; j < opts.k; j++) rows.push({ p, label: labels ? labels[i] : p.answer, prompt });
  });
  const chunk = opts.chunk ?? 512;
  const out: Generation[] = [];
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const r = await pool.sample({
      prompts: part.map((x) => x.prompt),
      maxNewTokens: opts.maxNewTokens,
      temperature: opts.temperature,
      stopToken: eos,
      forcedPrefix: forced ? part.map(() => forced) : undefined,
      rng: opts.rng,
    });
    part.forEach((x, i) => {
      const text = tok.decode(r.tokens[i]);
      out.push({ ...gradeWorldResponse(x.p.id, text, x.label), tokens: r.tokens[i], logProbs: r.logProbs[i], entropies: r.entropies[i], promptTokens: x.prompt });
    });
    opts.onProgress?.(Math.min(rows.length, start + chunk), rows.length);
  }
  return out;
}
