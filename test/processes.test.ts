/** The process pool: a plan that grows as jobs land still fills every lane; a failed job is reported once. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ProcessJob, runInProcesses } from '../scripts/processes';

const script = path.join(__dirname, 'fixtures', 'sleep-job.js');

test('jobs that appear when another lands run on every lane, each once', async () => {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pool-')), 'log.txt');
  fs.writeFileSync(log, '');
  const job = (id: string, fail = false): ProcessJob => ({ id, payload: { id, log, ms: 600, fail }, argv: (file) => [script, file] });
  const landed = () => fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('end ')).map((l) => l.split(' ')[1]);
  // Only 'a' at first: the second lane finds nothing. Once 'a' lands, 'b' and 'c' (failing) appear.
  const plan = (): ProcessJob[] => (landed().includes('a') ? [job('b'), job('c', true)] : [job('a')]).filter((j) => !landed().includes(j.id));
  const failures = await runInProcesses(plan, { lanes: 2, label: 'test pool' });
  const lines = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' '));
  const at = (kind: string, id: string) => Number(lines.find((l) => l[0] === kind && l[1] === id)![2]);
  expect(lines.filter((l) => l[0] === 'start').map((l) => l[1]).sort()).toEqual(['a', 'b', 'c']);
  // 'b' and 'c' overlap: the idle lane woke when 'a' landed.
  expect(at('start', 'c')).toBeLessThan(at('end', 'b'));
  expect(at('start', 'b')).toBeLessThan(at('end', 'c'));
  // 'c' failed and stays pending in the plan, but is not started again.
  expect(failures).toEqual(['c: job c failed on purpose']);
}, 30000);

test('a lane waiting on the last job ends when that job fails', async () => {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pool-')), 'log.txt');
  fs.writeFileSync(log, '');
  const failures = await runInProcesses(() => [{ id: 'only', payload: { id: 'only', log, ms: 200, fail: true }, argv: (file) => [script, file] }], { lanes: 2, label: 'test pool' });
  expect(failures).toEqual(['only: job only failed on purpose']);
  expect(fs.readFileSync(log, 'utf8').match(/^start only/gm)).toHaveLength(1);
}, 30000);
