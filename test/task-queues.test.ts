// Kinds of steps on their own task queues: Confluence calls and partitioning run only on the pools polling those queues.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/simulator';
import { startDevServer, type DevServer } from '../src/temporal/devServer';
import { createWorker } from '../src/worker';
import { startIngest } from '../src/client';
import { jobFor, tempDir } from './support/stack';
import { outputFiles } from './support/outputs';

let sim: RunningSimulator;
let server: DevServer;

beforeAll(async () => {
  [sim, server] = await Promise.all([startSimulator({ seed: 30, spaces: 1, pagesPerSpace: 12 }), startDevServer()]);
});
afterAll(async () => {
  await Promise.all([sim?.close(), server?.stop()]);
});

it('schedules each kind of step on its queue and the pools there run them', { timeout: 300_000 }, async () => {
  const deps = { secretsFor: () => ({ apiToken: sim.credentials.apiToken }) };
  const connection = server.nativeConnection;
  const [main, confluencePool, partitionPool] = await Promise.all([
    createWorker({ connection, deps }),
    createWorker({ connection, deps, taskQueue: 'confluence-calls', workflows: false }),
    createWorker({ connection, deps, taskQueue: 'partitioning', workflows: false }),
  ]);
  const job = { ...jobFor(sim, tempDir('queues')), taskQueues: { confluence: 'confluence-calls', partition: 'partitioning' } };
  const handle = await startIngest(server.client, job);
  // Each pool runs until the ingest is done; the step pools are nested so all three poll at once.
  const result = await main.runUntil(confluencePool.runUntil(partitionPool.runUntil(handle.result())));
  expect(result).toMatchObject({ done: 12, failed: 0 });
  expect(outputFiles(job.outputDir)).toHaveLength(12);

  const queueOf = new Map<string, Set<string>>();
  for await (const wf of server.client.workflow.list({ query: `WorkflowType = 'confluencePageWorkflow'` })) {
    const history = await server.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (!scheduled) continue;
      const name = scheduled.activityType!.name!;
      queueOf.set(name, (queueOf.get(name) ?? new Set()).add(scheduled.taskQueue!.name!));
    }
  }
  expect([...queueOf.get('downloadPage')!]).toEqual(['confluence-calls']);
  expect([...queueOf.get('pagePermissions')!]).toEqual(['confluence-calls']);
  expect([...queueOf.get('partitionPage')!]).toEqual(['partitioning']);
  expect([...queueOf.get('uploadPage')!]).toEqual(['durable-ingest']);
});
