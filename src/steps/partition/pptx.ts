// PPTX -> elements per slide (page_number = slide position), like partition_pptx: title placeholders
// are Titles, bulleted paragraphs ListItems, tables Tables, slides separated by PageBreak, shapes read
// top to bottom (slideShapes.ts). A PPTX is a zip of XML parts (ooxml.ts).
import { normalizeSpace } from '../../core/pyText';
import { deep, kids, type Parts, relationships, textOf, unzipParts, type XmlElement, xml } from './ooxml';
import type { RawElement } from './rawElement';
import { type Position, slideShapes } from './slideShapes';
import { tableFromRows } from './tableHtml';
import { slideTextType } from './textType';

/** Slide part paths in presentation order (p:sldIdLst through the presentation's relationships). */
function slidePaths(parts: Parts): string[] {
  const presentation = xml(parts, 'ppt/presentation.xml');
  if (!presentation) throw new Error('not a PowerPoint file (ppt/presentation.xml missing)');
  const targets = relationships(parts, 'ppt/presentation.xml');
  return [...deep(presentation, 'p:sldId')]
    .map((s) => targets.get(s.attribs['r:id'] ?? ''))
    .filter((t): t is string => t !== undefined);
}

/**
 * partition_pptx's depths: a title shape's paragraphs are Titles one level deeper each; elsewhere a paragraph is as
 * deep
 * as its outline level, and one deeper when it reads as a title (it then heads the paragraphs after it).
 */
function shapeElements(shape: XmlElement, page: number): RawElement[] {
  const placeholder = [...deep(shape, 'p:ph')][0];
  const isTitle = ['title', 'ctrTitle'].includes(placeholder?.attribs.type ?? '');
  const out: RawElement[] = [];
  let titleDepth = 0;
  for (const body of deep(shape, 'p:txBody')) {
    for (const paragraph of kids(body, 'a:p')) {
      const text = normalizeSpace([...deep(paragraph, 'a:t')].map(textOf).join(''));
      if (text === '') continue;
      const pPr = kids(paragraph, 'a:pPr')[0];
      const level = Number(pPr?.attribs.lvl ?? 0);
      const bulleted = pPr !== undefined && (kids(pPr, 'a:buChar').length > 0 || kids(pPr, 'a:buAutoNum').length > 0);
      if (isTitle && !bulleted) {
        out.push({ type: 'Title', text, category_depth: titleDepth++, page_number: page });
        continue;
      }
      const type = bulleted ? 'ListItem' : slideTextType(text);
      out.push({ type, text, category_depth: type === 'Title' ? level + 1 : level, page_number: page });
    }
  }
  return out;
}

function tableElement(frame: XmlElement, page: number): RawElement[] {
  const rows = [...deep(frame, 'a:tr')].map((tr) =>
    kids(tr, 'a:tc').map((tc) => normalizeSpace([...deep(tc, 'a:t')].map(textOf).join(' '))),
  );
  const table = tableFromRows(rows);
  return table ? [{ ...table, page_number: page }] : [];
}

function shapeElementsAt(shape: XmlElement, { top, left }: Position, page: number): RawElement[] {
  if (shape.name === 'p:graphicFrame') return tableElement(shape, page);
  if (shape.name !== 'p:sp') return [];
  // partition_pptx leaves out text placed off the slide.
  const offSlide = top !== 0 && left !== 0 && (top < 0 || left < 0);
  return offSlide ? [] : shapeElements(shape, page);
}

export function pptxRawElements(buffer: Uint8Array): RawElement[] {
  const parts = unzipParts(buffer);
  const out: RawElement[] = [];
  slidePaths(parts).forEach((path, i) => {
    if (i > 0) out.push({ type: 'PageBreak', text: '', page_number: i });
    for (const { shape, position } of slideShapes(parts, path)) out.push(...shapeElementsAt(shape, position, i + 1));
  });
  return out;
}
