import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Integration tests each start a Temporal dev server; two at once is what 2 cores sustain.
    maxWorkers: 2,
  },
});
