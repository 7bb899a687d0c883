import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cachedMajorityLabels, majorityLabelsFile } from '../src/rl/labels';
import { Transformer } from '../src/model/transformer';
import { loadWorldSplit } from '../src/world/dataset';

describe('majority-label cache', () => {
  const problems = loadWorldSplit('train').slice(0, 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-labels-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the cache key includes maxNewTokens, on which the labels depend', () => {
    const a = majorityLabelsFile(dir, 'good-code', problems, 16, 64, 'abc');
    expect(majorityLabelsFile(dir, 'good-code', problems, 16, 64, 'abc')).toBe(a);
    expect(majorityLabelsFile(dir, 'good-code', problems, 16, 32, 'abc')).not.toBe(a);
    expect(majorityLabelsFile(dir, 'good-code', problems, 8, 64, 'abc')).not.toBe(a);
    expect(majorityLabelsFile(dir, 'good-code', problems.slice(1), 16, 64, 'abc')).not.toBe(a);
    expect(majorityLabelsFile(dir, 'good-code', problems, 16, 64, 'abd')).not.toBe(a);
  });

  test('labels cached for one maxNewTokens are not reused for another', async () => {
    const labels = ['1', null, '3'];
    fs.writeFileSync(majorityLabelsFile(dir, 'good-code', problems, 4, 64), JSON.stringify({ labels }));
    // A model that cannot generate: reaching it means the cache was (rightly) not used.
    const noModel = {} as Transformer;
    await expect(cachedMajorityLabels(noModel, 'good-code', problems, 4, 64, dir, { workers: 0, quiet: true })).resolves.toEqual(labels);
    await expect(cachedMajorityLabels(noModel, 'good-code', problems, 4, 32, dir, { workers: 0, quiet: true })).rejects.toThrow();
  });
});
