// Page Properties Reports (the detailssummary macro). In body.view Confluence sends the report's table with a
// "Generating page properties report..." caption and no rows: the reader's browser fills it from Confluence's
// masterdetail REST resource. body.export_view has the rows, rendered on the server, one per page the ingest account
// may see, each naming its page (`td.title[data-content-id]`). The rows are other pages' text: includes/included.ts
// gives them those pages' permissions.
import type { Element as HtmlElement, AnyNode } from 'domhandler';
import render from 'dom-serializer';
import { findAll, removeElement, replaceElement } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { flattenDeepNesting } from '../../../core/htmlNesting';
import type { LeftOut } from '../../../core/leftOut';

/** The class of the report's table, in both representations (the plugin's detailssummary template). */
export const REPORT_CLASS = 'metadata-summary-macro';

const NAME = 'detailssummary macro';
const LATE = 'Confluence builds the Page Properties Report in the browser';

/** The report tables among `nodes`, outermost and nested alike, in document order. */
export function reportTables(nodes: AnyNode[]): HtmlElement[] {
  return findAll((el) => el.name === 'table' && classes(el).includes(REPORT_CLASS), nodes);
}

/** True when body.view holds a report whose rows a browser would add (its export_view has them). */
export function hasReportPlaceholders(viewHtml: string): boolean {
  if (!viewHtml.includes(REPORT_CLASS)) return false;
  return reportTables(parseDocument(flattenDeepNesting(viewHtml)).children).some(isPlaceholder);
}

/**
 * The view with each report placeholder replaced by the same report from export_view, matched by position (both
 * render the same storage) and by its query; a placeholder that cannot be filled is taken out and reported.
 */
export function fillReports(viewHtml: string, exportHtml: string | undefined): { html: string; leftOut: LeftOut[] } {
  const doc = parseDocument(flattenDeepNesting(viewHtml));
  const tables = reportTables(doc.children);
  const rendered = exportHtml === undefined ? [] : reportTables(parseDocument(flattenDeepNesting(exportHtml)).children);
  const leftOut: LeftOut[] = [];
  for (const [i, table] of tables.entries()) {
    if (!isPlaceholder(table)) continue;
    const full = rendered.length === tables.length ? rendered[i] : undefined;
    if (full && !isPlaceholder(full) && full.attribs['data-cql'] === table.attribs['data-cql']) {
      replaceElement(table, full);
      leftOut.push(...truncated(full));
      continue;
    }
    removeElement(reportContainer(table));
    leftOut.push({ name: NAME, reason: `left out: ${LATE}, and ${whyUnfilled(exportHtml, full)}` });
  }
  return { html: render(doc, { encodeEntities: 'utf8' }), leftOut };
}

/** export_view renders a report's first page of rows (the macro's page size); the browser pages through the rest. */
function truncated(full: HtmlElement): LeftOut[] {
  const pages = Number(full.attribs['data-total-pages']);
  if (!(pages > 1)) return [];
  return [
    { name: NAME, reason: `left out: the rows past its first page (of ${pages}), which export_view does not render` },
  ];
}

function whyUnfilled(exportHtml: string | undefined, full: HtmlElement | undefined): string {
  if (exportHtml === undefined) return 'the page’s export_view could not be read';
  if (!full) return 'the page’s export_view does not show the same reports';
  return isPlaceholder(full) ? 'its export_view did not render it either' : 'its export_view shows another query there';
}

/** The macro's wrapper (`data-macro-name="detailssummary"`) around a report, else the table itself. */
export function reportContainer(table: HtmlElement): HtmlElement {
  for (let p = table.parent; p && p.type === 'tag'; p = p.parent) {
    const el = p as HtmlElement;
    if (el.attribs['data-macro-name'] === 'detailssummary') return el;
  }
  return table;
}

/**
 * The page each row of a rendered report shows; empty for a report that found nothing ("No content found." in one
 * cell), undefined when some row names no page (its text cannot be given an origin).
 */
export function rowPageIds(table: HtmlElement): string[] | undefined {
  const rows = bodyRows(table);
  const ids = rows.map((row) => contentId(firstCell(row)));
  if (ids.every((id): id is string => id !== undefined)) return ids;
  const nothingFound = rows.length === 1 && firstCell(rows[0]!)?.attribs.colspan !== undefined;
  return nothingFound ? [] : undefined;
}

/** A table the server sent without rows: what the browser fills. */
function isPlaceholder(table: HtmlElement): boolean {
  return bodyRows(table).length === 0;
}

/** The rows of data in the table's body: its own (not those of a table nested in a cell), headings apart. */
function bodyRows(table: HtmlElement): HtmlElement[] {
  const parts = tags(table.children).filter((el) => el.name === 'tbody');
  const rows = [...tags(table.children), ...parts.flatMap((part) => tags(part.children))];
  return rows.filter((el) => el.name === 'tr' && tags(el.children).some((cell) => cell.name === 'td'));
}

/** A page id, as Confluence writes one; anything else names no page. */
function contentId(cell: HtmlElement | undefined): string | undefined {
  const id = cell?.attribs['data-content-id'];
  return id && /^\d+$/.test(id) ? id : undefined;
}

function firstCell(row: HtmlElement): HtmlElement | undefined {
  return tags(row.children).find((el) => el.name === 'td' || el.name === 'th');
}

function tags(nodes: AnyNode[]): HtmlElement[] {
  return nodes.filter((n): n is HtmlElement => n.type === 'tag');
}

function classes(el: HtmlElement): string[] {
  return (el.attribs.class ?? '').split(/\s+/);
}
