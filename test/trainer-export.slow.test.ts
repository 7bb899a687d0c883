/**
 * The export's data subset against a real run: a 2-step `real grpo` on a tiny checkpoint logs the
 * rows it trained on (samples.jsonl names every prompt of a step when P = 2), and `real export` of
 * that run must write exactly those rows, for both engines.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { readJsonl } from '../src/engine/jsonl';
import { realCli } from '../scripts/real';
import { writeTinyCheckpoint } from './helpers/realTiny';
import { writeTinyTokenizer } from './helpers/realTokenizer';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trainer-export-run-'));
const model = path.join(tmp, 'tiny-qwen2');
const data = path.join(tmp, 'train.jsonl');
const questions = Array.from({ length: 12 }, (_, i) => `What is ${i}+1?`);

beforeAll(async () => {
  process.env.SR_BACKEND = 'wasm';
  await initBackend({ quiet: true });
  const vocab = writeTinyTokenizer(model);
  writeTinyCheckpoint(model, 'qwen2', { vocabSize: vocab, seed: 3 });
  fs.writeFileSync(data, questions.map((problem, i) => JSON.stringify({ problem, answer: String(i + 1) })).join('\n') + '\n');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<string[]> {
  const out: string[] = [];
  await realCli(argv, (line) => out.push(line));
  return out;
}

test('real export writes exactly the rows the run trained on', async () => {
  const runDir = path.join(tmp, 'run');
  await cli('grpo', '--model', model, '--data', data, '--reward', 'random', '--gamma', '0.5', '--steps', '2', '--prompts', '2', '--group-size', '4', '--mini-batch', '4', '--micro-batch', '2', '--lr', '1e-3', '--max-new-tokens', '6', '--seed', '5', '--run-dir', runDir, '--quiet');
  // samples.jsonl shows two responses of each of the first two groups at steps 1 and 2: with P = 2, every prompt the run drew
  const trained = new Set(readJsonl<{ problem: number }>(path.join(runDir, 'samples.jsonl')).map((r) => r.problem));
  expect(trained.size).toBe(4); // 2 steps × 2 prompts, no row twice
  for (const engine of ['openrlhf', 'ttrl']) {
    const out = path.join(tmp, `export-${engine}`);
    await cli('export', '--run', path.join(runDir, 'config.json'), '--engine', engine, '--out', out, '--json');
    const text = engine === 'openrlhf' ? fs.readFileSync(path.join(out, 'prompts.jsonl'), 'utf8') : fs.readFileSync(path.join(out, 'data', 'train.json'), 'utf8');
    const lines = questions.map((q, i) => (text.includes(JSON.stringify(q).slice(1, -1)) ? i + 1 : null)).filter((l) => l !== null);
    expect([engine, lines]).toEqual([engine, [...trained].sort((a, b) => a - b)]);
  }
});
