import { defineConfig } from 'vitest/config';

// Three projects, one folder each; `vitest run` runs them all, `vitest run --project unit` one of them:
// - unit (test/unit, simulator/test): no server and no child process (the in-process simulator and worker threads are
//   fine); test/unit/suites.test.ts fails when a file there starts one;
// - workflows (test/workflows): the workflows on a local dev server with stubbed activities (seconds);
// - integration (test/integration): starts a Temporal dev server, a worker, the CLI or another child process (minutes).
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Integration tests each start a Temporal dev server; two at once is what 2 cores sustain.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'simulator/test/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'workflows', include: ['test/workflows/**/*.test.ts'], globalSetup: ['test/globalSetup.ts'] },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: ['test/globalSetup.ts'] },
      },
    ],
  },
});
