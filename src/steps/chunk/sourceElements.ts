// Elements as the reference chunker sees them after Unstructured's loader: canonical type, sparse
// metadata, and the dict each one contributes to a chunk's orig_elements.
import type { Element } from '../../core/elements';
import { typeInfo, type Kind } from './elementTypes';
import { loadMetadata, serializeMetadata, type Metadata } from './metadata';
import { encodeOrigElements } from './origElements';
import { codePointLength, normalizeSpace } from '../../core/pyText';

export interface SourceElement {
  type: string;
  kind: Kind;
  element_id: string;
  text: string;
  /** The text as it appears in a chunk: whitespace collapsed, except code which keeps its layout. */
  segment: string;
  metadata: Metadata;
}

/** What chunking produces before ids are assigned. */
export interface ChunkDraft {
  type: 'CompositeElement' | 'Table' | 'TableChunk';
  text: string;
  metadata: Metadata;
}

export function loadElements(elements: Element[]): SourceElement[] {
  return elements.map((e, i) => {
    const { category, kind } = typeInfo(e.type, i);
    // A CheckBox has no text in Unstructured's model.
    const text = category === 'CheckBox' ? '' : (e.text ?? '');
    const segment = kind === 'code' ? text : normalizeSpace(text);
    return { type: category, kind, element_id: e.element_id, text, segment, metadata: loadMetadata(e.metadata ?? {}) };
  });
}

/** base64(zlib(JSON)) of the elements a chunk came from; a chunk among them loses its own orig_elements. */
export function origElementsOf(elements: SourceElement[]): string {
  return encodeOrigElements(
    elements.map((e) => {
      const { orig_elements: _nested, ...metadata } = e.metadata;
      return { type: e.type, element_id: e.element_id, text: e.text, metadata: serializeMetadata(metadata) };
    }),
  );
}

/** Characters of text, HTML and image data an element would add to each chunk split from it. */
export function payloadSize(e: SourceElement): number {
  const str = (v: unknown) => (typeof v === 'string' ? codePointLength(v) : 0);
  return codePointLength(e.text) + str(e.metadata.text_as_html) + str(e.metadata.image_base64);
}

export const SPLIT_ORIG_ELEMENTS_MAX_CHARS = 1_000_000;
