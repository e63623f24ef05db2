// A pre-chunk of text elements becomes one CompositeElement, or, when a single element is larger than
// the window, several: the first plus continuation chunks (is_continuation) cut by the text splitter.
import type { ChunkingOptions } from './config';
import { consolidateMetadata } from './metadata';
import type { PreChunk } from './preChunk';
import { origElementsOf, payloadSize, SPLIT_ORIG_ELEMENTS_MAX_CHARS, type ChunkDraft } from './sourceElements';
import type { Splitter } from './splitter';

export function chunkText(pc: PreChunk, opts: ChunkingOptions, split: Splitter): ChunkDraft[] {
  // a pre-chunk with no text (a lone PageBreak, say) makes no chunk
  if (!pc.text) return [];
  let [piece, remainder] = split(pc.text);
  // each piece of a very large element would carry the whole element again in orig_elements
  const omitOrig =
    remainder !== '' && pc.elements.length === 1 && payloadSize(pc.elements[0]!) > SPLIT_ORIG_ELEMENTS_MAX_CHARS;
  const orig = opts.includeOrigElements && !omitOrig ? origElementsOf(pc.elements) : null;
  const metadata = consolidateMetadata(
    pc.elements.map((e) => e.metadata),
    orig,
  );
  const chunks: ChunkDraft[] = [{ type: 'CompositeElement', text: piece, metadata }];
  while (remainder) {
    [piece, remainder] = split(remainder);
    chunks.push({ type: 'CompositeElement', text: piece, metadata: { ...metadata, is_continuation: true } });
  }
  return chunks;
}
