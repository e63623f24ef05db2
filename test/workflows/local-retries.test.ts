// A page's steps are local activities. Their retries must wait on workflow timers: the SDK core (1.24) retrying one
// in-process keeps each earlier attempt's start-to-close timer running, so a later attempt that runs past the first
// attempt's deadline is declared timed out and cancelled under way (and once the worker has shut down, that timer
// panics: "local_activities.rs: receive half not dropped"). See LOCAL_RETRY_THRESHOLD in
// src/pipeline/workflows/steps.ts.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fakeJob, fakeSite } from '../support/stubActivities';
import { startWorkflowEnv, stubbedIngest } from '../support/workflowEnv';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startWorkflowEnv();
});
afterAll(() => env?.teardown());

it("a download that succeeds on its third attempt, past the first attempt's deadline, is neither timed out nor cancelled", async () => {
  const site = fakeSite({ ENG: 1 });
  const [page] = site.pages;
  // Attempts at about 0 s and 1 s fail at once; the third starts at about 3 s and takes 2.5 s, within its own 3 s but
  // past the first attempt's deadline (3 s) and the second's (4 s).
  const ingest = await stubbedIngest(env, { site, flaky: { [page.id]: 2 }, pageMs: 2500 });
  const job = fakeJob(site, `/stub/local-retries-${randomUUID()}`, { activityTimeoutSeconds: 3 });

  const result = await ingest.run(async () => (await ingest.start(job)).result());

  expect(result).toMatchObject({ done: 1, failed: 0 });
  expect(ingest.record.cancelledDownloads).toEqual([]);
  expect(ingest.record.downloads).toEqual([page.id, page.id, page.id]);
});
