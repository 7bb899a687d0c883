/** Tests are TypeScript compiled by swc (type checking is the separate `tsc --noEmit` in `npm test`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testTimeout: 60000,
  // tfjs backends are process-global; one worker per file keeps them isolated and the 2 cores busy.
  maxWorkers: 2,
};
