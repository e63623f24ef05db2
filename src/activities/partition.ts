// The partition step: page HTML from the work dir -> Unstructured elements carrying the page's data_source, chunked
// when the job asks (chunking is CPU work of the same kind, so it shares the step and its task queue).
// Local (our HTML partitioner) or, with --partition-by-api, Unstructured's partition endpoint.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { IngestInput } from '../config';
import type { PageRef } from '../confluence/types';
import type { DataSourceMetadata, Element, PermissionsData } from '../partition/elements';
import { partitionHtml } from '../partition/html';
import { partitionViaApi, type PartitionFile } from '../partition/api';
import { chunkElements, type ChunkingConfig } from '../chunking';
import type { ActivityDeps } from './deps';
import { writeStepOutput, type StepOutput } from './elementFiles';

export interface PartitionPageInput {
  job: IngestInput;
  htmlPath: string;
  ref: PageRef;
  permissionsData?: PermissionsData;
  /** The permission lists were cut at --max-num-metadata-permissions: the document says so in its record_locator. */
  permissionsCapped?: boolean;
}

export function pageDataSource(ref: PageRef, processedAt: Date, permissionsData?: PermissionsData, permissionsCapped = false): DataSourceMetadata {
  return {
    url: ref.url,
    version: String(ref.version),
    record_locator: { space_id: ref.spaceKey, document_id: ref.id, ...(permissionsCapped ? { permissions_capped: true } : {}) },
    date_created: ref.createdAt,
    date_modified: ref.modifiedAt,
    date_processed: processedAt.toISOString(),
    ...(permissionsData ? { permissions_data: permissionsData } : {}),
  };
}

export function withDataSource(elements: Element[], dataSource: DataSourceMetadata): Element[] {
  return elements.map((el) => ({ ...el, metadata: { ...el.metadata, data_source: dataSource } }));
}

/** Chunks when the job has a chunking config; the elements unchanged otherwise. */
export function chunkedIfAsked(elements: Element[], chunking: ChunkingConfig | undefined): Element[] {
  return chunking ? chunkElements(elements, chunking) : elements;
}

/** --partition-by-api: the document goes to Unstructured's endpoint with the worker's own key. */
export function partitionWithApi(deps: ActivityDeps, job: IngestInput, file: PartitionFile): Promise<Element[]> {
  const apiKey = deps.secretsFor(job.site).unstructuredApiKey;
  if (!job.partitionByApi) throw new Error('partitionWithApi called without --partition-by-api');
  if (!apiKey) throw new Error('--partition-by-api is set but this worker has no Unstructured API key: set UNSTRUCTURED_API_KEY for the worker');
  return partitionViaApi(file, { ...job.partitionByApi, apiKey });
}

export function partitionActivities(deps: ActivityDeps) {
  async function partition(job: IngestInput, htmlPath: string, ref: PageRef): Promise<Element[]> {
    const filename = `${ref.id}.html`;
    if (job.partitionByApi) return partitionWithApi(deps, job, { path: htmlPath, filename, contentType: 'text/html' });
    const html = await readFile(htmlPath, 'utf8');
    return partitionHtml(html, { filename, fileDirectory: path.dirname(htmlPath), lastModified: ref.modifiedAt, url: ref.url });
  }

  return {
    async partitionPage({ job, htmlPath, ref, permissionsData, permissionsCapped }: PartitionPageInput): Promise<StepOutput> {
      const elements = withDataSource(await partition(job, htmlPath, ref), pageDataSource(ref, new Date(), permissionsData, permissionsCapped));
      return writeStepOutput(htmlPath, 'elements', chunkedIfAsked(elements, job.chunking));
    },
  };
}
