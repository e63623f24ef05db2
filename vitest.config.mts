import { defineConfig } from 'vitest/config';
import { INTEGRATION_TESTS, WORKFLOW_TESTS } from './test/suites';

// Three projects (`vitest run --project unit` etc.); `vitest run` runs them all. Which file is which: test/suites.ts.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Integration tests each start a Temporal dev server; two at once is what 2 cores sustain.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...INTEGRATION_TESTS, ...WORKFLOW_TESTS] },
      },
      {
        extends: true,
        test: { name: 'workflows', include: WORKFLOW_TESTS, globalSetup: ['test/globalSetup.ts'] },
      },
      {
        extends: true,
        test: { name: 'integration', include: INTEGRATION_TESTS, globalSetup: ['test/globalSetup.ts'] },
      },
    ],
  },
});
