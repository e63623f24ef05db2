// A run stops at the first failure no other page can escape (credentials revoked mid-run, disk full): no page starts
// after it, none is counted failed on its account, the report records the cause, and the run fails with one line
// naming it and what was kept. Activities stubbed (test/support/stubActivities.ts): seconds, not minutes.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RUN_STOPPED } from '../../src/pipeline/runStops';
import { fakeJob, fakeSite } from '../support/stubActivities';
import { startWorkflowEnv, stubbedIngest } from '../support/workflowEnv';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startWorkflowEnv();
});
afterAll(() => env?.teardown());

const REVOKED = 'https://stub.atlassian.net rejected the credentials of user stub@example.com (401); check --api-token';

async function failureOf(result: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

it('credentials revoked while pages download: no page starts after, none counts failed, and the run fails naming the cause', async () => {
  const site = fakeSite({ ENG: 30, OPS: 30 });
  const ingest = await stubbedIngest(env, { site, pageMs: 20, refusedAfterDownloads: 12 });
  const job = fakeJob(site, `/stub/revoked-${randomUUID()}`, { maxInFlight: 4, pageSize: 10 });

  const failure = await ingest.run(async () => failureOf((await ingest.start(job)).result()));

  expect(failure.type).toBe(RUN_STOPPED);
  const { done } = ingest.record.reports[0];
  expect(failure.message).toBe(
    `the run stopped: ${REVOKED}. ${done} pages are written and recorded; a re-run continues from there`,
  );
  expect(done).toBe(12);
  // Once refused, at most the pages already in the window try once more each (the stubs refuse them at once).
  const attempts = ingest.record.calls.filter((c) => c.name === 'downloadPage').length;
  expect(attempts).toBeLessThanOrEqual(12 + job.maxInFlight);
  expect(ingest.record.reports).toHaveLength(1);
  expect(ingest.record.reports[0]).toMatchObject({
    failed: 0,
    failures: [],
    finished: false,
    stopped: { type: 'ConfluenceAuth', reason: REVOKED },
  });
});

it('credentials revoked between two listings: the next listing stops the run, not just its space', async () => {
  const site = fakeSite({ ENG: 5, OPS: 5, DOC: 5 });
  const ingest = await stubbedIngest(env, { site, refusedAfterDownloads: 5 });
  const job = fakeJob(site, `/stub/revoked-listing-${randomUUID()}`, { maxInFlight: 1, pageSize: 5 });

  const failure = await ingest.run(async () => failureOf((await ingest.start(job)).result()));

  expect(failure.type).toBe(RUN_STOPPED);
  expect(failure.message).toContain(REVOKED);
  expect(ingest.record.reports[0].spaces.filter((s) => s.listingError)).toEqual([]);
  expect(
    ingest.record.inputsOf('listContent').map((i) => (i.source.kind === 'space' ? i.source.space.key : '')),
  ).toEqual(['ENG', 'OPS']);
  expect(ingest.record.reports[0]).toMatchObject({ done: 5, failed: 0, stopped: { type: 'ConfluenceAuth' } });
});

it('a 403 on a page it had just listed (the account lost the site) stops the run the same way', async () => {
  const site = fakeSite({ ENG: 20 });
  const ingest = await stubbedIngest(env, {
    site,
    pageMs: 20,
    refusedAfterDownloads: 6,
    refusedAs: 'ConfluenceForbidden',
  });
  const job = fakeJob(site, `/stub/forbidden-${randomUUID()}`, { maxInFlight: 2, pageSize: 20 });

  const failure = await ingest.run(async () => failureOf((await ingest.start(job)).result()));

  expect(failure.type).toBe(RUN_STOPPED);
  expect(failure.message).toMatch(
    /^the run stopped: user stub@example\.com is not permitted to .*\(403\).*\. 6 pages are written and recorded; a re-run continues from there$/,
  );
  expect(ingest.record.calls.filter((c) => c.name === 'downloadPage').length).toBeLessThanOrEqual(6 + job.maxInFlight);
  expect(ingest.record.reports[0]).toMatchObject({ done: 6, failed: 0, stopped: { type: 'ConfluenceForbidden' } });
});

it('--delete-missing past --max-delete: the run stops (nothing deleted), with its report and one line naming why', async () => {
  const site = fakeSite({ ENG: 5, OPS: 5 });
  const ingest = await stubbedIngest(env, { site, tooManyMissing: ['ENG'] });
  const job = fakeJob(site, `/stub/mass-${randomUUID()}`, { deleteMissing: true });

  const failure = await ingest.run(async () => failureOf((await ingest.start(job)).result()));

  expect(failure.type).toBe(RUN_STOPPED);
  expect(failure.message).toMatch(
    /^the run stopped: --delete-missing would remove 9 of the 10 recorded pages of space ENG/,
  );
  expect(failure.message).toContain('run again with --max-delete 100%');
  expect(ingest.record.reports[0].stopped).toMatchObject({ type: 'MassDeletion' });
});

it('a space the site no longer lists at all is asked for its missing pages, as a listed one is', async () => {
  const site = fakeSite({ ENG: 3 });
  const ingest = await stubbedIngest(env, { site, recordedSpaces: ['ENG', 'GONE'] });
  const job = fakeJob(site, `/stub/vanished-${randomUUID()}`);

  await ingest.run(async () => (await ingest.start(job)).result());

  expect(ingest.record.missingAsked).toEqual(['ENG', 'GONE']);
});
