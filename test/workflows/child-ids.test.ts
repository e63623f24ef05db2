// Page workflow ids are keyed on the destination, as the ingest's own id is: two ingests of one site into two tables
// that share an --output-dir run the same page version as two children, never as one.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pageWorkflowId } from '../../src/core/ids';
import { destinationKey } from '../../src/destinations/identity';
import { fakeJob, fakeSite } from '../support/stubActivities';
import { startWorkflowEnv, stubbedIngest } from '../support/workflowEnv';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startWorkflowEnv();
});
afterAll(() => env?.teardown());

/** The ids of the child workflows an ingest started. */
async function childIds(handle: { fetchHistory(): Promise<{ events?: unknown[] | null }> }): Promise<string[]> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).flatMap((e) => {
    const started = (e as { startChildWorkflowExecutionInitiatedEventAttributes?: { workflowId?: string } })
      .startChildWorkflowExecutionInitiatedEventAttributes;
    return started?.workflowId ? [started.workflowId] : [];
  });
}

it('gives the same page two children when two ingests write two tables from one output dir', async () => {
  const site = fakeSite({ ENG: 2 });
  const ingest = await stubbedIngest(env, { site });
  const dir = `/stub/child-ids-${randomUUID()}`;
  const database = `postgresql://ingest@db-${randomUUID().slice(0, 8)}:5432/rag`;
  const jobs = ['elements_a', 'elements_b'].map((table) =>
    fakeJob(site, dir, { destination: { type: 'postgres', database, table } }),
  );

  const ids = await ingest.run(async () => {
    const handles = await Promise.all(jobs.map((job) => ingest.start(job)));
    await Promise.all(handles.map((h) => h.result()));
    return Promise.all(handles.map(childIds));
  });

  for (const [i, job] of jobs.entries()) {
    const key = destinationKey(job.outputDir, job.destination);
    expect(ids[i].sort()).toEqual(site.pages.map((p) => pageWorkflowId(site.url, key, p.id, 1)).sort());
  }
  expect(ids[0].filter((id) => ids[1].includes(id))).toEqual([]);
  expect(jobs[0].outputDir).toBe(jobs[1].outputDir);
});
