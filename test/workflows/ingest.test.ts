// confluenceIngestWorkflow's own logic, with every activity stubbed (test/support/stubActivities.ts): the sliding
// window,
// the per-space cap, a failing page, and cancellation. Seconds, not minutes: no Confluence, no partitioning, no files.
import { randomUUID } from 'node:crypto';
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryProgress } from '../../src/client';
import { pageWorkflowId } from '../../src/core/ids';
import { destinationKey } from '../../src/destinations/identity';
import { fakeJob, fakeSite } from '../support/stubActivities';
import { until } from '../support/until';
import { startWorkflowEnv, stubbedIngest } from '../support/workflowEnv';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startWorkflowEnv();
});
afterAll(() => env?.teardown());

/** A directory name no other test uses: it keys the ingest's and its pages' workflow ids (the stubs write nothing). */
const dirFor = (name: string) => `/stub/${name}-${randomUUID()}`;

/** The most child workflows the parent's history ever had started and not yet ended. */
function mostChildrenAtOnce(history: temporal.api.history.v1.IHistory): number {
  let open = 0;
  let most = 0;
  for (const e of history.events ?? []) {
    if (e.startChildWorkflowExecutionInitiatedEventAttributes) most = Math.max(most, ++open);
    const ended =
      e.childWorkflowExecutionCompletedEventAttributes ??
      e.childWorkflowExecutionFailedEventAttributes ??
      e.childWorkflowExecutionCanceledEventAttributes ??
      e.childWorkflowExecutionTerminatedEventAttributes ??
      e.childWorkflowExecutionTimedOutEventAttributes ??
      e.startChildWorkflowExecutionFailedEventAttributes;
    if (ended) open--;
  }
  return most;
}

