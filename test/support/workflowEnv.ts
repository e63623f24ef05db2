// Workflow tests: the real workflows on a local dev server (TestWorkflowEnvironment over the project's Temporal CLI;
// the time-skipping server is a download this machine cannot make), with stubbed activities on a worker per test.
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type IngestHandle, startIngest } from '../../src/client';
import type { IngestInput } from '../../src/pipeline/config';
import { quietRuntime } from '../../src/temporal/runtime';
import { workflowBundlePath } from '../../src/temporal/workflowBundle';
import { type StubOptions, type StubRecord, stubActivities } from './stubActivities';

/** A dev server for one test file; `extraArgs` e.g. dynamic config (`--dynamic-config-value name=value`). */
export async function startWorkflowEnv(extraArgs: string[] = []): Promise<TestWorkflowEnvironment> {
  const cli = process.env.TEMPORAL_CLI;
  if (!cli)
    throw new Error('TEMPORAL_CLI is not set: run workflow tests through vitest (test/globalSetup.ts resolves it)');
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli },
      ip: '127.0.0.1',
      ui: false,
      log: { format: 'pretty', level: 'error' },
      extraArgs,
    },
  });
}

export interface StubbedIngest {
  record: StubRecord;
  /** Lets held downloads go on (StubOptions.hold). */
  release(): void;
  taskQueue: string;
  /** Starts the ingest on the stub worker's queue. */
  start(input: IngestInput): Promise<IngestHandle>;
  /** Runs `body` while the stub worker polls, then shuts the worker down. */
  run<T>(body: () => Promise<T>): Promise<T>;
}

/** A worker on a queue of its own (so tests sharing a server never take each other's tasks), with stub activities. */
export async function stubbedIngest(env: TestWorkflowEnvironment, options: StubOptions): Promise<StubbedIngest> {
  const { activities, record, release } = stubActivities(options);
  const taskQueue = `stub-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: await workflowBundlePath() },
    activities,
  });
  return {
    record,
    release,
    taskQueue,
    start: (input) => startIngest(env.client, input, { taskQueue }),
    run: (body) => worker.runUntil(body),
  };
}
