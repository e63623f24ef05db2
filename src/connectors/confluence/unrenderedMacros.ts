// Macros whose output Confluence builds in the browser after the page loads, or not at all (apps that fail to render,
// and any other whose block is empty; Jira macros and Page Properties Reports are dealt with before, in lateMacros/),
// leave an empty wrapper in body.view. They are named per page in the report, so a reader knows what the ingested text
// lacks.
import { findAll, textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { flattenDeepNesting } from '../../core/htmlNesting';
import type { LeftOut } from '../../core/leftOut';

/** Empty by design, and nothing of the page is lost with them: the contents list is the page's own headings. */
const EMPTY_BY_DESIGN = new Set(['toc', 'anchor']);

/** Output that is not text still shows something (an image, a frame, a chart): not reported. */
const NON_TEXT = /^(img|iframe|svg|canvas|video|object|embed)$/;

export function unrenderedMacros(html: string): LeftOut[] {
  if (!html.includes('data-macro-name')) return [];
  const dom = parseDocument(flattenDeepNesting(html));
  const empty = findAll((el) => {
    const name = el.attribs['data-macro-name'];
    if (!name || EMPTY_BY_DESIGN.has(name)) return false;
    if (textContent(el).trim() !== '') return false;
    return findAll((inner) => NON_TEXT.test(inner.name), el.children).length === 0;
  }, dom.children);
  const counts = new Map<string, number>();
  for (const el of empty) {
    const name = el.attribs['data-macro-name'];
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => ({
    name: `macro ${name}${n > 1 ? ` (${n}x)` : ''}`,
    reason: 'rendered nothing in body.view (Confluence builds it in the browser, or could not render it)',
  }));
}
