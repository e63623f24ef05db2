// The CPU work of partitioning one page, on the worker's main thread or in a partition thread (partitionThreads.ts):
// its HTML -> elements carrying the document's data_source -> chunks when asked, as the JSON for the next step.
import type { DocumentRecord } from '../../core/document';
import { type DataSourceMetadata, type Element, withDataSource } from '../../core/elements';
import { type ChunkingConfig, chunkedIfAsked } from '../../steps/chunk';
import { partitionHtml, partitionHtmlRegions } from '../../steps/partition/html';
import type { PartitionOptions } from '../../steps/partition/options';
import type { RegionOf } from '../../steps/partition/regions';

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
  const opts = {
    ...options,
    filename: document.sourceIdentifiers.filename,
    fileDirectory,
    lastModified: document.lastModified,
    url: document.url,
  };
  if (!document.regions) return documentElements(partitionHtml(html, opts), document, chunking);
  const { elements, regions } = partitionHtmlRegions(html, opts);
  return documentElements(elements, document, chunking, regions);
}

/**
 * The end of partitioning, for a page or a file alike: data_source on every element, chunks when asked. A document
 * with regions gives each element its region's data_source; without `regionOf` (a partitioner that does not read
 * regions) every element gets the narrowest one.
 */
export function documentElements(
  elements: Element[],
  document: Pick<DocumentRecord, 'metadata' | 'regions'>,
  chunking?: ChunkingConfig,
  regionOf?: RegionOf[],
): Element[] {
  const { regions } = document;
  if (!regions) return chunkedIfAsked(withDataSource(elements, document.metadata), chunking);
  const sourceOf = (i: number): DataSourceMetadata => {
    const region = regionOf?.[i];
    if (region === undefined && regionOf) return document.metadata;
    return (region && regions.sources[region]) || regions.mixed;
  };
  const placed = elements.map((el, i) => ({ ...el, metadata: { ...el.metadata, data_source: sourceOf(i) } }));
  return chunkedIfAsked(placed, chunking);
}
