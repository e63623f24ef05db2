// The macros that render content of other pages into a page, as the rendered body (body.view) and the storage format
// show them. The view renders each macro inside a wrapper naming it (`data-macro-name`, `data-macro-id`); the storage
// names the page an include shows (`<ri:page ri:content-title ri:space-key>`), which the view does not.
import type { Element as HtmlElement } from 'domhandler';
import { findAll } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { REPORT_CLASS } from '../lateMacros/reports';

/** Macros that show one named page's body (include: Include Page) or its excerpt (excerpt-include). */
export const INCLUDE_MACROS: ReadonlySet<string> = new Set(['include', 'excerpt-include']);

/**
 * Macros that show text of pages they find by a rule (labels, children, a space's blog, page properties, tasks),
 * rendered with the ingest account's rights and naming no single page whose permissions could be asked for. A Page
 * Properties Report whose table names the page of each row is the exception (included.ts).
 */
export const AGGREGATING_MACROS: ReadonlySet<string> = new Set([
  'detailssummary',
  'contentbylabel',
  'content-report-table',
  'blog-posts',
  'children',
  'pagetree',
  'recently-updated',
  'tasks-report-macro',
  'excerpt-include-children',
]);

/** A cheap test before parsing: bodies without macro wrappers or reports (most pages) are left as they are. */
export function mayRenderOtherPages(viewHtml: string): boolean {
  return viewHtml.includes('data-macro-name') || viewHtml.includes(REPORT_CLASS);
}

export function macroName(el: HtmlElement): string | undefined {
  return el.attribs['data-macro-name'];
}

/** Wrappers of macros that render other pages, outermost and innermost alike, in document order. */
export function otherPageWrappers(nodes: HtmlElement['children']): HtmlElement[] {
  return findAll((el) => {
    const name = macroName(el);
    return name !== undefined && (INCLUDE_MACROS.has(name) || AGGREGATING_MACROS.has(name));
  }, nodes);
}

export interface StorageInclude {
  name: string;
  /** ac:macro-id, which the view repeats as data-macro-id. */
  macroId?: string;
  /** Absent when the macro names no page (a blog post, an attachment, a form we do not know). */
  target?: { spaceKey?: string; title: string };
}

/** The include macros of a storage body, in document order, each with the page it names. */
export function storageIncludes(storage: string): StorageInclude[] {
  const doc = parseDocument(storage, { xmlMode: true });
  const macros = findAll(
    (el) =>
      (el.name === 'ac:structured-macro' || el.name === 'ac:macro') && INCLUDE_MACROS.has(el.attribs['ac:name'] ?? ''),
    doc.children,
  );
  return macros.map((macro) => {
    const parameters = macro.children.filter((c): c is HtmlElement => c.type === 'tag' && c.name === 'ac:parameter');
    const pages = findAll((el) => el.name === 'ri:page', parameters);
    const page = pages.length === 1 ? pages[0] : undefined;
    const title = page?.attribs['ri:content-title'];
    const spaceKey = page?.attribs['ri:space-key'];
    return {
      name: macro.attribs['ac:name'],
      ...(macro.attribs['ac:macro-id'] ? { macroId: macro.attribs['ac:macro-id'] } : {}),
      ...(title ? { target: { title, ...(spaceKey ? { spaceKey } : {}) } } : {}),
    };
  });
}
