// Table text and text_as_html in Unstructured's compact form, shared by every table source.
import { lxmlEscapeText, pyHtmlEscape } from '../../core/htmlEscape';
import { pySplit, pyStrip } from '../../core/pyText';
import type { RawElement } from './rawElement';

/**
 * One cell as Unstructured writes it: escaped text, newlines as <br/>, <td/> when empty. HTML tables are escaped with
 * Python's html.escape; tables of files (CSV, XLSX, PPTX) are re-serialized by lxml, which leaves quotes as they are.
 */
export function cellHtml(tag: string, text: string, escapeText: (text: string) => string = pyHtmlEscape): string {
  const body = pySplit(escapeText(text).split('\n').join('<br/>')).join(' ');
  return body ? `<${tag}>${body}</${tag}>` : `<${tag}/>`;
}

/** A Table element from rows of cell texts, or undefined when every cell is blank. */
export function tableFromRows(rows: readonly (readonly string[])[]): RawElement | undefined {
  const cells = rows.map((row) => row.map((c) => pyStrip(c)));
  const text = cells
    .map((row) => row.filter(Boolean).join(' '))
    .filter(Boolean)
    .join(' ');
  if (text === '') return undefined;
  const html = cells
    .filter((row) => row.length > 0)
    .map((row) => `<tr>${row.map((c) => cellHtml('td', c, lxmlEscapeText)).join('')}</tr>`);
  return { type: 'Table', text, text_as_html: `<table>${html.join('')}</table>` };
}
