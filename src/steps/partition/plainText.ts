// Plain text -> elements the way partition_text does it: every non-blank line is an element, typed
// by plainTextType; bullets are stripped from list items.
import type { RawElement } from './rawElement';
import { normalizeSpace } from '../../core/pyText';
import { cleanBullets, plainTextType } from './textType';

export function textLineElements(text: string, pageNumber?: number): RawElement[] {
  const out: RawElement[] = [];
  for (const line of text.split(/\s*\n\s*/)) {
    const clean = normalizeSpace(line);
    if (clean === '') continue;
    const type = plainTextType(clean);
    const body = type === 'ListItem' ? cleanBullets(clean) : clean;
    if (body === '') continue;
    out.push(pageNumber === undefined ? { type, text: body } : { type, text: body, page_number: pageNumber });
  }
  return out;
}
