// PDF -> elements with page_number, using Mozilla's pdf.js (pdfjs-dist): the reference PDF reader,
// pure JavaScript, no native build and no network (fonts come from the package's own folder).
import { dirname, join } from 'node:path';
import type { RawElement } from './rawElement';
import { normalizeSpace } from '../../core/pyText';
import { cleanBullets, plainTextType } from './textType';

interface PositionedText {
  str: string;
  hasEOL: boolean;
  height: number;
  transform: number[];
}

interface Line {
  text: string;
  y: number;
  height: number;
}

const STANDARD_FONTS = `${join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

export async function pdfRawElements(data: Uint8Array): Promise<RawElement[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data, standardFontDataUrl: STANDARD_FONTS, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const out: RawElement[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const items = content.items.flatMap((i) => ('str' in i ? [i] : []));
      out.push(...paragraphs(lines(items)).map((text) => typed(text, n)));
    }
    return out;
  } finally {
    await doc.destroy();
  }
}

function lines(items: PositionedText[]): Line[] {
  const out: Line[] = [];
  let current: Line | undefined;
  for (const item of items) {
    if (item.str !== '') {
      current ??= { text: '', y: item.transform[5] ?? 0, height: item.height };
      current.text += item.str;
      current.height = Math.max(current.height, item.height);
    }
    if (item.hasEOL && current) {
      out.push(current);
      current = undefined;
    }
  }
  if (current) out.push(current);
  return out;
}

// A paragraph ends where the gap to the next line is clearly larger than a line, or the font size changes.
function paragraphs(all: Line[]): string[] {
  const out: string[][] = [];
  all.forEach((line, i) => {
    const prev = all[i - 1];
    const joins = prev && Math.abs(prev.height - line.height) < 0.5 && prev.y - line.y <= prev.height * 1.6;
    if (joins) out[out.length - 1]!.push(line.text);
    else out.push([line.text]);
  });
  return out.map((p) => normalizeSpace(p.join(' '))).filter(Boolean);
}

function typed(text: string, page: number): RawElement {
  const type = plainTextType(text);
  return { type, text: type === 'ListItem' ? cleanBullets(text) : text, page_number: page };
}
