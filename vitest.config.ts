import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration suites start DynamoDB Local, LibreOffice and Chromium: on a 2-core machine they run one file at a time.
    fileParallelism: false,
    pool: 'forks',
  },
});
