// Chunking with Unstructured's semantics (unstructured.chunking 0.27: basic and by_title), producing
// CompositeElement, Table and TableChunk elements with consolidated metadata, orig_elements and
// hashed ids, as unstructured-ingest's chunk step writes them.
import type { Element } from '../../core/elements';
import { hashChunkIds } from './chunkIds';
import { parseChunkingConfig, resolveChunkingOptions, type ChunkingConfigInput } from './config';
import { serializeMetadata } from './metadata';
import { preChunk } from './preChunk';
import { loadElements, type ChunkDraft } from './sourceElements';
import { makeSplitter } from './splitter';
import { chunkTable } from './tableChunker';
import { chunkText } from './textChunker';

export { ChunkingConfigSchema, parseChunkingConfig, type ChunkingConfig, type ChunkingConfigInput } from './config';
export { decodeOrigElements } from './origElements';

/** Chunks when the job has a chunking config; the elements unchanged otherwise. */
export function chunkedIfAsked(elements: Element[], chunking: ChunkingConfigInput | undefined): Element[] {
  return chunking ? chunkElements(elements, chunking) : elements;
}

/** Throws a one-line ConfigError for bad options and an Error for an element of unknown type. */
export function chunkElements(elements: Element[], config: ChunkingConfigInput): Element[] {
  const opts = resolveChunkingOptions(parseChunkingConfig(config));
  const split = makeSplitter(opts.hardMax, opts.overlap);
  const drafts: ChunkDraft[] = preChunk(loadElements(elements), opts).flatMap((pc) =>
    pc.isSingleTable ? chunkTable(pc.elements[0]!, opts) : chunkText(pc, opts, split),
  );
  const ids = hashChunkIds(drafts);
  return drafts.map((d, i) => ({
    type: d.type,
    element_id: ids[i]!,
    text: d.text,
    metadata: serializeMetadata(d.metadata),
  }));
}
