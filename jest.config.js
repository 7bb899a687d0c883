/**
 * Tests are TypeScript, transpiled by ts-jest without type checking (the type check is the
 * separate `tsc --noEmit` in `npm test`), which keeps each test file fast to load.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
  // tfjs backends are process-global; separate workers keep test files isolated and use both cores.
  maxWorkers: 2,
};
