// Chunk ids re-hashed the way unstructured-ingest does after chunking (assign_and_map_hash_ids): the
// partitioner's formula, but seq counts within each run of equal page numbers (itertools.groupby),
// not per page-number value.
import { elementId } from '../../core/elementId';
import type { Metadata } from './metadata';

export function hashChunkIds(chunks: Array<{ text: string; metadata: Metadata }>): string[] {
  let prevPage: unknown = Symbol('start');
  let seq = 0;
  return chunks.map(({ text, metadata }) => {
    const page = metadata.page_number as number | undefined;
    seq = page === prevPage ? seq + 1 : 0;
    prevPage = page;
    return elementId(metadata.filename as string | undefined, text, page, seq);
  });
}
