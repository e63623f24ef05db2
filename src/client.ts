// Start, follow and await ingests from code (the CLI is one such caller).
import { type Client, WorkflowIdConflictPolicy, type WorkflowHandle } from '@temporalio/client';
import { shortHash } from './core/ids';
import { DEFAULT_TASK_QUEUE, type IngestInput } from './pipeline/config';
import type { IngestProgress } from './pipeline/progress';
import { progressQuery } from './pipeline/workflows/ingest';
import type { confluenceIngestWorkflow } from './pipeline/workflows';

export type IngestHandle = WorkflowHandle<typeof confluenceIngestWorkflow>;

/** The same site, selection and destination map to the same id, so starting again attaches to a run in progress. */
export function ingestWorkflowId(input: IngestInput): string {
  return `confluence-ingest-${shortHash(JSON.stringify([input.site.url, input.selection, input.outputDir]))}`;
}

export async function startIngest(client: Client, input: IngestInput, taskQueue = DEFAULT_TASK_QUEUE): Promise<IngestHandle> {
  return client.workflow.start<typeof confluenceIngestWorkflow>('confluenceIngestWorkflow', {
    taskQueue,
    workflowId: ingestWorkflowId(input),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [input],
  });
}

export async function queryProgress(handle: IngestHandle): Promise<IngestProgress> {
  return handle.query(progressQuery);
}

/** Awaits the result, calling onProgress with the latest progress every intervalMs. */
export async function followIngest(handle: IngestHandle, onProgress: (progress: IngestProgress) => void, intervalMs = 500): Promise<IngestProgress> {
  let finished = false;
  // A loop, not an interval: no query may still be in flight once the caller closes the connection.
  const poller = (async () => {
    while (!finished) {
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      if (!finished) await queryProgress(handle).then(onProgress, () => undefined);
    }
  })();
  try {
    const result = await handle.result();
    onProgress(result);
    return result;
  } finally {
    finished = true;
    await poller;
  }
}
