// Which test files need what: the unit suite (`npm run test:unit`) is every test file not listed here. It starts no
// Temporal server and no child process (the in-process simulator and worker threads are fine) and runs in seconds;
// test/suites.test.ts checks that no unit test file starts one.

/** Test files that start a Temporal server, a worker, the CLI or another child process. */
export const INTEGRATION_TESTS = [
  'test/chaos-continue-as-new.test.ts',
  'test/chaos-server-restart.test.ts',
  'test/chaos-terminate.test.ts',
  'test/chaos-worker-kill.test.ts',
  'test/checkpoint-concurrency.test.ts',
  'test/codec-ingest.test.ts',
  'test/compose-docker.test.ts',
  'test/embedding-local.test.ts',
  'test/extract-pipeline.test.ts',
  'test/incremental.test.ts',
  'test/ingest-cli.test.ts',
  'test/ingest-faults.test.ts',
  'test/ingest-secrets.test.ts',
  'test/operate.test.ts',
  'test/ratelimit-ceiling.test.ts',
  'test/schedules.test.ts',
  'test/selection.test.ts',
  'test/task-queues.test.ts',
  'test/worker-cli.test.ts',
];

/** Workflow logic on a local dev server with stubbed activities (test/support/stubActivities.ts): seconds each. */
export const WORKFLOW_TESTS = ['test/workflows/**/*.test.ts'];
