// What the terminal shows at the end of an ingest: each failure by id, what was left out, and the summary line.
import path from 'node:path';
import { TREE_ITEM_TYPES } from '../connectors/confluence/client/types';
import { describeDestination } from '../destinations/identity';
import type { IngestInput } from '../pipeline/config';
import { REPORT_FILE } from '../pipeline/activities/report';
import type { IngestProgress } from '../pipeline/progress';
import { EXIT } from './outcome';

/** Prints the run's end on stderr; the exit code says whether every page and space got through. */
export function printReport(result: IngestProgress, input: IngestInput): number {
  const { outputDir } = input;
  for (const f of result.failures) console.error(`failed page ${f.id} (${f.spaceKey} "${f.title}"): ${f.reason}`);
  const unlisted = result.spaces.filter((s) => s.listingError);
  for (const s of unlisted) console.error(`space ${s.key} could not be listed to the end: ${s.listingError}`);
  for (const s of result.spaces.filter((s) => s.permissionsSource === 'space-expand-permissions')) {
    console.error(
      `space ${s.key}: space permissions read from its expand=permissions (Data Center before 9.1 has no space permissions endpoint)`,
    );
  }
  if (result.commentSearchRefused)
    console.error(
      `the site refused the comment search, so each page's comments were read on their own (slower): ${result.commentSearchRefused}`,
    );
  printNotIngested(result);
  const filtered = result.filteredOut ?? 0;
  const reportPath = path.join(path.resolve(outputDir), REPORT_FILE);
  if (filtered > 0) console.error(`${filtered} page(s) left out by --labels/--exclude-labels; see ${reportPath}`);
  if (result.skippedItemCount > filtered)
    console.error(`${result.skippedItemCount - filtered} file(s) or image(s) left out; see ${reportPath}`);
  if (result.missingCount > 0)
    console.error(
      `${result.missingCount} page(s) no longer in the source${result.missing.length ? `: ${result.missing.map((m) => m.id).join(', ')}` : ''}`,
    );
  if (result.missingRevoked)
    console.error(`${result.missingRevoked} of them kept, granting no one now (--delete-missing removes them)`);
  printPermissionChanges(result);
  printReadsAlone(result, reportPath);
  const into =
    input.destination.type === 'local' ? path.resolve(outputDir) : describeDestination(outputDir, input.destination);
  console.error(
    `${result.done} of ${result.listed} pages ingested into ${into}; ${result.skipped} unchanged, ${result.failed} failed`,
  );
  if (result.leftForContentRun)
    console.error(`${result.leftForContentRun} new or edited page(s) left for a content run (--permissions-only)`);
  return result.failed === 0 && unlisted.length === 0 ? EXIT.done : EXIT.incomplete;
}

/**
 * Per space, the tree items the run did not ingest, by type, e.g. "space ENG: 2 folder(s), 3 whiteboard(s) not
 * ingested (folders hold pages; add whiteboard to --content-types to ingest the others' metadata)".
 */
function printNotIngested(result: IngestProgress): void {
  for (const s of result.spaces) {
    const types = TREE_ITEM_TYPES.filter((type) => (s.notIngested?.[type] ?? 0) > 0);
    if (types.length === 0) continue;
    const counts = types.map((type) => `${s.notIngested?.[type]} ${type}(s)`);
    const others = types.filter((type) => type !== 'folder');
    const why = [
      ...(others.length < types.length ? ['folders hold pages'] : []),
      ...(others.length > 0 ? [`add ${others.join(',')} to --content-types to ingest their metadata`] : []),
    ];
    console.error(`space ${s.key}: ${counts.join(', ')} not ingested (${why.join('; ')})`);
  }
}

/**
 * Requests that read pages outside their batch, by why and what, e.g. "3 request(s) read pages outside their batch
 * (not-in-answer: page 2; batch-failed-503: page 1)".
 */
function printReadsAlone(result: IngestProgress, reportPath: string): void {
  const count = result.readsOutsideBatchCount ?? 0;
  if (count === 0) return;
  const what = (byWhat: Record<string, number> = {}) =>
    Object.entries(byWhat)
      .map(([read, n]) => `${read} ${n}`)
      .join(', ');
  const why = Object.entries(result.readsOutsideBatch ?? {})
    .map(([reason, byWhat]) => `${reason}: ${what(byWhat)}`)
    .join('; ');
  console.error(`${count} request(s) read pages outside their batch (${why}); see ${reportPath}`);
}

/** Pages whose readers changed without a new version: how many, and why, e.g. "3 (restriction 2, move 1)". */
function printPermissionChanges(result: IngestProgress): void {
  const count = result.permissionsChangedCount ?? 0;
  if (count === 0) return;
  const why = Object.entries(result.permissionsChangedBy ?? {})
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  console.error(`permissions changed without a new version on ${count} page(s) (${why}); their outputs were updated`);
}
