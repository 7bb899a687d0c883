/**
 * The slow half of test/prompt-format.test.ts: a template reaching the policy in real (tiny) GRPO
 * runs, and `npm run prompt-format` refusing an unknown family (a tsx child process).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { Transformer } from '../src/model/transformer';
import { PRESETS } from '../src/rl/config';
import { runGrpo } from '../src/rl/standin';
import { saveCheckpoint } from '../src/runtime/checkpoint';
import { worldTokenizer } from '../src/world/vocab';

beforeAll(async () => { await initBackend({ quiet: true }); });

describe('prompt templates (H5)', () => {
  test('a template reaches the policy: same seed, different step-1 rollouts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-format-'));
    try {
      const ckDir = path.join(dir, 'checkpoints');
      await saveCheckpoint(path.join(ckDir, 'tiny'), Transformer.init({ vocabSize: worldTokenizer().vocabSize, contextLength: 160, dModel: 32, nLayers: 1, nHeads: 2, mlpRatio: 2, dropout: 0 }, new Rng(1)), { step: 0 });
      const base = { ...PRESETS.smoke, family: 'tiny', reward: 'random' as const, gamma: 0.5, steps: 1, maxNewTokens: 16, evalProblems: 6, evalAvgK: 0, seed: 5 };
      const go = (name: string, extra: object) => runGrpo({ ...base, ...extra }, { runDir: path.join(dir, name), labelsDir: path.join(dir, 'labels') }, { workers: 0, quiet: true, checkpointsDir: ckDir });
      const responses = (name: string) => fs.readFileSync(path.join(dir, name, 'samples.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { response: string }).response);
      await go('plain', {});
      await go('plain-again', {});
      await go('wrapped', { promptTemplate: 'Question\n{prompt}\nAnswer\n' });
      expect(responses('plain-again')).toEqual(responses('plain'));
      expect(responses('wrapped')).not.toEqual(responses('plain'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('npm run prompt-format: an unknown family is one line naming it, before any model loads', () => {
  const { spawnSync } = require('child_process') as typeof import('child_process');
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/prompt-format.ts', '--family', 'qwen-7b'], { encoding: 'utf8', env: { ...process.env, SR_WORKERS: '0' } });
  expect(r.status).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^prompt-format: .*unknown family 'qwen-7b'/);
}, 60000);
