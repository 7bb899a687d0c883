/**
 * Majority-vote labels (Paper A's "majority vote" and "incorrect" rewards): the most common answer
 * among k samples of the *starting* model per training prompt, computed once per (family, prompt
 * set, k, response length, checkpoint) and cached as JSON, since it costs k generations per prompt.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../engine/atomic';
import { WorkerPool } from '../runtime/pool';
import { Progress } from '../engine/progress';
import { Rng } from '../engine/rng';
import { Transformer } from '../model/transformer';
import { Generation, generate } from '../world/generate';
import { sameWorldAnswer } from '../world/grade';
import { Problem } from '../world/problems';
import { worldTokenizer } from '../world/vocab';
import { majorityAnswer } from './rewards';

/**
 * The cache file of a label set: everything the labels depend on is in its name. maxNewTokens is
 * (`t64`): a shorter budget truncates responses before their answer and changes the vote.
 */
export function majorityLabelsFile(dir: string, family: string, problems: readonly Problem[], k: number, maxNewTokens: number, modelDigest?: string): string {
  const key = crypto.createHash('sha1').update(problems.map((p) => p.id).join(',')).digest('hex').slice(0, 10);
  return path.join(dir, `${family}-majority-k${k}-t${maxNewTokens}-${problems.length}-${key}${modelDigest ? `-${modelDigest}` : ''}.json`);
}

export async function cachedMajorityLabels(model: Transformer, family: string, problems: readonly Problem[], k: number, maxNewTokens: number, dir: string, opts: { workers?: number; quiet?: boolean; /** weightsDigest of the model's checkpoint: labels of a retrained checkpoint are recomputed. */ modelDigest?: string } = {}): Promise<(string | null)[]> {
  const file = majorityLabelsFile(dir, family, problems, k, maxNewTokens, opts.modelDigest);
  if (fs.existsSync(file)) {
    const cached = JSON.parse(fs.readFileSync(file, 'utf8')) as { labels: (string | null)[] };
    if (!Array.isArray(cached.labels) || cached.labels.length !== problems.length) throw new Error(`${file}: field 'labels' does not match the ${problems.length} prompts; delete the file to recompute`);
    return cached.labels;
  }
  const pool = await WorkerPool.create(model, opts.workers);
  const bar = opts.quiet ? null : new Progress({ label: `majority votes ${family} (k=${k})`, total: problems.length * k });
  let gens: Generation[];
  try {
    gens = await generate(pool, worldTokenizer(), problems, null, { temperature: 1, k, maxNewTokens, rng: new Rng(4242), onProgress: (d) => bar?.update(d) });
  } finally {
    await pool.close();
  }
  const labels = problems.map((_, i) => majorityAnswer(gens.slice(i * k, (i + 1) * k).map((g) => g.response)));
  const correct = labels.filter((l, i) => sameWorldAnswer(l, problems[i].answer)).length;
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(file, JSON.stringify({ family, k, maxNewTokens, n: problems.length, majority_correct: correct / problems.length, labels }) + '\n');
  return labels;
}
