// The CPU work of the partition step for one page, run in a thread of the partition pool: the page's HTML from the
// work dir to an elements file beside it, every element carrying the page's data_source, chunked when asked.
import { readFile } from 'node:fs/promises';
import { chunkedIfAsked, type ChunkingConfig } from '../chunking';
import { writeFileAtomic } from '../destinations/atomicWrite';
import { withDataSource, type DataSourceMetadata } from './elements';
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
  const written = chunkedIfAsked(withDataSource(elements, task.dataSource), task.chunking);
  await writeFileAtomic(task.elementsPath, JSON.stringify(written));
  return written.length;
}
