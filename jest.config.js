/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Browser tests need Chromium and run on their own: `npm run test:browser`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/'],
  transform: {
    // tsconfig sets isolatedModules, so ts-jest only transpiles; `npm run lint` type-checks.
    '^.+\\.ts$': 'ts-jest',
  },
  testTimeout: 30000,
  // One PostgreSQL server per run: TEST_POSTGRES_URL, else 127.0.0.1:5432, else an embedded one.
  globalSetup: '<rootDir>/test/store/global-setup.ts',
  globalTeardown: '<rootDir>/test/store/global-teardown.ts',
};
