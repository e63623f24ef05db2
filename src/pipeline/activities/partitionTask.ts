// The CPU work of partitioning one page, on the worker's main thread or in a partition thread (partitionThreads.ts):
// its HTML -> elements carrying the document's data_source -> chunks when asked, as the JSON for the next step.
import type { DocumentRecord } from '../../core/document';
import { type Element, withDataSource } from '../../core/elements';
import { type ChunkingConfig, chunkedIfAsked } from '../../steps/chunk';
import { partitionHtml } from '../../steps/partition/html';
import type { PartitionOptions } from '../../steps/partition/options';

export interface PagePartitionTask {
  document: DocumentRecord;
  html: string;
  /** The folder the page was downloaded to, for metadata.file_directory. */
  fileDirectory: string;
  chunking?: ChunkingConfig;
  /** Absent in runs started before the job had it: Unstructured's behaviour. */
  options?: PartitionOptions;
}

export default function partitionPageTask({
  document,
  html,
  fileDirectory,
  chunking,
  options,
}: PagePartitionTask): Element[] {
  const elements = partitionHtml(html, {
    ...options,
    filename: document.sourceIdentifiers.filename,
    fileDirectory,
    lastModified: document.lastModified,
    url: document.url,
  });
  return documentElements(elements, document, chunking);
}

/** The end of partitioning, for a page or a file alike: data_source on every element, chunks when asked. */
export function documentElements(
  elements: Element[],
  document: Pick<DocumentRecord, 'metadata'>,
  chunking?: ChunkingConfig,
): Element[] {
  return chunkedIfAsked(withDataSource(elements, document.metadata), chunking);
}
