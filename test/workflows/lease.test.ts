// One writer per destination on a cluster: the ingest's workflow id is its output's, so a second ingest of another
// selection into the same output is refused at start, naming the run that writes it (or waits, with waitForLease),
// while starting the same job again attaches to its run.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DestinationBusyError, startIngest } from '../../src/client';
import { fakeJob, fakeSite } from '../support/stubActivities';
import { until } from '../support/until';
import { startWorkflowEnv, stubbedIngest } from '../support/workflowEnv';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startWorkflowEnv();
});
afterAll(() => env?.teardown());

it('refuses a second ingest into an output another is writing, attaches to the same job, and waits when asked', async () => {
  const site = fakeSite({ ENG: 4, OPS: 4 });
  const ingest = await stubbedIngest(env, { site, hold: true });
  const dir = `/stub/lease-${randomUUID()}`;
  const eng = fakeJob(site, dir, { selection: { spaces: ['ENG'] } });
  const ops = fakeJob(site, dir, { selection: { spaces: ['OPS'] } });

  await ingest.run(async () => {
    const first = await ingest.start(eng);
    const refusal = await startIngest(env.client, ops, { taskQueue: ingest.taskQueue }).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(DestinationBusyError);
    expect((refusal as Error).message).toContain(`${eng.outputDir} is being written by ingest ${first.workflowId}`);
    expect((refusal as Error).message).toContain('--wait-for-lease');

    const again = await ingest.start(eng);
    expect((await again.describe()).runId).toBe((await first.describe()).runId);

    let waited = '';
    const next = startIngest(env.client, ops, {
      taskQueue: ingest.taskQueue,
      waitForLease: true,
      onWait: (holder) => (waited = holder),
    });
    await until(() => waited, 'the second ingest to name the run it waits for');
    expect(waited).toContain(first.workflowId);
    ingest.release();
    expect((await first.result()).done).toBe(4);
    const second = await next;
    expect((await second.result()).done).toBe(4);
  });
});
