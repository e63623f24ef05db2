// "Why is my page missing?": what the checkpoint and the last run's report say of one page, in plain lines. Pure: the
// `explain` command reads the two and prints these; nothing here asks the site (explainSite.ts does, when asked).
import type { CheckpointRecord } from '../checkpoint';
import { isRevoked } from '../core/permissionsVersion';
import type { RunReport } from '../pipeline/activities/report';

export function explainPage(id: string, record: CheckpointRecord | undefined, report: RunReport | undefined): string[] {
  const lines = record ? recorded(record) : [];
  if (report) lines.push(...lastRun(id, record, report));
  if (lines.length > 0) return lines;
  return [
    `page ${id} is neither recorded in this output nor named by its last report: no run into it has listed the page ` +
      '(outside the selection, or not visible to the ingest account: --ask-site asks the site)',
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
  // Named nowhere: what its space's listing says of it.
  if (record && lines.length === 0) lines.push(...listing(record, report));
  if (lines.length === 0) lines.push(...endedEarly(report));
  if (report.listsTruncated && lines.length === 0)
    lines.push(
      `${when} named only its first 1,000 failures, left-out items and tree items not ingested: ` +
        'this page may be among the rest',
    );
  return lines;
}

/** What the last run's listing of a recorded page's space says of it. */
function listing(record: CheckpointRecord, report: RunReport): string[] {
  const when = `the last run (${report.finishedAt})`;
  const space = report.spaces.find((s) => s.key === record.spaceKey);
  if (!space)
    return [`${when} did not list space ${record.spaceKey} (outside its selection): the page stays as written`];
  if (space.listingError) return [`${when} could not list space ${space.key} to the end: ${space.listingError}`];
  const written = Date.parse(record.committedAt);
  if (written >= Date.parse(report.startedAt) && written <= Date.parse(report.finishedAt))
    return [`${when} listed it and wrote this version`];
  if (!space.listingDone) return [`${when} ended before listing all of space ${space.key}`];
  return [`${when} listed space ${space.key} and kept the page as written (unchanged, or past its per-space limit)`];
}

function endedEarly(report: RunReport): string[] {
  const how = report.stopped ? `stopped (${report.stopped.reason})` : report.cancelled ? 'was cancelled' : undefined;
  if (!how) return [];
  return [`the last run ${how} before its end: it may not have reached this page; a re-run continues from there`];
}
