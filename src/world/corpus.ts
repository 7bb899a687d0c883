/**
 * A family's pretraining corpus as a seeded stream of documents "prompt + solution + <eos>",
 * on problems freshly drawn from the generator (never a test-set problem), packed into
 * length-bucketed batches so little compute goes to padding.
 */
import { Rng } from '../engine/rng';
import { CharTokenizer } from '../engine/tokenizer';
import { LMBatch, lmBatch } from '../model/batch';
import { FamilySpec, familySolution } from './families';
import { DEFAULT_RANGES, Problem, ProblemRanges, generateProblem, problemKey } from './problems';

export interface CorpusDocument {
  problem: Problem;
  text: string;
  ids: number[];
  /** Tokens of the prompt at the start of `ids`. */
  promptLength: number;
}

export function makeDocument(spec: FamilySpec, p: Problem, tok: CharTokenizer, rng: Rng): CorpusDocument {
  const sol = familySolution(spec, p, rng);
  const text = p.prompt + sol.text;
  return { problem: p, text, ids: [...tok.encode(text), tok.special('<eos>')], promptLength: tok.encode(p.prompt).length };
}

/** Draws `n` documents; problems whose arithmetic is in `exclude` (the test set) are redrawn. */
export function drawDocuments(spec: FamilySpec, n: number, tok: CharTokenizer, rng: Rng, exclude: Set<string>, ranges: ProblemRanges = DEFAULT_RANGES): CorpusDocument[] {
  const docs: CorpusDocument[] = [];
  while (docs.length < n) {
    const p = generateProblem(rng, `pre-${docs.length}`, ranges);
    if (exclude.has(problemKey(p))) continue;
    docs.push(makeDocument(spec, p, tok, rng));
  }
  return docs;
}

/**
 * Batches of `rows` documents: sorted by length and cut into batches of similar length (little
 * padding), in shuffled order. With `solutionOnly`, the loss skips prompt tokens: a prompt's
 * names and numbers are noise to predict, and the prior and the arithmetic live in solutions.
 */
export function bucketedBatches(docs: CorpusDocument[], rows: number, rng: Rng, solutionOnly = false): LMBatch[] {
  const sorted = [...docs].sort((a, b) => a.ids.length - b.ids.length);
  const batches: LMBatch[] = [];
  for (let i = 0; i < sorted.length; i += rows) {
    const part = sorted.slice(i, i + rows);
    const lm = lmBatch(part.map((d) => d.ids));
    if (solutionOnly) {
      const T = lm.batch.T;
      part.forEach((d, b) => lm.lossMask.fill(0, b * T, b * T + d.promptLength - 1));
    }
    batches.push(lm);
  }
  return rng.shuffle(batches);
}
