// A table's text_as_html read the way Unstructured's HtmlTable reads it: first <table>, thead/tbody/tfoot
// dropped, only colspan/rowspan kept, th -> td, whitespace compacted, then serialized like lxml's
// etree.tostring. Chunk HTML is built from these pieces, so the serialization has to match byte for byte.
import { parseDocument } from 'htmlparser2';
import { Element, Text, type ChildNode } from 'domhandler';
import { lxmlEscapeAttribute, lxmlEscapeText, pyHtmlEscape } from '../../core/htmlEscape';
import { hasPySpace, isBlank, normalizeSpace } from '../../core/pyText';

interface HNode {
  tag: string;
  attrs: Array<[string, string]>;
  /** lxml's .text: null when absent, which serializes an empty element as <tag/>. */
  text: string | null;
  children: Array<{ node: HNode; tail: string | null }>;
}

export interface HtmlCell {
  html: string;
  text: string;
  colspan: number;
}

export interface HtmlRow {
  html: string;
  cells: HtmlCell[];
  /** Non-empty cell texts. */
  texts: string[];
  isHeader: boolean;
  /** The row as written in the source, for repeating header rows. */
  sourceHtml: string;
  /** Largest rowspan of its cells; null when one has rowspan="0" (to the end of the table). */
  maxRowspan: number | null;
  /** The row with rowspans cut to `rows`, for a piece holding only that many rows from here. */
  clippedTo(rows: number): HtmlRow;
}

export interface HtmlTable {
  html: string;
  rows: HtmlRow[];
}

const ROW_GROUPS = new Set(['thead', 'tbody', 'tfoot']);

export function parseHtmlTable(textAsHtml: string): HtmlTable | null {
  const doc = parseDocument(textAsHtml, { recognizeSelfClosing: true });
  const table = findFirst(doc.children, 'table');
  if (!table) return null;
  const source = sourceRows(table);
  const compact = build(table, true);
  const rows = compact.children.filter((c) => c.node.tag === 'tr').map((c, i) => toRow(c.node, c.tail, source[i]));
  return { html: serialize(compact), rows };
}

/** `<table><tr><td>…</td></tr></table>` wrapper of a single cell, as Unstructured's _format_td writes it. */
export function formatTd(text: string, colspan = 1, rowspan = 1): string {
  const content = normalizeSpace(pyHtmlEscape(text).split('\n').join('<br/>'));
  const attrs = `${colspan > 1 ? ` colspan="${colspan}"` : ''}${rowspan > 1 ? ` rowspan="${rowspan}"` : ''}`;
  return content ? `<td${attrs}>${content}</td>` : `<td${attrs}/>`;
}

/** The same header row with its cells as <th>, for repeating it on continuation chunks. */
export function asHeaderRowHtml(row: HtmlRow, maxRowspan: number): string {
  const source = build(findFirst(parseDocument(row.sourceHtml, { recognizeSelfClosing: true }).children, 'tr')!, false);
  const tr = clipRowspans(source, maxRowspan);
  const children = tr.children.map(({ node, tail }) => ({
    node: node.tag === 'td' ? { ...node, tag: 'th' } : node,
    tail,
  }));
  return serialize({ ...tr, children });
}

/** The first element named `name` in document order (depth first). */
function findFirst(nodes: ChildNode[], name: string): Element | null {
  for (const n of nodes) {
    if (!(n instanceof Element)) continue;
    if (n.name === name) return n;
    const inner = findFirst(n.children, name);
    if (inner) return inner;
  }
  return null;
}

interface SourceRow {
  element: Element;
  inHead: boolean;
}

function sourceRows(table: Element): SourceRow[] {
  const rows: SourceRow[] = [];
  for (const child of table.children) {
    if (!(child instanceof Element)) continue;
    if (child.name === 'tr') rows.push({ element: child, inHead: false });
    else if (ROW_GROUPS.has(child.name)) {
      for (const tr of child.children) {
        if (tr instanceof Element && tr.name === 'tr') rows.push({ element: tr, inHead: child.name === 'thead' });
      }
    }
  }
  return rows;
}

/** A <thead> row, or a row of <th> cells after optional blank <td> corner cells. */
function isHeaderRow({ element, inHead }: SourceRow): boolean {
  if (inHead) return true;
  const cells = element.children.filter(
    (c): c is Element => c instanceof Element && (c.name === 'th' || c.name === 'td'),
  );
  const firstTh = cells.findIndex((c) => c.name === 'th');
  if (firstTh < 0) return false;
  const blank = (c: Element) => c.name === 'td' && isBlank(rawText(c));
  return cells.slice(0, firstTh).every(blank) && cells.slice(firstTh).every((c) => c.name === 'th' || blank(c));
}

function rawText(node: ChildNode): string {
  if (node instanceof Text) return node.data;
  return node instanceof Element ? node.children.map(rawText).join('') : '';
}

