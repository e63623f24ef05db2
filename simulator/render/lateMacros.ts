// Macros whose output is not the page's own text: Page Properties (`details`), the Page Properties Report
// (`detailssummary`) and Jira issues (`jira`). What Confluence sends for them depends on the representation
// (docs/macros.md): body.view carries the placeholder a browser fills in later (the report's "Generating page
// properties report..." table, a Jira issue's "Getting issue details..."), body.export_view the server's full
// rendering. Page Properties themselves render the same in both.
import type { PageTarget } from '../content';
import { pageWebui, type Mode } from '../links';
import type { SimMacro } from '../model';
import { Rng } from '../rng';
import { TOPICS } from '../vocab';
import { escapeHtml } from './escape';

/** The application link's id of the Jira server the macros name (storage `serverId`). */
const JIRA_SERVER_ID = '5f2e0e6e-0d6b-3f1c-9a7e-6c1d2b3a4f50';
const JIRA_STATUSES = ['To Do', 'In Progress', 'Done'] as const;

/** One line of a Page Properties Report: a page the reader may see and its properties. */
export interface ReportRow {
  page: PageTarget;
  properties: Array<[string, string]>;
}

export interface LateMacroContext {
  mode: Mode;
  /** `view`: what a browser is sent; `export`: the server's full rendering (body.export_view). */
  rendering: 'view' | 'export';
  basePath: string;
  /** Where issue links point: the Cloud site itself, or a Data Center's linked Jira. */
  jiraBase: string;
  seed: number;
  pageId: string;
  readerId: string;
  macroId: string;
  /** The pages a report lists for the reader, in the report's order. */
  reportRows: (cql: string) => ReportRow[];
}

export function storageMacro(macro: SimMacro, macroId: string): string {
  const open = (name: string, version = 1) =>
    `<ac:structured-macro ac:name="${name}" ac:schema-version="${version}" ac:macro-id="${macroId}">`;
  const param = (name: string, value: string) => `<ac:parameter ac:name="${name}">${escapeHtml(value)}</ac:parameter>`;
  const close = '</ac:structured-macro>';
  if (macro.macro === 'details') {
    const rows = macro.properties.map(
      ([k, v]) => `<tr><th><p>${escapeHtml(k)}</p></th><td><p>${escapeHtml(v)}</p></td></tr>`,
    );
    const body = `<ac:rich-text-body><table><tbody>${rows.join('')}</tbody></table></ac:rich-text-body>`;
    return `${open('details')}${body}${close}`;
  }
  if (macro.macro === 'detailssummary') {
    const params = param('headings', macro.headings.join(',')) + param('cql', macro.cql);
    return `${open('detailssummary', 3)}${params}${close}`;
  }
  const server = param('server', 'System Jira') + param('serverId', JIRA_SERVER_ID);
  if ('key' in macro) return `<p>${open('jira')}${server}${param('key', macro.key)}${close}</p>`;
  const table = param('jqlQuery', macro.jql) + param('columns', 'key,summary,status') + param('maximumIssues', '20');
  return `${open('jira')}${server}${table}${close}`;
}

export function viewMacro(macro: SimMacro, ctx: LateMacroContext): string {
  if (macro.macro === 'details') return details(macro.properties);
  if (macro.macro === 'detailssummary') return report(macro, ctx);
  if ('key' in macro) return `<p>${singleIssue(macro.key, ctx)}</p>`;
  return issueTable(macro.jql, ctx);
}

/** Page Properties: the page's own key/value table, rendered on the server in every representation. */
function details(properties: Array<[string, string]>): string {
  const rows = properties.map(
    ([k, v]) =>
      `<tr><th class="confluenceTh"><p>${escapeHtml(k)}</p></th>` +
      `<td class="confluenceTd"><p>${escapeHtml(v)}</p></td></tr>`,
  );
  return (
    '<div class="plugin-tabmeta-details conf-macro output-block" data-hasbody="true" data-macro-name="details">' +
    `<div class="table-wrap"><table class="confluenceTable"><tbody>${rows.join('')}</tbody></table></div></div>`
  );
}

/**
 * The Page Properties Report, as Confluence's masterdetail plugin renders it: in view a table with a caption and no
 * rows, which the browser fills from `/rest/masterdetail/1.0/detailssummary/lines`; in export the rows, one per page
 * (its id in `td.title[data-content-id]`), or "No content found.".
 */
function report(macro: Extract<SimMacro, { macro: 'detailssummary' }>, ctx: LateMacroContext): string {
  const attributes =
    `class="aui metadata-summary-macro null" data-cql="${escapeHtml(macro.cql)}" ` +
    `data-headings="${escapeHtml(macro.headings.join(','))}" data-first-column-heading="Title" ` +
    'data-count-comments="false" data-count-likes="false" data-total-pages="1" data-page-size="30" ' +
    'data-sort-by="" data-reverse-sort="false" data-blueprint-present="false"';
  const inner =
    ctx.rendering === 'view'
      ? '<caption>Generating page properties report...</caption><thead></thead><tbody></tbody>'
      : reportBody(macro, ctx);
  return (
    '<div class="table-wrap conf-macro output-block" data-hasbody="false" data-macro-name="detailssummary">' +
    `<table ${attributes}>${inner}</table></div>`
  );
}

