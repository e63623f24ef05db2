// Everything a Temporal server stored about the workflows of a namespace, as text, payload bytes decoded.
import type { Client } from '@temporalio/client';

function flatten(value: unknown, out: string[]): void {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (Array.isArray(value)) for (const v of value) flatten(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) flatten(v, out);
  else if (value !== undefined && value !== null) out.push(String(value));
}

/**
 * Every execution of the namespace, read raw: the SDK's list() decodes each run's memo, which a client without the
 * payload key cannot (an ingest's memo is encrypted like its other payloads).
 */
export async function* allExecutions(client: Client): AsyncGenerator<{ workflowId: string; runId: string }> {
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.listWorkflowExecutions({
      namespace: client.options.namespace,
      nextPageToken,
    });
    for (const e of page.executions ?? []) yield { workflowId: e.execution!.workflowId!, runId: e.execution!.runId! };
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
}

export async function allHistoriesText(client: Client): Promise<{ workflows: number; text: string }> {
  const out: string[] = [];
  let workflows = 0;
  for await (const info of allExecutions(client)) {
    const history = await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory();
    flatten(history, out);
    workflows++;
  }
  return { workflows, text: out.join('\n') };
}
