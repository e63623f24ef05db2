// The partition step: page HTML from the work dir -> Unstructured elements carrying the page's data_source, chunked
// when the job asks (chunking is CPU work of the same kind, so it shares the step and its task queue).
// Local (our HTML partitioner, in the worker's partition threads) or, with --partition-by-api, Unstructured's endpoint.
import path from 'node:path';
import type { IngestInput } from '../config';
import type { PageRef } from '../../connectors/confluence/client/types';
import type { DataSourceMetadata, Element, PermissionsData } from '../../steps/partition/elements';
import { writeDocumentElements } from '../../steps/partition/documentElements';
import { partitionViaApi, type PartitionFile } from '../../steps/partition/api';
import { PartitionPool } from '../../steps/partition/pool';
import type { ActivityDeps } from './deps';
import { stepOutputPath, type StepOutput } from './elementFiles';

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

/** --partition-by-api: the document goes to Unstructured's endpoint with the worker's own key. */
export function partitionWithApi(deps: ActivityDeps, job: IngestInput, file: PartitionFile): Promise<Element[]> {
  const apiKey = deps.secretsFor(job.site).unstructuredApiKey;
  if (!job.partitionByApi) throw new Error('partitionWithApi called without --partition-by-api');
  if (!apiKey) throw new Error('--partition-by-api is set but this worker has no Unstructured API key: set UNSTRUCTURED_API_KEY for the worker');
  return partitionViaApi(file, { ...job.partitionByApi, apiKey });
}

export function partitionActivities(deps: ActivityDeps) {
  const pool = new PartitionPool(deps.partitionThreads);
  return {
    async partitionPage({ job, htmlPath, ref, permissionsData, permissionsCapped }: PartitionPageInput): Promise<StepOutput> {
      const filename = `${ref.id}.html`;
      const dataSource = pageDataSource(ref, new Date(), permissionsData, permissionsCapped);
      const elementsPath = stepOutputPath(htmlPath, 'elements');
      if (job.partitionByApi) {
        const elements = await partitionWithApi(deps, job, { path: htmlPath, filename, contentType: 'text/html' });
        return { elementsPath, elementCount: await writeDocumentElements(elementsPath, elements, dataSource, job.chunking) };
      }
      const options = { filename, fileDirectory: path.dirname(htmlPath), lastModified: ref.modifiedAt, url: ref.url };
      return { elementsPath, elementCount: await pool.run({ htmlPath, elementsPath, options, dataSource, chunking: job.chunking }) };
    },
  };
}
