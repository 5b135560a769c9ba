/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // tsconfig sets isolatedModules, so ts-jest only transpiles; `npm test` type-checks with tsc first.
  transform: { '^.+\\.ts$': 'ts-jest' },
  reporters: ['default', '<rootDir>/tests/summary-reporter.js'],
  testTimeout: 60000,
};
