/**
 * Tests are TypeScript, transpiled by ts-jest without type checking (the type check is the
 * separate `tsc --noEmit` in `npm test`), which keeps each test file fast to load.
 *
 * Two projects: `unit` (fast; what a developer runs all the time: `npm run test:unit`) and `slow`
 * (notebook execution, Chromium, pretraining and end-to-end GRPO runs). `npm test` runs both.
 */
const SLOW = ['notebooks', 'figures', 'pretrain-resume', 'grpo', 'grpo-faults', 'phase', 'pool', 'pool-failure', 'backend', 'real-pipeline', 'real-model'];
const slowPattern = `<rootDir>/test/(${SLOW.join('|')})\\.test\\.ts$`;

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
