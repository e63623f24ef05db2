// The partition step: a document's content -> Unstructured elements carrying its data_source, chunked when the job
// asks (chunking is CPU work of the same kind, so it shares the step and its task queue). Local (in the worker's
// partition threads for pages) or, with --partition-by-api, Unstructured's endpoint with the worker's own key.
import type { DocumentRecord } from '../../core/document';
import type { Element } from '../../core/elements';
import { shortHash } from '../../core/ids';
import { resolveInside } from '../../core/safePath';
import type { ChunkingConfig } from '../../steps/chunk';
import { partitionViaApi } from '../../steps/partition/api';
import type { PartitionApiConfig } from '../../steps/partition/apiConfig';
import { partitionFile } from '../../steps/partition/file';
import type { Site } from '../config';
import type { ActivityDeps } from './deps';
import { stepOutputPath, type StepOutput } from './elementFiles';
import { writeDocumentElements } from './partitionTask';
import { PartitionPool } from './partitionThreads';

export interface PartitionInput {
  /** Whose worker-held Unstructured API key to use with --partition-by-api. */
  site: Site;
  document: DocumentRecord;
  workDir: string;
  /** Absent: partition locally. */
  byApi?: PartitionApiConfig;
  chunking?: ChunkingConfig;
}

export function partitionActivities(deps: ActivityDeps) {
  const pool = new PartitionPool(deps.partitionThreads);
  const viaApi = ({ site, document, byApi }: PartitionInput & { byApi: PartitionApiConfig }): Promise<Element[]> => {
    const apiKey = deps.secretsFor(site).unstructuredApiKey;
    if (!apiKey) throw new Error('--partition-by-api is set but this worker has no Unstructured API key: set UNSTRUCTURED_API_KEY for the worker');
    const file = { path: document.localPath, filename: document.sourceIdentifiers.filename, contentType: document.mediaType };
    return partitionViaApi(file, { ...byApi, apiKey });
  };
  return {
    async partitionPage(input: PartitionInput): Promise<StepOutput> {
      const { document, byApi, chunking } = input;
      const elementsPath = stepOutputPath(document.localPath, 'elements');
      if (!byApi) return { elementsPath, elementCount: await pool.run({ document, elementsPath, chunking }) };
      return { elementsPath, elementCount: await writeDocumentElements(elementsPath, await viaApi({ ...input, byApi }), document, chunking) };
    },

    /** An extracted file; one the local readers cannot read (unknown type, no text layer...) is skipped with the reason. */
    async partitionExtractedFile(input: PartitionInput): Promise<StepOutput | { skipped: string }> {
      const { site, document, workDir, byApi, chunking } = input;
      // With --partition-by-api, files go to Unstructured too (it reads more types than the local readers).
      const result = byApi
        ? { status: 'partitioned' as const, elements: await viaApi({ ...input, byApi }) }
        : await partitionFile(document.localPath, { filename: document.sourceIdentifiers.filename, url: document.url });
      if (result.status === 'skipped') return { skipped: result.reason };
      const elementsPath = resolveInside(workDir, shortHash(site.url), `${document.sourceIdentifiers.relativePath}.elements.json`);
      return { elementsPath, elementCount: await writeDocumentElements(elementsPath, result.elements, document, chunking) };
    },
  };
}
