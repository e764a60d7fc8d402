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
};
