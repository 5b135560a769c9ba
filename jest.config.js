/** @type {import('jest').Config} */
const base = {
  testEnvironment: 'node',
  // tsconfig sets isolatedModules, so ts-jest only transpiles; `npm test` type-checks with tsc first.
  transform: { '^.+\\.ts$': 'ts-jest' },
};

module.exports = {
  reporters: ['default', '<rootDir>/tests/summary-reporter.js'],
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit+integration', roots: ['<rootDir>/tests'], testMatch: ['**/*.test.ts'] },
    {
      // The runtime suites again, every extrinsic sent by a real ApiPromise over WebSocket JSON-RPC.
      ...base,
      displayName: 'via-rpc',
      roots: ['<rootDir>/tests/localnet'],
      testMatch: ['**/subtensor-*.test.ts', '**/admin-utils.test.ts', '**/test-chain.test.ts'],
      setupFiles: ['<rootDir>/tests/setup-via-rpc.js'],
    },
  ],
};
