import { defineConfig } from 'vitest/config';
import suites from './test/suites.json' with { type: 'json' };

// Three projects; `vitest run` runs them all, `vitest run --project unit` one of them. test/suites.json lists which
// file is which:
// - integration: starts a Temporal dev server, a worker, the CLI or another child process (minutes);
// - workflows: the workflows on a local dev server with stubbed activities (test/support/stubActivities.ts; seconds);
// - unit: everything else, no server and no child process (the in-process simulator and worker threads are fine);
//   test/suites.test.ts fails when a unit test file starts one.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Integration tests each start a Temporal dev server; two at once is what 2 cores sustain.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...suites.integration, ...suites.workflows] },
      },
      {
        extends: true,
        test: { name: 'workflows', include: suites.workflows, globalSetup: ['test/globalSetup.ts'] },
      },
      {
        extends: true,
        test: { name: 'integration', include: suites.integration, globalSetup: ['test/globalSetup.ts'] },
      },
    ],
  },
});
