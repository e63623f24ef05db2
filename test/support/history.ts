// Everything a Temporal server stored about the workflows of a namespace, as text, payload bytes decoded.
import type { Client } from '@temporalio/client';

function flatten(value: unknown, out: string[]): void {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (Array.isArray(value)) for (const v of value) flatten(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) flatten(v, out);
  else if (value !== undefined && value !== null) out.push(String(value));
}

export async function allHistoriesText(client: Client): Promise<{ workflows: number; text: string }> {
  const out: string[] = [];
  let workflows = 0;
  for await (const info of client.workflow.list()) {
    const history = await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory();
    flatten(history, out);
    workflows++;
  }
  return { workflows, text: out.join('\n') };
}
