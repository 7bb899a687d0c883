/**
 * Tests are TypeScript, transpiled by ts-jest without type checking (the type check is the
 * separate `tsc --noEmit` in `npm test`), which keeps each test file fast to load.
 *
 * Two projects, sorted by file name: `unit` (fast; what a developer runs all the time:
 * `npm run test:unit`, under 2 minutes on an idle 2-core machine) and `slow` (notebook execution,
 * Chromium, pretraining, GRPO runs, worker pools, `tsx` scripts). `npm test` runs both.
 * A file is slow when its base name is in SLOW or it ends in `.slow.test.ts` (the slow half of a
 * file whose other tests are unit tests, e.g. world.test.ts / world.slow.test.ts).
 */
const SLOW = ['notebooks', 'figures', 'pretrain-resume', 'grpo', 'grpo-faults', 'pool', 'pool-failure', 'backend', 'real-pipeline', 'real-model', 'reproduce-run', 'processes'];
const slowPattern = `<rootDir>/test/((${SLOW.join('|')})|[^/]+\\.slow)\\.test\\.ts$`;

const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
};

module.exports = {
  testTimeout: 60000,
  // tfjs backends are process-global; separate workers keep test files isolated and use both cores.
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testPathIgnorePatterns: [slowPattern] },
    { ...common, displayName: 'slow', testRegex: slowPattern.replace('<rootDir>/', '') },
  ],
};
