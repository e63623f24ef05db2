// Start, follow and await ingests from code (the CLI is one such caller).
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  type WorkflowHandle,
} from '@temporalio/client';
import { shortHash } from './core/ids';
import { describeDestination, destinationKey } from './destinations/identity';
import { DEFAULT_TASK_QUEUE, type IngestInput } from './pipeline/config';
import type { IngestProgress } from './pipeline/progress';
import type { confluenceIngestWorkflow } from './pipeline/workflows';
import { progressQuery } from './pipeline/workflows/ingest';
import { isTemporalUnreachable } from './temporal/reach';

export type IngestHandle = WorkflowHandle<typeof confluenceIngestWorkflow>;

/**
 * One writer per destination: an ingest's workflow id is its destination's, so two ingests can never write the same
 * output at once (Temporal starts one workflow per id). Which job holds it is in the run's memo.
 */
export function ingestWorkflowId(input: IngestInput): string {
  return `confluence-ingest-${shortHash(destinationKey(input.outputDir, input.destination))}`;
}

/** The same site and selection into the same destination: starting it again attaches to the run in progress. */
function jobKey(input: IngestInput): string {
  return shortHash(
    JSON.stringify([input.site.url, input.selection, destinationKey(input.outputDir, input.destination)]),
  );
}

/** Another ingest writes the destination: the message names it and says what to do. */
export class DestinationBusyError extends Error {
  override name = 'DestinationBusyError';
}

export interface StartOptions {
  taskQueue?: string;
  /** When another ingest writes the destination, wait for it to end instead of refusing. */
  waitForLease?: boolean;
  /** Told once when the start waits for another ingest. */
  onWait?: (holder: string) => void;
}

export async function startIngest(
  client: Client,
  input: IngestInput,
  { taskQueue = DEFAULT_TASK_QUEUE, waitForLease = false, onWait }: StartOptions = {},
): Promise<IngestHandle> {
  const workflowId = ingestWorkflowId(input);
  const key = jobKey(input);
  for (;;) {
    try {
      return await client.workflow.start<typeof confluenceIngestWorkflow>('confluenceIngestWorkflow', {
        taskQueue,
        workflowId,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        memo: { job: key, site: input.site.url },
        args: [input],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    const running: IngestHandle = client.workflow.getHandle(workflowId);
    const { memo, runId, startTime, status } = await running.describe();
    if (status.name !== 'RUNNING') continue; // it ended between our start and this look
    if (memo?.job === key) return running;
    const holder = `ingest ${workflowId} (run ${runId}, site ${String(memo?.site ?? '?')}, started ${startTime.toISOString()})`;
    if (!waitForLease) {
      throw new DestinationBusyError(
        `${describeDestination(input.outputDir, input.destination)} is being written by ${holder}; wait for it to end, or pass --wait-for-lease to start after it`,
      );
    }
    onWait?.(holder);
    await running.result().catch(() => undefined);
  }
}

export async function queryProgress(handle: IngestHandle): Promise<IngestProgress> {
  return handle.query(progressQuery);
}

/** How long following a run waits for its Temporal server to come back (a restart, a failover) before giving up. */
export const RECONNECT_WITHIN_MS = 60_000;

/**
 * Awaits the result, calling onProgress with the latest progress every intervalMs. A server that goes away is waited
 * for up to reconnectWithinMs since it last answered (the run itself goes on there either way).
 */
export async function followIngest(
  handle: IngestHandle,
  onProgress: (progress: IngestProgress) => void,
  { intervalMs = 500, reconnectWithinMs = RECONNECT_WITHIN_MS } = {},
): Promise<IngestProgress> {
  let answeredAt = Date.now();
  // Ends the poller's wait at once when the result is in: a run's end is not held up by a sleeping poll.
  const finished = new AbortController();
  // A loop, not an interval: no query may still be in flight once the caller closes the connection.
  const poller = (async () => {
    while (!finished.signal.aborted) {
      const woke = await sleep(intervalMs, true, { signal: finished.signal }).catch(() => false);
      if (!woke) break;
      const progress = await queryProgress(handle).catch(() => undefined);
      if (progress) {
        answeredAt = Date.now();
        onProgress(progress);
      }
    }
  })();
  try {
    for (;;) {
      try {
        const result = await handle.result();
        onProgress(result);
        return result;
      } catch (err) {
        if (!isTemporalUnreachable(err) || Date.now() - answeredAt > reconnectWithinMs) throw err;
        await sleep(1000);
      }
    }
  } finally {
    finished.abort();
    await poller;
  }
}
