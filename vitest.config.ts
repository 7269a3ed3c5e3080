import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DynamoDB Local's launcher, compiled once per clone before the first stack starts.
    globalSetup: ['test/support/dynamodb-launcher.setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration suites start DynamoDB Local, LibreOffice and Chromium: on a 2-core machine they run one file at a time.
    fileParallelism: false,
    pool: 'forks',
    env: {
      // Each test file starts its own DynamoDB Local and stops it seconds later, long before the C2 compiler pays
      // for itself: C1 alone runs the functions' suites about 15% faster here (functions/local/dynamodb.ts).
      DYNAMODB_LOCAL_JVM_OPTIONS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC',
    },
  },
});
