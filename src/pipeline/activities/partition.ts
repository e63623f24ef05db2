// The partition step: a document's content -> Unstructured elements carrying its data_source, chunked when the job
// asks (chunking is CPU work of the same kind, so it shares the step and its task queue). Local (in the worker's
// partition threads for pages) or, with --partition-by-api, Unstructured's endpoint with the worker's own key.
import path from 'node:path';
import type { DocumentPart, DocumentRecord } from '../../core/document';
import type { Element } from '../../core/elements';
import type { ChunkingConfig } from '../../steps/chunk';
import { partitionViaApi } from '../../steps/partition/api';
import type { PartitionApiConfig } from '../../steps/partition/apiConfig';
import { partitionFile } from '../../steps/partition/file';
import type { PartitionOptions } from '../../steps/partition/options';
import { partitionHtml } from '../../steps/partition/html';
import type { Site } from '../config';
import { partitionApiKey } from '../credentials';
import type { ActivityDeps } from './deps';
import { siteWorkFile } from '../workDir';
import { type StepOutput, writeStepOutput } from './elementFiles';
import type { Handoffs } from './handoff';
import { documentElements } from './partitionTask';
import { PartitionPool } from './partitionThreads';

export interface PartitionInput {
  /** The page's site (the Unstructured API key is the worker's for byApi.endpoint). */
  site: Site;
  document: DocumentRecord;
  /** Absent: partition locally. */
  byApi?: PartitionApiConfig;
  chunking?: ChunkingConfig;
  /** Local partitioning's choices (absent in runs started before the job had them). */
  options?: PartitionOptions;
  /** The output travels inline: the next step may run on another machine. */
  inline: boolean;
}

export function partitionActivities(deps: ActivityDeps, handoffs: Handoffs) {
  const pool = new PartitionPool(deps.partitionThreads);
  const elementsFile = ({ site, document }: PartitionInput) =>
    siteWorkFile(deps.host.workDir, site.url, `${document.sourceIdentifiers.relativePath}.elements.json`);
  const viaApi = async ({ document, byApi }: PartitionInput & { byApi: PartitionApiConfig }): Promise<Element[]> => {
    const apiKey = partitionApiKey(deps, byApi.endpoint);
    const file = {
      path: await handoffs.pathOf(document.content),
      filename: document.sourceIdentifiers.filename,
      contentType: document.mediaType,
    };
    return partitionViaApi(file, { ...byApi, apiKey });
  };
  const pageElements = async (input: PartitionInput): Promise<Element[]> => {
    const { document, byApi, chunking, options } = input;
    if (byApi) return documentElements(await viaApi({ ...input, byApi }), document, chunking);
    const html = await handoffs.readText(document.content);
    return pool.run({ document, html, fileDirectory: path.dirname(document.content.path), chunking, options });
  };
  return {
    async partitionPage(input: PartitionInput): Promise<StepOutput> {
      const file = handoffs.nextPath(input.document.content, 'elements');
      return writeStepOutput(handoffs, file, await pageElements(input), input.inline);
    },

    /**
     * A document of parts (a page's comments): each part partitioned and chunked on its own, with its own data_source,
     * always locally (the parts are small HTML fragments).
     */
    async partitionParts(input: PartitionInput): Promise<StepOutput> {
      const parts = JSON.parse(await handoffs.readText(input.document.content)) as DocumentPart[];
      const elements = parts.flatMap((part) =>
        documentElements(partitionHtml(part.html, { ...part, ...input.options }), part, input.chunking),
      );
      const file = elementsFile(input);
      return writeStepOutput(handoffs, file, elements, input.inline);
    },

    /**
     * An extracted file; one the local readers cannot read (unknown type, no text layer...) is skipped with the reason.
     */
    async partitionExtractedFile(input: PartitionInput): Promise<StepOutput | { skipped: string }> {
      const { document, byApi, chunking } = input;
      // With --partition-by-api, files go to Unstructured too (it reads more types than the local readers).
      const result = byApi
        ? { status: 'partitioned' as const, elements: await viaApi({ ...input, byApi }) }
        : await partitionFile(await handoffs.pathOf(document.content), {
            filename: document.sourceIdentifiers.filename,
            url: document.url,
          });
      if (result.status === 'skipped') return { skipped: result.reason };
      const file = elementsFile(input);
      return writeStepOutput(handoffs, file, documentElements(result.elements, document, chunking), input.inline);
    },
  };
}
