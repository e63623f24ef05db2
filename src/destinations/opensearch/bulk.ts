// _bulk as the destination needs it: a page's documents in requests of bounded size; an item the cluster could not
// take for now (429, 5xx: a full queue, a shard moving) is sent again alone with the others like it, and an item it
// refused (a mapping conflict) fails the write naming that element, so nothing is recorded for a page half indexed.
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../../core/storeError';
import type { IndexedElement } from './documents';
import { type OpenSearchHttp, reasonOf } from './http';

const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
const ITEM_ATTEMPTS = 5;

interface BulkItem {
  index?: { _id: string; status: number; error?: { type?: string; reason?: string } };
}

interface BulkReply {
  errors: boolean;
  items: BulkItem[];
}

export interface BulkOptions {
  /** First wait before items are sent again; doubled each time. */
  retryDelayMs: number;
}

interface Refusal {
  elementId: string;
  reason: string;
}

/** Indexes every document or throws: transient when only retryable items were left, else naming the refused ones. */
export async function bulkIndex(
  http: OpenSearchHttp,
  index: string,
  documents: IndexedElement[],
  { retryDelayMs }: BulkOptions,
): Promise<void> {
  let pending = documents;
  const refused: Refusal[] = [];
  for (let attempt = 1; pending.length > 0; attempt++) {
    const retry: IndexedElement[] = [];
    for (const batch of batches(pending)) {
      const { body } = await http.request<BulkReply>('POST', `/${index}/_bulk`, ndjson(batch));
      if (!body.errors) continue;
      body.items.forEach((item, i) => {
        const status = item.index?.status ?? 500;
        if (status < 300) return;
        if (status === 429 || status >= 500) retry.push(batch[i]);
        else refused.push({ elementId: String(batch[i].source.element_id), reason: reasonOf(item.index) });
      });
    }
    if (refused.length > 0) throw refusal(http, index, refused, documents.length);
    if (retry.length > 0 && attempt >= ITEM_ATTEMPTS)
      throw new StoreError(
        'destination',
        `index ${index} at ${http.display} could not take ${retry.length} of ${documents.length} elements after ${ITEM_ATTEMPTS} tries (element ${retry[0].source.element_id}); it is retried`,
        { transient: true },
      );
    if (retry.length > 0) await sleep(retryDelayMs * 2 ** (attempt - 1));
    pending = retry;
  }
}

function refusal(http: OpenSearchHttp, index: string, refused: Refusal[], total: number): StoreError {
  const named = refused
    .slice(0, 3)
    .map((r) => `element ${r.elementId} (${r.reason})`)
    .join(', ');
  return new StoreError(
    'destination',
    `index ${index} at ${http.display} refused ${refused.length} of ${total} elements: ${named}; ` +
      'use an index made by `durable-ingest opensearch init`, or fix its mapping',
  );
}

function ndjson(batch: IndexedElement[]): string {
  return batch
    .map(({ id, source }) => `${JSON.stringify({ index: { _id: id } })}\n${JSON.stringify(source)}\n`)
    .join('');
}

/** Requests under the size a cluster takes by default (http.max_content_length is 100 MB), one document at least. */
function* batches(documents: IndexedElement[]): Generator<IndexedElement[]> {
  let batch: IndexedElement[] = [];
  let bytes = 0;
  for (const document of documents) {
    const size = JSON.stringify(document.source).length;
    if (batch.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(document);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
