/** `npm run world:data`: regenerates datasets/world/{test,train}.jsonl (seeded, deterministic). */
import * as path from 'path';
import { WORLD_DIR, WORLD_SEED, writeProblems } from '../src/world/dataset';
import { generateSplits } from '../src/world/problems';
import { parseFlags } from './cli';

try {
  parseFlags({}); // takes no arguments: refuse stray ones rather than ignore them
} catch (e) {
  console.error(`world:data: ${(e as Error).message}`);
  process.exit(1);
}
const { test, train } = generateSplits(WORLD_SEED, 500, 20000);
writeProblems(path.join(WORLD_DIR, 'test.jsonl'), test);
writeProblems(path.join(WORLD_DIR, 'train.jsonl'), train);
const share = (ps: typeof test) => (ps.filter((p) => p.surface === 'narrative').length / ps.length).toFixed(2);
console.log(`wrote ${test.length} test and ${train.length} train problems to ${WORLD_DIR} (narrative share ${share(test)} / ${share(train)})`);
