// The OpenSearch destination: one document per element in one index. A page version replaces exactly its own
// documents: the new ones are indexed (same element, same id), the index refreshed, then the page's documents that
// are no longer among them deleted, so a reader sees the old version, both, or the new one, never none. OpenSearch
// has no transactions: the checkpoint records a page only once the cluster has acknowledged all of this, and a crash
// in between leaves a page the next run writes again.
import { StoreError } from '../../core/storeError';
import type { DocumentRecord } from '../../core/document';
import type { Element } from '../../core/elements';
import type { PermissionsPatch } from '../permissionsPatch';
import type { RecordPage, RecordPermissions, StoredDocument, Uploader } from '../uploader';
import { bulkIndex } from './bulk';
import { elementDocument, storedOf } from './documents';
import { OpenSearchHttp, reasonOf } from './http';
import { indexBody, type IndexLayout, layoutOf } from './mapping';

/** What the job will write, checked against the index before any page is fetched. */
export interface IndexExpectations {
  embeddingDimensions?: number;
  embeddingModel?: string;
}

export interface IndexOptions {
  /** First wait before bulk items the cluster could not take are sent again. */
  retryDelayMs?: number;
}

interface ByQueryReply {
  failures?: Array<{ cause?: { type?: string; reason?: string } }>;
}

/** Sets (or, with params.p null, removes) permissions_data beside the element and in its data_source. */
const PERMISSIONS_SCRIPT = `
def source = ctx._source;
def dataSource = source.metadata?.data_source;
if (params.p == null) { source.remove('permissions_data'); if (dataSource != null) dataSource.remove('permissions_data'); }
else { source.permissions_data = params.p; if (dataSource != null) dataSource.permissions_data = params.p; }
def locator = dataSource?.record_locator;
if (locator != null) { if (params.capped) locator.permissions_capped = true; else locator.remove('permissions_capped'); }`;

export class OpenSearchIndex implements Uploader {
  private readonly http: OpenSearchHttp;
  private readonly retryDelayMs: number;

  /** `url` may hold the user and password: they stay in the client, never in a message. */
  constructor(
    url: string,
    readonly index: string,
    options: IndexOptions = {},
  ) {
    this.http = new OpenSearchHttp(url);
    this.retryDelayMs = options.retryDelayMs ?? 500;
  }

  describe(): string {
    return `index ${this.index} at ${this.http.display}`;
  }

  /** What the index maps, or a one-line DestinationError naming `opensearch init` when it does not exist. */
  async inspect(): Promise<IndexLayout> {
    const reply = await this.http.request<Record<string, { mappings?: object }>>(
      'GET',
      `/${this.index}/_mapping`,
      undefined,
      [404],
    );
    if (reply.status === 404)
      throw new StoreError(
        'destination',
        `${this.describe()} does not exist: create it with \`durable-ingest opensearch init --opensearch-url <url> --index ${this.index} --dimensions <n>\`, or fix --index`,
      );
    const [mappings] = Object.values(reply.body).map((entry) => entry.mappings);
    return layoutOf(mappings);
  }

  /** Refuses, with one line naming the fix, an index the job cannot write as it would expect. */
  async check({ embeddingDimensions, embeddingModel }: IndexExpectations): Promise<void> {
    const layout = await this.inspect();
    if (!layout.recordIdIsKeyword)
      throw new StoreError(
        'destination',
        `${this.describe()} does not map record_id as a keyword, so a page's documents cannot be replaced: point --index at an index made by \`durable-ingest opensearch init\``,
      );
    const model = embeddingModel ?? 'the embedding model';
    if (layout.knnDimensions !== undefined && embeddingDimensions === undefined)
      throw new StoreError(
        'destination',
        `${this.describe()} holds vectors (knn_vector of ${layout.knnDimensions}) and the job embeds nothing: give --embedding-provider`,
      );
    if (layout.knnDimensions !== undefined && embeddingDimensions !== layout.knnDimensions)
      throw new StoreError(
        'destination',
        `${this.describe()} holds vectors of ${layout.knnDimensions} dimensions and ${model} gives ${embeddingDimensions}: ` +
          `use a model of ${layout.knnDimensions} dimensions, or an index made by \`durable-ingest opensearch init --dimensions ${embeddingDimensions}\``,
      );
  }

