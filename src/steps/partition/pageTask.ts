// The CPU work of the partition step for one page, run in a thread of the partition pool: the page's HTML from the
// work dir to an elements file beside it, every element carrying the page's data_source, chunked when asked.
import { readFile } from 'node:fs/promises';
import type { ChunkingConfig } from '../chunk';
import { writeDocumentElements } from './documentElements';
import type { DataSourceMetadata } from './elements';
import { partitionHtml, type HtmlPartitionOptions } from './html';

export interface PagePartitionTask {
  htmlPath: string;
  elementsPath: string;
  options: HtmlPartitionOptions;
  dataSource: DataSourceMetadata;
  chunking?: ChunkingConfig;
}

/** Returns how many elements (or chunks) were written. */
export default async function partitionPageTask(task: PagePartitionTask): Promise<number> {
  const elements = partitionHtml(await readFile(task.htmlPath, 'utf8'), task.options);
  return writeDocumentElements(task.elementsPath, elements, task.dataSource, task.chunking);
}
