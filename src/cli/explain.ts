// "Why is my page missing?": what the checkpoint and the last run's report say of one page, in plain lines. Pure: the
// `explain` command reads the two and prints these; nothing here asks the site.
import type { CheckpointRecord } from '../checkpoint';
import { isRevoked } from '../core/permissionsVersion';
import type { RunReport } from '../pipeline/activities/report';

/**
 * A page id as given, or taken from a Confluence URL (`/pages/123/...`, `?pageId=123`, or a whiteboard's, database's
 * or embed's `/whiteboard/123`).
 */
export function pageIdOf(query: string): string | undefined {
  if (/^\d+$/.test(query)) return query;
  if (!URL.canParse(query)) return undefined;
  const url = new URL(query);
  const inPath = /\/(?:pages|whiteboard|database|embed)\/(\d+)(?:\/|$)/.exec(url.pathname);
  return url.searchParams.get('pageId') ?? inPath?.[1];
}

/** A title matched against the pages the report names (the checkpoint is looked up by id). */
export function pageIdByTitle(title: string, report: RunReport | undefined): string | undefined {
  const named = [
    ...(report?.failures ?? []),
    ...(report?.missing ?? []),
    ...(report?.permissionsChanged ?? []),
    ...(report?.notIngestedItems ?? []),
  ];
  return named.find((p) => p.title === title)?.id ?? report?.skippedItems.find((s) => s.name === title)?.pageId;
}

export function explainPage(id: string, record: CheckpointRecord | undefined, report: RunReport | undefined): string[] {
  const lines = record ? recorded(record) : [];
  if (report) lines.push(...lastRun(id, record, report));
  if (lines.length > 0) return lines;
  return [
    `page ${id} is neither recorded in this output nor named by its last report: no run into it has listed the page ` +
      '(outside the selection, or not visible to the ingest account: open it on the site as that account to tell)',
  ];
}

function recorded(r: CheckpointRecord): string[] {
  const grants = isRevoked(r.permissionsVersion)
    ? 'its outputs grant no one (revoked: gone from a listing, or its readers could not be proven)'
    : 'its outputs carry the permissions recorded with it';
  return [
    `page ${r.id} "${r.title}" (space ${r.spaceKey}) is ingested: version ${r.version}, written ${r.committedAt} by run ${r.runId}`,
    `outputs: ${r.outputPaths.join(', ')}`,
    grants,
  ];
}

function lastRun(id: string, record: CheckpointRecord | undefined, report: RunReport): string[] {
  const when = `the last run (${report.finishedAt})`;
  const lines: string[] = [];
  const failure = report.failures.find((f) => f.id === id);
  if (failure) lines.push(`${when} failed it: ${failure.reason}`);
  // The page itself (label filter, permissions) or a file or image of it.
  for (const item of report.skippedItems.filter((s) => s.pageId === id))
    lines.push(`${when} left out ${item.name}: ${item.reason}`);
  if (report.missing.some((m) => m.id === id))
    lines.push(
      `${when} did not list it: deleted, or no longer visible to the ingest account` +
        (record
          ? '; its outputs were kept, granting no one (--delete-missing removes them)'
          : '; its outputs were removed'),
    );
  const notIngested = report.notIngestedItems?.find((item) => item.id === id);
  if (notIngested)
    lines.push(
      `${when} did not ingest ${notIngested.type} ${id} "${notIngested.title}" (space ${notIngested.spaceKey}), ` +
        `of a type not ingested: ${notIngested.reason}`,
    );
  const change = report.permissionsChanged?.find((p) => p.id === id);
  if (change) lines.push(`${when} found its permissions changed (${change.reasons.join(', ')}) and rewrote them`);
  const space = record && report.spaces.find((s) => s.key === record.spaceKey);
  if (space?.listingError) lines.push(`${when} could not list space ${space.key} to the end: ${space.listingError}`);
  if (report.listsTruncated && lines.length === 0)
    lines.push(`${when} named only its first 1,000 failures and left-out items: this page may be among the rest`);
  return lines;
}
