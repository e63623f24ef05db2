// PDF -> elements with page_number as partition_pdf's "fast" strategy (pdfminer) makes them, using Mozilla's
// pdf.js (pdfjs-dist): the reference PDF reader, pure JavaScript, no native build and no network (fonts come from
// the package's own folder). pdfLayout.ts groups the text as pdfminer does; each text box is one element.
import { dirname, join } from 'node:path';
import { normalizeSpace } from '../../core/pyText';
import { type Box, lines, type Run, textBoxes } from './pdfLayout';
import type { RawElement } from './rawElement';
import { readingOrder } from './readingOrder';
import { cleanBullets, plainTextType } from './textType';

interface PositionedText {
  str: string;
  width: number;
  transform: number[];
  fontName: string;
}

const STANDARD_FONTS = `${join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

// Unstructured's text.py: a box whose middle is in the top 7% of the page is a Header, in the bottom 7% a Footer.
const HEADER_ZONE = 0.07;
const FOOTER_ZONE = 0.93;

export async function pdfRawElements(data: Uint8Array): Promise<RawElement[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    data,
    standardFontDataUrl: STANDARD_FONTS,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  try {
    const out: RawElement[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const [, bottomEdge, , topEdge] = page.view as [number, number, number, number];
      const content = await page.getTextContent();
      const descent = (font: string): number => content.styles[font]?.descent ?? 0;
      const runs = content.items.flatMap((i) =>
        'str' in i && i.str.trim() !== '' ? [run(i, topEdge, descent(i.fontName))] : [],
      );
      for (const box of readingOrder(textBoxes(lines(runs)))) {
        const element = typed(box, (box.top + box.bottom) / 2 / (topEdge - bottomEdge), n);
        if (element) out.push(element);
      }
    }
    return out;
  } finally {
    await doc.destroy();
  }
}

/**
 * A pdf.js text item as pdfminer measures its glyphs: from the font's descent below the baseline, one font size tall.
 */
function run(item: PositionedText, topEdge: number, descent: number): Run {
  const [, , c = 0, d = 0, x = 0, baseline = 0] = item.transform;
  const size = Math.hypot(c, d);
  const bottom = topEdge - (baseline + descent * size);
  return { text: item.str, x0: x, x1: x + item.width, top: bottom - size, bottom, size };
}

function typed(box: Box, middle: number, page: number): RawElement | undefined {
  const text = normalizeSpace(box.text);
  if (text === '') return undefined;
  if (middle < HEADER_ZONE) return { type: 'Header', text, page_number: page };
  if (middle > FOOTER_ZONE) return { type: 'Footer', text, page_number: page };
  const type = plainTextType(text);
  return { type, text: type === 'ListItem' ? cleanBullets(text) : text, page_number: page };
}