function toRow(tr: HNode, tail: string | null, source: SourceRow | undefined): HtmlRow {
  const cells = tr.children.map(({ node, tail: cellTail }) => toCell(node, cellTail));
  const spans = tr.children.map(({ node }) => rowspanOf(node));
  return {
    html: serialize(tr) + lxmlEscapeText(tail ?? ''),
    cells,
    texts: cells.map((c) => c.text).filter((t) => t !== ''),
    isHeader: source ? isHeaderRow(source) : false,
    sourceHtml: source ? serialize(build(source.element, false)) : serialize(tr),
    maxRowspan: spans.includes(null) ? null : Math.max(1, ...(spans as number[])),
    clippedTo: (rows) => toRow(clipRowspans(tr, rows), tail, source),
  };
}

function clipRowspans(tr: HNode, maxRowspan: number): HNode {
  const children = tr.children.map(({ node, tail }) => {
    const rowspan = rowspanOf(node);
    if (rowspan !== null && rowspan <= maxRowspan) return { node, tail };
    const attrs = node.attrs.filter(([k]) => k !== 'rowspan');
    const clipped =
      maxRowspan > 1
        ? node.attrs.map(([k, v]): [string, string] => [k, k === 'rowspan' ? String(maxRowspan) : v])
        : attrs;
    return { node: { ...node, attrs: clipped }, tail };
  });
  return { ...tr, children };
}

function toCell(td: HNode, tail: string | null): HtmlCell {
  const text = normalizeSpace(cellText(td));
  const colspan = Math.max(1, parseSpan(td, 'colspan') ?? 1);
  const html = text ? serialize(td) + lxmlEscapeText(tail ?? '') : formatTd('', colspan, rowspanOf(td) ?? 1);
  return { html, text, colspan };
}

/** text_content() where a <br> counts as a word break. */
function cellText(node: HNode): string {
  const parts = [node.text ?? ''];
  for (const { node: child, tail } of node.children) {
    parts.push(child.tag === 'br' ? ' ' : cellText(child), tail ?? '');
  }
  return parts.join('');
}

function parseSpan(node: HNode, name: string): number | null {
  const raw = node.attrs.find(([k]) => k === name)?.[1];
  return raw !== undefined && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : null;
}

/** Declared rowspan; null for rowspan="0" (spans the rest of the group). */
function rowspanOf(node: HNode): number | null {
  const value = parseSpan(node, 'rowspan') ?? 1;
  return value === 0 ? null : Math.max(1, value);
}

function build(el: Element, compact: boolean): HNode {
  const node: HNode = {
    tag: compact && el.name === 'th' ? 'td' : el.name,
    attrs: compact
      ? (['colspan', 'rowspan'] as const).filter((k) => k in el.attribs).map((k) => [k, el.attribs[k]!])
      : Object.entries(el.attribs),
    text: null,
    children: [],
  };
  for (const item of flatten(el.children, compact)) {
    const last = node.children[node.children.length - 1];
    if (typeof item !== 'string') node.children.push({ node: item, tail: null });
    else if (last) last.tail = (last.tail ?? '') + item;
    else node.text = (node.text ?? '') + item;
  }
  return compact ? compactWhitespace(node) : node;
}

/** Child content with thead/tbody/tfoot unwrapped in compact mode (lxml's drop_tag). */
function flatten(nodes: ChildNode[], compact: boolean): Array<string | HNode> {
  const out: Array<string | HNode> = [];
  for (const n of nodes) {
    if (n instanceof Text) out.push(n.data);
    else if (n instanceof Element) {
      if (compact && ROW_GROUPS.has(n.name)) out.push(...flatten(n.children, compact));
      else out.push(build(n, compact));
    }
  }
  return out;
}

function compactWhitespace(node: HNode): HNode {
  if (node.text) node.text = normalizeSpace(node.text);
  for (const child of node.children) child.tail = compactTail(child.tail);
  return node;
}

/** Whitespace-only tails go; others keep one space where they had leading or trailing whitespace. */
function compactTail(tail: string | null): string | null {
  if (!tail) return tail;
  const words = normalizeSpace(tail);
  if (!words) return null;
  const first = Array.from(tail)[0]!;
  const last = Array.from(tail).pop()!;
  return `${hasPySpace(first) ? ' ' : ''}${words}${hasPySpace(last) ? ' ' : ''}`;
}

function serialize(node: HNode): string {
  const attrs = node.attrs.map(([k, v]) => ` ${k}="${lxmlEscapeAttribute(v)}"`).join('');
  if (node.text === null && node.children.length === 0) return `<${node.tag}${attrs}/>`;
  const inner = node.children.map((c) => serialize(c.node) + lxmlEscapeText(c.tail ?? '')).join('');
  return `<${node.tag}${attrs}>${lxmlEscapeText(node.text ?? '')}${inner}</${node.tag}>`;
}
