/**
 * The slow half of test/world-audit.test.ts: one audit run on the shipped good-code-global
 * checkpoint, which never saw a prompt as target, so it cannot reproduce one; and `npm run
 * audit`'s one-line errors (tsx child processes).
 */
import { initBackend } from '../src/engine/backend';
import { WorkerPool } from '../src/runtime/pool';
import { auditProblems, auditWorldFamily } from '../src/world/audit';
import { loadWorldSplit } from '../src/world/dataset';
import { loadFamilyModel } from '../src/world/priors';

const test_ = loadWorldSplit('test');
const train = loadWorldSplit('train');

test('a family trained on solutions only reproduces no prompt (EM 0) and answers whole prompts', async () => {
  await initBackend({ quiet: true });
  const model = loadFamilyModel('good-code-global');
  const pool = await WorkerPool.create(model, 0);
  try {
    const problems = auditProblems('test', test_, train, 24);
    const { rows, records } = await auditWorldFamily(pool, 'good-code-global', 'test', problems, { contextLength: model.config.contextLength });
    expect(records).toHaveLength(24 * 4);
    const all = rows.filter((r) => r.surface === 'all');
    expect(all.map((r) => r.ratio)).toEqual([0.4, 0.6, 0.8, 1]);
    for (const r of all.slice(0, 3)) expect(r.exactMatch).toBe(0);
    expect(all[3].rougeL).toBeNull();
    // With the whole prompt it solves some problems (its greedy accuracy is ~30%).
    expect(all[3].accuracy).toBeGreaterThan(5);
    expect(rows.filter((r) => r.surface !== 'all').reduce((n, r) => n + r.problems, 0)).toBe(24 * 4);
  } finally {
    await pool.close();
  }
});

test('npm run audit: bad input is one line naming the flag or the family', () => {
  const { spawnSync } = require('child_process') as typeof import('child_process');
  const run = (...args: string[]) => spawnSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/audit.ts', ...args], { encoding: 'utf8', env: { ...process.env, SR_WORKERS: '0' } });
  const bad = run('--family', 'good-code', '--split', 'train');
  expect(bad.status).toBe(1);
  expect(bad.stderr.trim()).toBe("audit: --split must be one of test, leaked, unleaked, fresh, got 'train'");
  const unknown = run('--family', 'qwen-7b');
  expect(unknown.status).toBe(1);
  expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  expect(unknown.stderr).toMatch(/unknown family 'qwen-7b'/);
  expect(run().stderr.trim()).toBe('audit: give --family NAME (or --all)');
}, 60000);
