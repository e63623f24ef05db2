// DOCX -> HTML with mammoth (maintained, pure JS, maps Word styles to h1-h6/ul/ol/table) -> the same
// HTML rules as Confluence pages, so headings, lists, tables and emphasis come out alike. What mammoth
// leaves out and partition_docx keeps is added here: the labels of numbered items, page headers and footers.
import { blockElements } from './htmlParser';
import { contentRoot, descendants, type HNode, parseHtmlTree } from './htmlTree';
import { deep, findInPart, kids, type Parts, relationships, textOf, unzipParts, type XmlElement, xml } from './ooxml';
import type { RawElement } from './rawElement';
import { checkZipWithin } from './zipEntries';

export async function docxRawElements(buffer: Buffer): Promise<RawElement[]> {
  checkZipWithin(buffer); // mammoth inflates every entry it reads whole, images included
  const { default: mammoth } = await import('mammoth'); // loaded on first use
  // partition_docx reads Word's Title style as a top-level heading; mammoth's default map leaves it a paragraph.
  const { value } = await mammoth.convertToHtml({ buffer }, { styleMap: ["p[style-name='Title'] => h1:fresh"] });
  const root = contentRoot(parseHtmlTree(value));
  labelNumberedItems(root);
  const { headers, footers } = pageHeadersAndFooters(unzipParts(buffer));
  return [...headers, ...[...blockElements(root)].map(withDocxDepth), ...footers];
}

/**
 * partition_docx gives every paragraph a depth: a list item its list level counted from 0, any other 0; a table none.
 */
function withDocxDepth(element: RawElement): RawElement {
  if (element.type === 'Table') return element;
  if (element.type === 'ListItem')
    return { ...element, category_depth: Math.max(0, (element.category_depth ?? 1) - 1) };
  return { ...element, category_depth: element.category_depth ?? 0 };
}

/**
 * partition_docx writes the label Word shows before a numbered item ("1. Freeze the branch"). Mammoth keeps only that
 * the list is ordered, so each item is labelled by its place in its list: Word's default decimal "1." format.
 */
function labelNumberedItems(root: HNode): void {
  for (const ol of descendants(root)) {
    if (ol.tag !== 'ol') continue;
    ol.children.filter((c) => c.tag === 'li').forEach((li, i) => (li.text = `${i + 1}. ${li.text}`));
  }
}

// The header and footer kinds partition_docx reads, in its order: the first page's and the even pages' only when the
// section and the settings turn them on.
const KINDS = [
  { type: 'default', name: 'primary', on: () => true },
  { type: 'first', name: 'first_page', on: (sectPr: XmlElement) => kids(sectPr, 'w:titlePg').length > 0 },
  {
    type: 'even',
    name: 'even_page',
    on: (_: XmlElement, parts: Parts) => findInPart(parts, 'word/settings.xml', 'w:evenAndOddHeaders').length > 0,
  },
];

/**
 * The document section's page headers and footers, as partition_docx writes them around the section's content: one
 * element each, its paragraphs' texts joined by newlines. Only the body's (last) section is read: a document with
 * several sections has its earlier sections' headers left out.
 */
function pageHeadersAndFooters(parts: Parts): { headers: RawElement[]; footers: RawElement[] } {
  const body = findInPart(parts, 'word/document.xml', 'w:body')[0];
  const sectPr = body && kids(body, 'w:sectPr')[0];
  if (!sectPr) return { headers: [], footers: [] };
  const targets = relationships(parts, 'word/document.xml');
  const read = (reference: string, type: string): RawElement[] =>
    KINDS.filter((kind) => kind.on(sectPr, parts)).flatMap((kind) => {
      const ref = kids(sectPr, reference).find((r) => (r.attribs['w:type'] ?? 'default') === kind.type);
      const part = ref && xml(parts, targets.get(ref.attribs['r:id'] ?? '') ?? '');
      const text = part ? partText(part) : '';
      return text ? [{ type, text, category_depth: 0, header_footer_type: kind.name }] : [];
    });
  return { headers: read('w:headerReference', 'Header'), footers: read('w:footerReference', 'Footer') };
}

function partText(part: XmlElement): string {
  return [...deep(part, 'w:p')]
    .map((p) => [...deep(p, 'w:t')].map(textOf).join('').trim())
    .filter(Boolean)
    .join('\n');
}
