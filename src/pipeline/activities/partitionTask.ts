// The CPU work of partitioning one page, on the worker's main thread or in a partition thread (partitionThreads.ts):
// its HTML -> elements carrying the document's data_source -> chunks when asked -> a file for the next step.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomicWrite';
import type { DocumentRecord } from '../../core/document';
import { withDataSource, type Element } from '../../core/elements';
import { chunkedIfAsked, type ChunkingConfig } from '../../steps/chunk';
import { partitionHtml } from '../../steps/partition/html';

export interface PagePartitionTask {
  document: DocumentRecord;
  elementsPath: string;
  chunking?: ChunkingConfig;
}

/** Returns how many elements (or chunks) were written. */
export default async function partitionPageTask({ document, elementsPath, chunking }: PagePartitionTask): Promise<number> {
  const elements = partitionHtml(await readFile(document.localPath, 'utf8'), {
    filename: document.sourceIdentifiers.filename,
    fileDirectory: path.dirname(document.localPath),
    lastModified: document.lastModified,
    url: document.url,
  });
  return writeDocumentElements(elementsPath, elements, document, chunking);
}

/** The end of partitioning, for a page or a file alike: data_source on every element, chunks when asked, written. */
export async function writeDocumentElements(file: string, elements: Element[], document: DocumentRecord, chunking?: ChunkingConfig): Promise<number> {
  const written = chunkedIfAsked(withDataSource(elements, document.metadata), chunking);
  await writeFileAtomic(file, JSON.stringify(written));
  return written.length;
}