it('never runs more than maxInFlight page workflows at once, and keeps the window full', async () => {
  const site = fakeSite({ ENG: 12, OPS: 12 });
  const ingest = await stubbedIngest(env, { site, pageMs: 200 });
  const job = fakeJob(site, dirFor('window'), { maxInFlight: 3, pageSize: 5 });
  const inFlightSeen: number[] = [];

  const { result, history } = await ingest.run(async () => {
    const handle = await ingest.start(job);
    let finished = false;
    const polling = (async () => {
      while (!finished) {
        const progress = await queryProgress(handle).catch(() => undefined);
        if (progress) inFlightSeen.push(progress.inFlight);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const result = await handle.result().finally(() => (finished = true));
    await polling;
    return { result, history: await handle.fetchHistory() };
  });

  expect(result).toMatchObject({ listed: 24, done: 24, skipped: 0, failed: 0, inFlight: 0, finished: true });
  expect(mostChildrenAtOnce(history)).toBe(3);
  expect(ingest.record.maxInFlight).toBe(3);
  expect(inFlightSeen.length).toBeGreaterThan(0);
  expect(Math.max(...inFlightSeen)).toBeLessThanOrEqual(3);
  expect([...ingest.record.downloads].sort()).toEqual(site.pages.map((p) => p.id).sort());
});

it('takes at most maxNumOfDocsFromEachSpace pages of a space, and asks for missing pages only where it listed a space whole', async () => {
  const site = fakeSite({ ENG: 12, OPS: 3, HR: 7 });
  const ingest = await stubbedIngest(env, { site });
  const job = fakeJob(site, dirFor('cap'), { pageSize: 2, selection: { maxNumOfDocsFromEachSpace: 5 } });

  const result = await ingest.run(async () => (await ingest.start(job)).result());

  expect(result).toMatchObject({ listed: 13, done: 13, failed: 0, finished: true });
  expect(result.spaces.map((s) => [s.key, s.listed, s.done, s.listingDone])).toEqual([
    ['ENG', 5, 5, true],
    ['OPS', 3, 3, true],
    ['HR', 5, 5, true],
  ]);
  const firstOf = (key: string, n: number) =>
    site.pages
      .filter((p) => p.spaceKey === key)
      .slice(0, n)
      .map((p) => p.id);
  expect([...ingest.record.downloads].sort()).toEqual(
    [...firstOf('ENG', 5), ...firstOf('OPS', 3), ...firstOf('HR', 5)].sort(),
  );
  // The listing asks for no more refs than the cap leaves, and stops there.
  const limitsOf = (key: string) =>
    ingest.record
      .inputsOf('listContent')
      .filter((i) => i.source.kind === 'space' && i.source.space.key === key)
      .map((i) => i.limit);
  expect([limitsOf('ENG'), limitsOf('OPS'), limitsOf('HR')]).toEqual([
    [2, 2, 1],
    [2, 2],
    [2, 2, 1],
  ]);
  // Pages absent from a capped listing are not known to be gone.
  expect(ingest.record.missingAsked).toEqual(['OPS']);
});

it("hands the job's partition options (--drop-emoticons) to every page's partition step", async () => {
  const site = fakeSite({ ENG: 3 });
  const ingest = await stubbedIngest(env, { site });
  const job = fakeJob(site, dirFor('partition-options'), { partition: { dropEmoticons: true } });

  await ingest.run(async () => (await ingest.start(job)).result());

  expect(ingest.record.inputsOf('partitionPage').map((i) => i.options)).toEqual(
    [1, 2, 3].map(() => ({ dropEmoticons: true })),
  );
});

it('reports a failed page by id and reason, and finishes the other pages', async () => {
  const site = fakeSite({ ENG: 6 });
  const failing = site.pages[2];
  const reason = `page ${failing.id}: the body is not HTML`;
  const ingest = await stubbedIngest(env, { site, failPages: { [failing.id]: reason } });
  const job = fakeJob(site, dirFor('failure'), { maxInFlight: 2 });

  const result = await ingest.run(async () => (await ingest.start(job)).result());

  expect(result).toMatchObject({ listed: 6, done: 5, failed: 1, finished: true });
  expect(result.failures).toEqual([{ id: failing.id, title: failing.title, spaceKey: 'ENG', reason }]);
  expect(result.spaces).toEqual([expect.objectContaining({ key: 'ENG', done: 5, failed: 1 })]);
  expect([...ingest.record.uploads].sort()).toEqual(
    site.pages
      .filter((p) => p !== failing)
      .map((p) => p.id)
      .sort(),
  );
  expect(ingest.record.reports).toHaveLength(1);
  expect(ingest.record.reports[0]).toMatchObject({
    done: 5,
    failed: 1,
    failures: result.failures,
    listsTruncated: false,
  });
});

it('cancels: the ingest ends cancelled, its page workflows end with it, no other page starts, and the report says so', async () => {
  const site = fakeSite({ ENG: 20 });
  const ingest = await stubbedIngest(env, { site, hold: true });
  const job = fakeJob(site, dirFor('cancel'), { maxInFlight: 4 });

  const { failure, status, children } = await ingest.run(async () => {
    const handle = await ingest.start(job);
    await until(() => ingest.record.inFlight === 4, 'four pages downloading');
    expect((await queryProgress(handle)).inFlight).toBe(4);
    await handle.cancel();
    const failure = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    const status = (await handle.describe()).status.name;
    const pages = ingest.record.downloads.map((id) =>
      env.client.workflow.getHandle(pageWorkflowId(site.url, destinationKey(job.outputDir, job.destination), id, 1)),
    );
    const statuses = async () => Promise.all(pages.map(async (page) => (await page.describe()).status.name));
    await until(async () => (await statuses()).every((s) => s !== 'RUNNING'), 'the page workflows to end');
    const children = await statuses();
    // Let the downloads under way finish. No page can start after them: the parent is closed, and the worker's
    // shutdown at the end of run() lets the tasks under way end before the record is read.
    ingest.release();
    await until(() => ingest.record.inFlight === 0, 'the four released downloads to end', {
      lastSeen: () => ingest.record.inFlight,
    });
    return { failure, status, children };
  });

  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  expect(status).toBe('CANCELLED');
  expect(children).toHaveLength(4);
  expect(children.every((s) => s === 'CANCELLED' || s === 'TERMINATED')).toBe(true);
  expect(ingest.record.downloads).toHaveLength(4);
  // A page's steps are local activities: a page workflow ended by its parent's close learns of it only when its worker
  // completes the workflow task, so the four pages under way may still be written (atomically, as any page). No other.
  expect(ingest.record.uploads.filter((id) => !ingest.record.downloads.includes(id))).toEqual([]);
  // A cancelled run still sweeps temp files and leaves its report, marked cancelled.
  expect(ingest.record.calls.some((c) => c.name === 'sweepTempFiles')).toBe(true);
  expect(ingest.record.reports).toHaveLength(1);
  expect(ingest.record.reports[0]).toMatchObject({ cancelled: true, finished: false, listed: 20 });
});

it('reports a space it cannot list and finishes the others, asking for no missing pages of that space', async () => {
  const site = fakeSite({ ENG: 5, OPS: 5, DOC: 5 });
  const ingest = await stubbedIngest(env, {
    site,
    unlistable: { OPS: 'Confluence answered 403: no permission to list OPS' },
  });
  const { result } = await ingest.run(async () => ({
    result: await (await ingest.start(fakeJob(site, dirFor('unlistable')))).result(),
  }));

  expect(result.done).toBe(10);
  expect(result.failed).toBe(0);
  expect(result.spaces.find((s) => s.key === 'OPS')).toMatchObject({
    listingDone: true,
    listingError: 'Confluence answered 403: no permission to list OPS',
  });
  expect(result.spaces.filter((s) => s.listingError)).toHaveLength(1);
  expect(ingest.record.missingAsked.sort()).toEqual(['DOC', 'ENG']);
});

it('ingests a page the listing returned twice once, and counts it once', async () => {
  const site = fakeSite({ ENG: 6 });
  const ingest = await stubbedIngest(env, { site, listedTwice: ['1002', '1005'] });
  const { result } = await ingest.run(async () => ({
    result: await (await ingest.start(fakeJob(site, dirFor('twice')))).result(),
  }));

  expect(result).toMatchObject({ listed: 6, done: 6, failed: 0 });
  expect(ingest.record.downloads.filter((id) => id === '1002')).toHaveLength(1);
  expect(ingest.record.uploads.sort()).toEqual(['1001', '1002', '1003', '1004', '1005', '1006']);
});

it('fails a page that outlives --page-timeout by id, and frees its slot for the others', async () => {
  const site = fakeSite({ ENG: 4 });
  const ingest = await stubbedIngest(env, { site, stuck: ['1002'] });
  const job = fakeJob(site, dirFor('stuck'), { maxInFlight: 1, pageTimeoutSeconds: 2 });
  const { result } = await ingest.run(async () => ({ result: await (await ingest.start(job)).result() }));

  expect(result).toMatchObject({ listed: 4, done: 3, failed: 1 });
  expect(result.failures).toEqual([
    expect.objectContaining({ id: '1002', reason: expect.stringMatching(/timed out/i) }),
  ]);
});

it('starts a page again from its first step when a step finds its files on another worker', async () => {
  const site = fakeSite({ ENG: 3 });
  const ingest = await stubbedIngest(env, { site, movedOnce: ['1002'] });
  const { result } = await ingest.run(async () => ({
    result: await (await ingest.start(fakeJob(site, dirFor('moved')))).result(),
  }));

  expect(result).toMatchObject({ listed: 3, done: 3, failed: 0 });
  expect(ingest.record.downloads.filter((id) => id === '1002')).toHaveLength(2);
});
