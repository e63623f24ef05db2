// DOCX -> HTML with mammoth (maintained, pure JS, maps Word styles to h1-h6/ul/ol/table) -> the same
// HTML rules as Confluence pages, so headings, lists, tables and emphasis come out alike.
import type { RawElement } from './rawElement';
import { htmlRawElements } from './html';

export async function docxRawElements(buffer: Buffer): Promise<RawElement[]> {
  const { default: mammoth } = await import('mammoth'); // loaded on first use
  const { value } = await mammoth.convertToHtml({ buffer });
  return htmlRawElements(value);
}
