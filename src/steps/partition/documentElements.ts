// The end of partitioning, for a page or a file alike: every element carries its document's data_source, chunks
// replace elements when the job asks, and the result lands atomically in the work dir for the next step.
import { chunkedIfAsked, type ChunkingConfig } from '../chunk';
import { writeFileAtomic } from '../../core/atomicWrite';
import { withDataSource, type DataSourceMetadata, type Element } from './elements';

/** Returns how many elements (or chunks) were written. */
export async function writeDocumentElements(file: string, elements: Element[], dataSource: DataSourceMetadata, chunking?: ChunkingConfig): Promise<number> {
  const written = chunkedIfAsked(withDataSource(elements, dataSource), chunking);
  await writeFileAtomic(file, JSON.stringify(written));
  return written.length;
}
