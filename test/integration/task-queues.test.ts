// Kinds of steps on their own task queues: Confluence calls and partitioning run only on the pools polling those
// queues;
// a page step without a queue of its own runs as a local activity of the page workflow.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Element } from '../../src/core/elements';
import type { temporal } from '@temporalio/proto';
import type { RunningSimulator } from '../../simulator';
import type { DevServer } from '../../src/temporal/devServer';
import { startIngest } from '../../src/client';
import { jobFor, type Stack, startStack, tempDir } from '../support/stack';
import { outputFiles, readJson } from '../support/outputs';

let stack: Stack;
let sim: RunningSimulator;
let server: DevServer;

beforeAll(async () => {
  stack = await startStack({ simulator: { seed: 30, spaces: 1, pagesPerSpace: 12 }, worker: 'none' });
  ({ sim, server } = stack);
});
afterAll(() => stack?.stop());

it('schedules each kind of step on its queue and the pools there run them', { timeout: 300_000 }, async () => {
  const [main, confluencePool, partitionPool] = await Promise.all([
    stack.createWorker(),
    stack.createWorker({ taskQueue: 'confluence-calls', workflows: false }),
    stack.createWorker({ taskQueue: 'partitioning', workflows: false }),
  ]);
  const job = {
    ...jobFor(sim, tempDir('queues')),
    taskQueues: { confluence: 'confluence-calls', partition: 'partitioning' },
  };
  const handle = await startIngest(server.client, job);
  // Each pool runs until the ingest is done; the step pools are nested so all three poll at once.
  const result = await main.runUntil(confluencePool.runUntil(partitionPool.runUntil(handle.result())));
  expect(result).toMatchObject({ done: 12, failed: 0 });
  expect(outputFiles(job.outputDir)).toHaveLength(12);

  const queueOf = new Map<string, Set<string>>();
  const ranLocally = new Map<string, number>();
  for await (const wf of server.client.workflow.list({ query: `WorkflowType = 'confluencePageWorkflow'` })) {
    const history = await server.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) {
        const name = scheduled.activityType!.name!;
        queueOf.set(name, (queueOf.get(name) ?? new Set()).add(scheduled.taskQueue!.name!));
      }
      const local = localActivityOf(event.markerRecordedEventAttributes);
      if (local) ranLocally.set(local, (ranLocally.get(local) ?? 0) + 1);
    }
  }
  expect([...queueOf.get('downloadPage')!]).toEqual(['confluence-calls']);
  expect([...queueOf.get('partitionPage')!]).toEqual(['partitioning']);
  // A step without a queue of its own runs in the page workflow's worker, once per page, never through the server.
  expect(queueOf.has('uploadPage')).toBe(false);
  expect(ranLocally).toEqual(new Map([['uploadPage', 12]]));
});

it("sends a page's comments steps to the same pools, the comments travelling inline between them", {
  timeout: 300_000,
}, async () => {
  const [main, confluencePool, partitionPool] = await Promise.all([
    stack.createWorker(),
    stack.createWorker({ taskQueue: 'confluence-calls', workflows: false }),
    stack.createWorker({ taskQueue: 'partitioning', workflows: false }),
  ]);
  const base = jobFor(sim, tempDir('queues-comments'));
  const job = {
    ...base,
    extract: { ...base.extract, comments: true },
    taskQueues: { confluence: 'confluence-calls', partition: 'partitioning' },
  };
  const handle = await startIngest(server.client, job);
  const result = await main.runUntil(confluencePool.runUntil(partitionPool.runUntil(handle.result())));
  expect(result).toMatchObject({ done: 12, failed: 0 });
  const comments = outputFiles(job.outputDir).filter((f) => f.endsWith('/comments.json'));
  expect(comments).toHaveLength(12);
  const written = comments.reduce(
    (n, f) =>
      n +
      new Set(
        readJson<Element[]>(path.join(job.outputDir, f)).map(
          (el) => el.metadata.data_source?.record_locator?.comment_id,
        ),
      ).size,
    0,
  );
  expect(written).toBe(sim.site.comments.length);

  const queues = new Map<string, Set<string>>();
  for await (const wf of server.client.workflow.list({ query: `WorkflowType = 'confluencePageWorkflow'` })) {
    const history = await server.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled)
        queues.set(
          scheduled.activityType!.name!,
          (queues.get(scheduled.activityType!.name!) ?? new Set()).add(scheduled.taskQueue!.name!),
        );
    }
  }
  expect([...queues.get('downloadPageComments')!]).toEqual(['confluence-calls']);
  expect([...queues.get('partitionParts')!]).toEqual(['partitioning']);
});

/** The activity type a local-activity marker records (the SDK writes it as a JSON payload under `data`). */
function localActivityOf(
  marker: temporal.api.history.v1.IMarkerRecordedEventAttributes | null | undefined,
): string | undefined {
  if (marker?.markerName !== 'core_local_activity') return undefined;
  const data = marker.details?.data?.payloads?.[0]?.data;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type: string }).activity_type : undefined;
}
