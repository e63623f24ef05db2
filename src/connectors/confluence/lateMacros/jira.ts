// Jira issues macros (jira, and the older jiraissues). In body.view Confluence sends placeholders: one issue as its key
// with "Getting issue details..." and "STATUS", a JQL table or count as an empty block; the reader's browser asks Jira
// for the rest, as that reader. Export renderings hold Jira's text as the ingest account's Jira identity sees it.
// Either way that text is Jira's, readable by whom Jira's permissions say, which Confluence's grants cannot prove: it
// is never ingested under the page's grants. An issue's key is on the page for every reader, and is kept.
import type { Element as HtmlElement } from 'domhandler';
import { Text } from 'domhandler';
import render from 'dom-serializer';
import { findAll, removeElement, replaceElement } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { flattenDeepNesting } from '../../../core/htmlNesting';
import type { LeftOut } from '../../../core/leftOut';

const JIRA_MACROS: ReadonlySet<string> = new Set(['jira', 'jiraissues']);
const JIRA_CLASS = 'confluence-jim-macro';
/** Keys named in one report entry; the rest are counted. */
const KEYS_NAMED = 5;
const WHY =
  'left out: Confluence takes it from Jira in the reader’s browser, ' + 'under Jira’s permissions, not the page’s';

/** The body with each Jira macro reduced to its issue key (or taken out), and what was left out. */
export function withoutJiraText(html: string): { html: string; leftOut: LeftOut[] } {
  if (!html.includes(JIRA_CLASS) && !/data-macro-name="jira(issues)?"/.test(html)) return { html, leftOut: [] };
  const doc = parseDocument(flattenDeepNesting(html));
  const macros = outermost(findAll(isJiraMacro, doc.children));
  if (macros.length === 0) return { html, leftOut: [] };
  const keys: string[] = [];
  let blocks = 0;
  for (const el of macros) {
    const key = el.attribs['data-jira-key'];
    if (key) {
      keys.push(key);
      replaceElement(el, new Text(key));
    } else {
      blocks++;
      removeElement(el);
    }
  }
  return { html: render(doc, { encodeEntities: 'utf8' }), leftOut: report(keys, blocks) };
}

function report(keys: string[], blocks: number): LeftOut[] {
  const leftOut: LeftOut[] = [];
  if (keys.length > 0) {
    const more = keys.length > KEYS_NAMED ? ` and ${keys.length - KEYS_NAMED} more` : '';
    const named = `${keys.slice(0, KEYS_NAMED).join(', ')}${more}`;
    leftOut.push({ name: `jira macro: summary and status of ${named}`, reason: `${WHY}; the key is kept` });
  }
  if (blocks > 0)
    leftOut.push({ name: `jira macro (issue table or count${blocks > 1 ? `, ${blocks}x` : ''})`, reason: WHY });
  return leftOut;
}

function isJiraMacro(el: HtmlElement): boolean {
  const name = el.attribs['data-macro-name'];
  if (name !== undefined) return JIRA_MACROS.has(name);
  return (el.attribs.class ?? '').split(/\s+/).includes(JIRA_CLASS);
}

/** Those not inside another: a placeholder's inner parts go with it. */
function outermost(found: HtmlElement[]): HtmlElement[] {
  const set = new Set(found);
  return found.filter((el) => {
    for (let p = el.parent; p; p = p.parent) if (set.has(p as HtmlElement)) return false;
    return true;
  });
}