  /** Creates the index; false when it exists already (left as it is). */
  async create(knnDimensions?: number): Promise<boolean> {
    const reply = await this.http.request<{ error?: { type?: string } }>(
      'PUT',
      `/${this.index}`,
      indexBody({ knnDimensions }),
      [400],
    );
    if (reply.status === 200) return true;
    if (reply.body.error?.type === 'resource_already_exists_exception') return false;
    throw new StoreError('destination', `${this.describe()} could not be created: ${reasonOf(reply.body)}`);
  }

  /** True when the cluster has the k-NN plugin (knn_vector fields). */
  async hasKnn(): Promise<boolean> {
    const { body } = await this.http.request<Array<{ component: string }>>('GET', '/_cat/plugins?format=json');
    return body.some((plugin) => plugin.component === 'opensearch-knn');
  }

  async write(document: DocumentRecord, elements: Element[]): Promise<StoredDocument> {
    const stored = storedOf(document, elements);
    await this.replace(stored.location, elements);
    return stored;
  }

  /** The page's documents first, acknowledged and the new ones visible; the record after. */
  async writePage(document: DocumentRecord, elements: Element[], record: RecordPage): Promise<StoredDocument> {
    const stored = await this.write(document, elements);
    await record(stored);
    return stored;
  }

  /** The documents' permissions rewritten in place and visible, then the record. */
  async rewritePermissions(locations: string[], patch: PermissionsPatch, record: RecordPermissions): Promise<void> {
    if (locations.length > 0) {
      await this.byQuery('_update_by_query', {
        query: { terms: { record_id: locations } },
        script: {
          lang: 'painless',
          source: PERMISSIONS_SCRIPT,
          params: { p: patch.permissionsData ?? null, capped: patch.capped },
        },
      });
    }
    await record();
  }

  async remove(locations: string[]): Promise<void> {
    if (locations.length === 0) return;
    await this.byQuery('_delete_by_query', { query: { terms: { record_id: locations } } });
  }

  private async replace(recordId: string, elements: Element[]): Promise<void> {
    const documents = elements.map((element) => elementDocument(element, recordId));
    await bulkIndex(this.http, this.index, documents, { retryDelayMs: this.retryDelayMs });
    // The one refresh of a page write, on every shard: the new documents become visible before any delete below can,
    // and whatever an earlier try indexed becomes visible to the delete, which sees only what is refreshed. The
    // deletes are not refreshed: the index's own refresh shows them (each forced refresh reopens the shards'
    // searchers, which many pages written at once pay for), and until then a reader sees both versions, never none.
    await this.http.request('POST', `/${this.index}/_refresh`);
    await this.byQuery(
      '_delete_by_query',
      {
        query: {
          bool: {
            filter: [{ term: { record_id: recordId } }],
            must_not: documents.length > 0 ? [{ ids: { values: documents.map((d) => d.id) } }] : [],
          },
        },
      },
      { refresh: false },
    );
  }

  /**
   * A by-query call, by default refreshed when done; a failure on any document fails the call (the step retries it).
   * A delete passes over a document re-indexed meanwhile (it belongs to the newer write); a permissions update does
   * not.
   */
  private async byQuery(
    action: '_delete_by_query' | '_update_by_query',
    body: object,
    { refresh = true } = {},
  ): Promise<void> {
    const conflicts = action === '_delete_by_query' ? '&conflicts=proceed' : '';
    const { body: reply } = await this.http.request<ByQueryReply>(
      'POST',
      `/${this.index}/${action}?refresh=${refresh}${conflicts}`,
      body,
    );
    const failure = reply.failures?.[0];
    if (failure)
      throw new StoreError(
        'destination',
        `${this.describe()} failed ${action} on ${reply.failures?.length} documents (${reasonOf({ error: failure.cause })}); it is retried`,
        { transient: true },
      );
  }
}