function reportBody(macro: Extract<SimMacro, { macro: 'detailssummary' }>, ctx: LateMacroContext): string {
  const head = `<tr><th>Title</th>${macro.headings.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = ctx.reportRows(macro.cql).map(({ page, properties }) => {
    const href = `${ctx.basePath}${pageWebui(ctx.mode, page.spaceKey, page)}`;
    const cells = macro.headings.map((h) => {
      const value = properties.find(([k]) => k === h)?.[1];
      return `<td>${value ? escapeHtml(value) : '&nbsp;'}</td>`;
    });
    const link = `<a href="${escapeHtml(href)}">${escapeHtml(page.title)}</a>`;
    const title = `<td class="title" data-content-id="${page.id}">${link}</td>`;
    return `<tr>${title}${cells.join('')}</tr>`;
  });
  const none = `<tr><td colspan="${macro.headings.length + 1}">No content found.</td></tr>`;
  return `<thead>${head}</thead><tbody>${rows.length ? rows.join('') : none}</tbody>`;
}

interface JiraIssue {
  key: string;
  summary: string;
  status: (typeof JIRA_STATUSES)[number];
}

/** An issue Jira would answer for a key: the same every time for a seed. */
function jiraIssue(seed: number, key: string): JiraIssue {
  const rng = Rng.derive(seed, `jira:${key}`);
  const problem = rng.pick(['fails on retry', 'needs a review', 'is slow to load', 'misses a field']);
  return { key, summary: `${rng.pick(TOPICS)} ${problem}`, status: rng.pick(JIRA_STATUSES) };
}

/** The issues a JQL query finds: a few keys of the project it names. */
function jiraSearch(seed: number, jql: string): JiraIssue[] {
  const rng = Rng.derive(seed, `jql:${jql}`);
  const project = /project\s*=\s*"?([A-Z][A-Z0-9]*)/i.exec(jql)?.[1]?.toUpperCase() ?? 'SIM';
  const numbers = new Set<number>();
  for (let n = rng.int(2, 4); numbers.size < n; ) numbers.add(rng.int(1, 999));
  return [...numbers].map((n) => jiraIssue(seed, `${project}-${n}`));
}

/**
 * One issue. In view: its key and placeholders ("Getting issue details...", "STATUS") that the browser replaces with
 * what Jira shows the reader, as recorded Cloud pages have it. In export: summary and status, as Confluence's own
 * exports have it (`jira-macro-single-issue-export-pdf`).
 */
function singleIssue(key: string, ctx: LateMacroContext): string {
  const link = `${ctx.jiraBase}/browse/${encodeURIComponent(key)}`;
  if (ctx.rendering === 'view') {
    const clientId = `SINGLE_${JIRA_SERVER_ID}_${ctx.pageId}_${ctx.readerId}`;
    return (
      '<span class="confluence-jim-macro jira-issue conf-macro output-block" ' +
      `data-client-id="${escapeHtml(clientId)}" data-hasbody="false" data-jira-key="${escapeHtml(key)}" ` +
      `data-macro-id="${ctx.macroId}" data-macro-name="jira"> <a href="${escapeHtml(link)}" class="jira-issue-key">` +
      '<span class="aui-icon aui-icon-wait issue-placeholder"> </span>' +
      `${escapeHtml(key)}</a> - <span class="summary">Getting issue details...</span> ` +
      '<span class="aui-lozenge aui-lozenge-subtle aui-lozenge-default issue-placeholder">STATUS</span> </span>'
    );
  }
  const issue = jiraIssue(ctx.seed, key);
  return (
    `<span class="confluence-jim-macro jira-issue" data-jira-key="${escapeHtml(key)}"> ` +
    `<a href="${escapeHtml(link)}" class="jira-issue-key">${escapeHtml(key)}</a> - ` +
    `<span class="summary">${escapeHtml(issue.summary)}</span> ` +
    `<span class="aui-lozenge aui-lozenge-subtle jira-macro-single-issue-export-pdf">${issue.status}</span> </span>`
  );
}

/**
 * A JQL table. In view: an empty placeholder whose hidden input carries the macro for the browser's refresh request
 * (`refresh-module-id`, `refresh-wiki`). In export: the table (markup of the rows unverified).
 */
function issueTable(jql: string, ctx: LateMacroContext): string {
  if (ctx.rendering === 'view') {
    const wiki = storageMacro({ macro: 'jira', jql }, ctx.macroId);
    return (
      '<div class="confluence-jim-macro refresh-module-id jira-table placeholder conf-macro output-block" ' +
      `data-hasbody="false" data-macro-id="${ctx.macroId}" data-macro-name="jira">` +
      `<input type="hidden" class="refresh-wiki" id="refresh-wiki-${ctx.macroId}" ` +
      `data-wikimarkup="${escapeHtml(wiki)}" data-pageid="${ctx.pageId}"></div>`
    );
  }
  const head = ['Key', 'Summary', 'Status'].map((h) => `<th class="jira-tablesorter-header">${h}</th>`).join('');
  const rows = jiraSearch(ctx.seed, jql).map((issue) => {
    const link = escapeHtml(`${ctx.jiraBase}/browse/${issue.key}`);
    return (
      `<tr class="rowNormal"><td class="key"><a href="${link}">${issue.key}</a></td>` +
      `<td class="summary">${escapeHtml(issue.summary)}</td><td class="status">${issue.status}</td></tr>`
    );
  });
  return (
    '<div class="confluence-jim-macro jira-table"><div class="table-wrap"><table class="aui">' +
    `<thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div></div>`
  );
}
