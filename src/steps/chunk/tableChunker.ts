// A table is its own chunk: a Table when text and compact HTML both fit, else TableChunks split on row
// boundaries (text-only splitting when there is no HTML or the window is under 50 characters).
import { createHash } from 'node:crypto';
import type { ChunkingOptions } from './config';
import { parseHtmlTable } from './htmlTable';
import { withoutDroppedFields, type Metadata } from './metadata';
import { codePointLength, normalizeSpace, pyStrip } from '../../core/pyText';
import {
  origElementsOf,
  payloadSize,
  SPLIT_ORIG_ELEMENTS_MAX_CHARS,
  type ChunkDraft,
  type SourceElement,
} from './sourceElements';
import { makeSplitter } from './splitter';
import { splitHtmlTable } from './tableSplitter';

const MIN_HTML_WINDOW = 50;

export function chunkTable(table: SourceElement, opts: ChunkingOptions): ChunkDraft[] {
  if (!normalizeSpace(table.text)) return [];
  const text = pyStrip(table.text);
  const rawHtml = table.metadata.text_as_html;
  const parsed = typeof rawHtml === 'string' && pyStrip(rawHtml) ? parseHtmlTable(pyStrip(rawHtml)) : null;
  const html = parsed?.html ?? '';
  const base = baseMetadata(table, opts);

  if (codePointLength(text) <= opts.hardMax && codePointLength(html) <= opts.hardMax) {
    return [{ type: 'Table', text, metadata: withHtml(base, html || null) }];
  }
  const split =
    parsed && html && opts.hardMax >= MIN_HTML_WINDOW
      ? splitHtmlTable(parsed, opts.hardMax)
      : { pieces: splitTextOnly(text, opts), carriedHeaderRows: 0 };
  return toTableChunks(table, split, base, opts);
}

function splitTextOnly(text: string, opts: ChunkingOptions): Array<[string, string | null]> {
  const split = makeSplitter(opts.hardMax, opts.overlap);
  const pieces: Array<[string, string | null]> = [];
  for (let rest = text; rest; ) {
    const [piece, remainder] = split(rest);
    pieces.push([piece, null]);
    rest = remainder;
  }
  return pieces;
}

function toTableChunks(
  table: SourceElement,
  { pieces, carriedHeaderRows }: { pieces: Array<[string, string | null]>; carriedHeaderRows: number },
  base: Metadata,
  opts: ChunkingOptions,
): ChunkDraft[] {
  const tableId = tableIdFor(table);
  // every piece would carry the whole table again; past this size that is not worth it
  const omitOrig = pieces.length > 1 && opts.includeOrigElements && payloadSize(table) > SPLIT_ORIG_ELEMENTS_MAX_CHARS;
  return pieces.map(([text, html], index) => {
    const metadata = withHtml(base, html);
    if (omitOrig) delete metadata.orig_elements;
    if (index > 0) metadata.is_continuation = true;
    metadata.num_carried_over_header_rows = index > 0 ? carriedHeaderRows : 0;
    metadata.table_id = tableId;
    metadata.chunk_index = index;
    return { type: 'TableChunk', text, metadata };
  });
}

function baseMetadata(table: SourceElement, opts: ChunkingOptions): Metadata {
  const metadata = withoutDroppedFields(table.metadata);
  if (opts.includeOrigElements) metadata.orig_elements = origElementsOf([table]);
  return metadata;
}

function withHtml(base: Metadata, html: string | null): Metadata {
  const metadata = { ...base };
  if (html) metadata.text_as_html = html;
  else delete metadata.text_as_html;
  return metadata;
}

/**
 * Unstructured draws a random uuid4 per split table; a uuid derived from the table's element id keeps
 * re-runs byte-identical while still grouping the pieces of one table.
 */
function tableIdFor(table: SourceElement): string {
  const h = createHash('sha256').update(`table_id:${table.element_id}:${table.text}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
