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
}

export function makeDocument(spec: FamilySpec, p: Problem, tok: CharTokenizer, rng: Rng): CorpusDocument {
  const sol = familySolution(spec, p, rng);
  const text = p.prompt + sol.text;
  return { problem: p, text, ids: [...tok.encode(text), tok.special('<eos>')] };
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
 * `groups` batches of `rows` documents each: draw rows·groups documents, sort by length, cut
 * into batches of similar length, shuffle the batch order.
 */
export function bucketedBatches(docs: CorpusDocument[], rows: number, rng: Rng): LMBatch[] {
  const sorted = [...docs].sort((a, b) => a.ids.length - b.ids.length);
  const batches: LMBatch[] = [];
  for (let i = 0; i < sorted.length; i += rows) batches.push(lmBatch(sorted.slice(i, i + rows).map((d) => d.ids)));
  return rng.shuffle(batches);
}
