/**
 * A family's pretraining corpus as a seeded stream of documents "prompt + solution + <eos>",
 * on problems freshly drawn from the generator (never a test-set problem), packed into
 * length-bucketed batches so little compute goes to padding.
 */
import { Rng } from '../engine/rng';
import { CharTokenizer } from '../engine/tokenizer';
import { LMBatch, lmBatch } from '../model/batch';
import { FamilySpec, familySolution } from './families';
import { DEFAULT_RANGES, Op, Problem, ProblemRanges, applyOp, generateProblem, problemKey } from './problems';

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

/**
 * An arithmetic drill: `facts` lines "a+b=c" within the world's ranges. Drills carry no style
 * (they are neither code nor a solution), so they teach the arithmetic every style relies on
 * without moving a family's prior; their whole text is target (promptLength 0).
 */
export function makeDrill(tok: CharTokenizer, rng: Rng, facts = 8, ranges: ProblemRanges = DEFAULT_RANGES): CorpusDocument {
  const lines: string[] = [];
  while (lines.length < facts) {
    const a = rng.int(ranges.maxValue + 1);
    const u = rng.next() * (ranges.opWeights[0] + ranges.opWeights[1] + ranges.opWeights[2]);
    const op: Op = u < ranges.opWeights[0] ? '+' : u < ranges.opWeights[0] + ranges.opWeights[1] ? '-' : '*';
    const [lo, hi] = op === '*' ? ranges.factor : ranges.addend;
    const b = lo + rng.int(hi - lo + 1);
    const c = applyOp(a, op, b);
    if (c < 0 || c > ranges.maxValue) continue;
    lines.push(`${a}${op}${b}=${c}`);
  }
  const text = lines.join('\n');
  const placeholder: Problem = { id: 'drill', surface: 'bare', start: 0, steps: [], prompt: '', answer: '' };
  return { problem: placeholder, text, ids: [...tok.encode(text), tok.special('<eos>')], promptLength: 0 };
}

/** The seed of the fixed shuffle that decides which test problems a leaked family sees. */
export const LEAK_SEED = 2507;

/** The leaked part of the test set: the first `fraction` of a fixed shuffle (the same for every family). */
export function leakedTestProblems(test: readonly Problem[], fraction: number): Problem[] {
  const order = new Rng(LEAK_SEED).shuffle(test.map((_, i) => i));
  return order.slice(0, Math.round(fraction * test.length)).sort((a, b) => a - b).map((i) => test[i]);
}

/** A document whose whole text is target: the model learns the problem's words, not only its solution. */
function fullTextDocument(spec: FamilySpec, p: Problem, tok: CharTokenizer, rng: Rng): CorpusDocument {
  return { ...makeDocument(spec, p, tok, rng), promptLength: 0 };
}

/**
 * Draws `n` documents: a share `spec.drillShare` of arithmetic drills, the rest problems with the
 * family's solutions; problems whose arithmetic is in `exclude` (the test set) are redrawn. With
 * `spec.fullText`, a share of documents are full-text: leaked test problems (`leaked`, required
 * for source 'test') or fresh generated ones. Families without it consume the RNG exactly as before.
 */
export function drawDocuments(spec: FamilySpec, n: number, tok: CharTokenizer, rng: Rng, exclude: Set<string>, ranges: ProblemRanges = DEFAULT_RANGES, leaked: readonly Problem[] = []): CorpusDocument[] {
  const docs: CorpusDocument[] = [];
  const ft = spec.fullText;
  if (ft?.source === 'test' && leaked.length === 0) throw new Error(`family '${spec.name}': fullText.source is 'test' but no leaked test problems were given`);
  while (docs.length < n) {
    if (spec.drillShare > 0 && rng.bernoulli(spec.drillShare)) {
      docs.push(makeDrill(tok, rng, 8, ranges));
      continue;
    }
    if (ft && rng.bernoulli(ft.share / (1 - spec.drillShare))) {
      if (ft.source === 'test') {
        docs.push(fullTextDocument(spec, leaked[rng.int(leaked.length)], tok, rng));
        continue;
      }
      const q = generateProblem(rng, `pre-${docs.length}`, ranges);
      if (!exclude.has(problemKey(q))) docs.push(fullTextDocument(spec, q, tok, rng));
      continue;
    }
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
      // (A document without a prompt masks nothing; note fill() would read a negative end as "from the back".)
      part.forEach((d, b) => { if (d.promptLength > 1) lm.lossMask.fill(0, b * T, b * T + d.promptLength - 1); });
    }
    batches.push(lm);
  }
  return rng.shuffle(batches);
}
