// Macros whose text body.view lacks because Confluence builds it later, in the reader's browser (docs/macros.md):
// a page with a Page Properties Report has its export_view read (batched, only for such pages) and the report's rows
// taken from it; Jira's text is never ingested. What cannot be filled is taken out and reported per page.
import type { ConfluenceClient } from '../client/clientTypes';
import { ConfluenceError } from '../client/errors';
import type { PageRef } from '../client/types';
import { contentBatcher } from '../contentBatch';
import type { AloneReads } from '../readsAlone';
import { bodiesBatched, type Site } from '../site';
import type { LeftOut } from '../../../core/leftOut';
import { withoutJiraText } from './jira';
import { fillReports, hasReportPlaceholders } from './reports';

export interface LateMacrosInput {
  site: Site;
  /** The page as its body.view was read (the version the export view must match or pass). */
  ref: PageRef;
  run?: string;
  /** Counts an export view read outside its batch. */
  log?: AloneReads;
}

/** The body as the reader sees it once the browser is done, less what only Jira may grant, and what was left out. */
export async function withLateMacros(
  client: ConfluenceClient,
  input: LateMacrosInput,
  viewHtml: string,
): Promise<{ html: string; leftOut: LeftOut[] }> {
  const reports = hasReportPlaceholders(viewHtml)
    ? fillReports(viewHtml, await exportViewOf(client, input))
    : { html: viewHtml, leftOut: [] };
  // After the reports: their rows may hold Jira macros, rendered in full by the export.
  const jira = withoutJiraText(reports.html);
  return { html: jira.html, leftOut: [...reports.leftOut, ...jira.leftOut] };
}

/**
 * The page's export_view: from the run's batched read on this worker when bodies are batched, else (or when the batch
 * did not return the page, or returned an older version) from its own endpoint; undefined when the site refuses it.
 */
async function exportViewOf(
  client: ConfluenceClient,
  { site, ref, run, log }: LateMacrosInput,
): Promise<string | undefined> {
  const batched = bodiesBatched(site) ? await contentBatcher(client, run).exportView(ref, log) : undefined;
  if (batched) return batched.html;
  try {
    return (await client.getExportView(ref.id, ref.contentType)).html;
  } catch (err) {
    // Gone since its view was read, or a site (or proxy) that refuses the representation: the report is reported.
    if (err instanceof ConfluenceError && (err.kind === 'not-found' || err.kind === 'bad-request')) return undefined;
    throw err;
  }
}
