/**
 * Browser tests (test/browser): real Chromium driven by playwright-core; `npm run
 * test:browser` builds the chat page first. Kept out of `npm test` so that runs without a browser.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': 'ts-jest',
  },
  testTimeout: 60000,
};
