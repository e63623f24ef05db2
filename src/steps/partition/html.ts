// partitionHtml: HTML -> Unstructured elements (v1 rules), with ids, hierarchy, languages and the
// per-document metadata Unstructured's apply_metadata adds. data_source is the pipeline's business.
import { assignElementIds } from '../../core/elementId';
import type { Element, ElementMetadata } from '../../core/elements';
import { parentIds } from './hierarchy';
import { dropEmoticons } from './confluence';
import { blockElements } from './htmlParser';
import { contentRoot, type HNode, parseHtmlTree } from './htmlTree';
import { elementLanguages } from './language';
import type { PartitionOptions } from './options';
import type { RawElement } from './rawElement';
import { elementRegions, type RegionOf } from './regions';

export interface HtmlPartitionOptions {
  /** Basename written to metadata.filename and hashed into element ids. */
  filename: string;
  fileDirectory?: string;
  lastModified?: string;
  url?: string;
  /** MIME type; text/html unless the HTML came from another format (DOCX, Markdown). */
  filetype?: string;
}

export function partitionHtml(html: string, opts: HtmlPartitionOptions & Partial<PartitionOptions>): Element[] {
  if (html.trim() === '') return [];
  return finishElements(htmlRawElements(html, opts), { ...opts, filetype: opts.filetype ?? 'text/html' });
}

export function htmlRawElements(html: string, options: Partial<PartitionOptions> = {}): RawElement[] {
  return [...blockElements(readRoot(html, options))];
}

/** The elements, and beside each the region of the content its text comes from (regions.ts). */
export function partitionHtmlRegions(
  html: string,
  opts: HtmlPartitionOptions & Partial<PartitionOptions>,
): { elements: Element[]; regions: RegionOf[] } {
  if (html.trim() === '') return { elements: [], regions: [] };
  const root = readRoot(html, opts);
  const raw = [...blockElements(root)];
  const elements = finishElements(raw, { ...opts, filetype: opts.filetype ?? 'text/html' });
  return { elements, regions: elementRegions(root, raw) };
}

function readRoot(html: string, options: Partial<PartitionOptions>): HNode {
  const root = contentRoot(parseHtmlTree(html));
  if (options.dropEmoticons) dropEmoticons(root);
  return root;
}

/** Metadata, ids, languages and parent ids for raw elements of one document. */
export function finishElements(raw: RawElement[], opts: HtmlPartitionOptions): Element[] {
  const languages = elementLanguages(raw.map((r) => r.text));
  const elements = raw.map((r, i): Element => {
    const { type, text, ...fields } = r;
    const metadata: ElementMetadata = {
      ...fields,
      filename: opts.filename,
      file_directory: opts.fileDirectory,
      filetype: opts.filetype,
      languages: languages[i],
      last_modified: opts.lastModified,
      url: opts.url,
    };
    return { type, element_id: '', text, metadata: dropEmpty(metadata) };
  });
  const ids = assignElementIds(elements);
  elements.forEach((e, i) => (e.element_id = ids[i]!));
  const parents = parentIds(
    elements.map((e) => ({ type: e.type, id: e.element_id, depth: e.metadata.category_depth })),
  );
  elements.forEach((e, i) => {
    if (parents[i] !== undefined) e.metadata.parent_id = parents[i];
  });
  return elements;
}

// Unstructured metadata is sparse: unset fields and empty lists are omitted.
function dropEmpty(metadata: ElementMetadata): ElementMetadata {
  const out: ElementMetadata = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = value;
  }
  return out;
}
