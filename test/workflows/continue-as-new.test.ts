// confluenceIngestWorkflow across continue-as-new, with every activity stubbed: the server suggests continuing after a
// few dozen events, so a 34-page ingest runs as a chain of short runs that carry the listing position and the counters.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IngestHandle } from '../../src/client';
import { emptyProgress } from '../../src/pipeline/progress';
import type { confluenceIngestWorkflow, IngestState } from '../../src/pipeline/workflows/ingest';
import { type FakeSite, fakeJob, fakeSite } from '../support/stubActivities';
import { startWorkflowEnv, stubbedIngest } from '../support/workflowEnv';

const SUGGEST_CONTINUE_AFTER_EVENTS = 60;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startWorkflowEnv([
    '--dynamic-config-value',
    `limit.historyCount.suggestContinueAsNew=${SUGGEST_CONTINUE_AFTER_EVENTS}`,
  ]);
});
afterAll(() => env?.teardown());

/** The chain's first run id, and each run's history length, first to last (following continued-as-new events). */
async function runsOf(handle: IngestHandle): Promise<{ firstRunId: string; lengths: number[] }> {
  const latest = await handle.fetchHistory();
  const firstRunId = latest.events![0].workflowExecutionStartedEventAttributes!.firstExecutionRunId!;
  const lengths: number[] = [];
  for (let runId: string | undefined = firstRunId; runId; ) {
    const events: temporal.api.history.v1.IHistoryEvent[] =
      (await env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory()).events ?? [];
    lengths.push(events.length);
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return { firstRunId, lengths };
}

it('continues-as-new with its listing position and counters: every page once, no listing request twice', async () => {
  const site = fakeSite({ ENG: 14, OPS: 9, HR: 11 });
  const unchanged = [site.pages[1].id, site.pages.at(-1)!.id];
  const ingest = await stubbedIngest(env, { site, unchanged });
  const job = fakeJob(site, `/stub/continue-as-new-${randomUUID()}`, { pageSize: 4, maxInFlight: 3 });

  const { result, runs, firstRunId } = await ingest.run(async () => {
    const handle = await ingest.start(job);
    const result = await handle.result();
    const { firstRunId, lengths } = await runsOf(handle);
    return { result, runs: lengths, firstRunId };
  });

  expect(result.continuedAsNew).toBeGreaterThanOrEqual(2);
  expect(runs).toHaveLength(result.continuedAsNew + 1);
  // Each run stops soon after the suggestion: it drains its window (at most maxInFlight pages) and continues.
  expect(Math.max(...runs)).toBeLessThan(2 * SUGGEST_CONTINUE_AFTER_EVENTS);
  expect(result).toMatchObject({ listed: 34, done: 32, skipped: 2, failed: 0, inFlight: 0, finished: true });
  expect(result.spaces.map((s) => [s.key, s.listed, s.done, s.skipped, s.listingDone])).toEqual([
    ['ENG', 14, 13, 1, true],
    ['OPS', 9, 9, 0, true],
    ['HR', 11, 10, 1, true],
  ]);

  // Every new page ingested exactly once, and each API page of refs asked for once: no run starts the listing over.
  expect([...ingest.record.downloads].sort()).toEqual(
    site.pages
      .map((p) => p.id)
      .filter((id) => !unchanged.includes(id))
      .sort(),
  );
  const requests = ingest.record
    .inputsOf('listContent')
    .map((i) => `${i.source.kind === 'space' ? i.source.space.key : i.source.kind}@${i.cursor ?? 0}`);
  expect(requests).toEqual(['ENG@0', 'ENG@4', 'ENG@8', 'ENG@12', 'OPS@0', 'OPS@4', 'OPS@8', 'HR@0', 'HR@4', 'HR@8']);
  // One enumeration across the chain: the checkpoint's generation is the first run's, and input is validated once.
  expect(new Set(ingest.record.inputsOf('classifyPages').map((i) => i.generation))).toEqual(new Set([firstRunId]));
  expect(ingest.record.inputsOf('validateInput')).toHaveLength(1);
  expect(ingest.record.missingAsked).toEqual(['ENG', 'OPS', 'HR']);
  expect(ingest.record.reports).toHaveLength(1);
  expect(ingest.record.reports[0]).toMatchObject({
    listed: 34,
    done: 32,
    skipped: 2,
    continuedAsNew: result.continuedAsNew,
    startedAt: result.startedAt,
  });
});

/**
 * What a run hands the next one when it continues-as-new at the start of the site's first space, with any version
 * field.
 */
function carriedState(site: FakeSite, version: Record<string, unknown>): IngestState {
  return {
    ...version,
    sources: [{ kind: 'space', space: site.spaces[0], type: 'page' }],
    sourceIndex: 0,
    listing: { taken: 0, exhausted: false, capped: false, pending: [] },
    cappedSpaces: [],
    progress: { ...emptyProgress('2026-01-01T00:00:00.000Z'), continuedAsNew: 1 },
  } as unknown as IngestState;
}

it('resumes a carried state from before stateVersion existed, and refuses a version it does not know', async () => {
  const site = fakeSite({ ENG: 3 });
  const ingest = await stubbedIngest(env, { site });
  const job = fakeJob(site, `/stub/state-version-${randomUUID()}`);
  const startResumed = (state: IngestState) =>
    env.client.workflow.start<typeof confluenceIngestWorkflow>('confluenceIngestWorkflow', {
      taskQueue: ingest.taskQueue,
      workflowId: `state-version-${randomUUID()}`,
      args: [job, state],
    });

  const { unversioned, newer } = await ingest.run(async () => {
    const unversioned = await (await startResumed(carriedState(site, {}))).result();
    const newer = await (await startResumed(carriedState(site, { stateVersion: 2 }))).result().then(
      () => undefined,
      (err: unknown) => err,
    );
    return { unversioned, newer };
  });

  expect(unversioned).toMatchObject({ listed: 3, done: 3, continuedAsNew: 1, finished: true });
  expect(newer).toBeInstanceOf(WorkflowFailedError);
  const cause = (newer as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect(cause).toMatchObject({ type: 'UnknownIngestStateVersion', nonRetryable: true });
  expect((cause as ApplicationFailure).message).toMatch(
    /carried state has version 2, and this worker knows only version 1/,
  );
  // Refused before any work: the stubs saw only the first run's calls.
  expect(ingest.record.inputsOf('listContent')).toHaveLength(1);
});
