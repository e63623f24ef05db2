// A whole Confluence selection: list spaces, list each space's pages one API page at a time,
// and ingest every page in its own child workflow, keeping at most maxInFlight of them running.
import { ApplicationFailure, condition, executeChild, proxyActivities, setHandler } from '@temporalio/workflow';
import { describeIssues, IngestInputSchema, type IngestInput } from '../config';
import type { PageRef, SpaceRef } from '../confluence/types';
import type { Activities } from '../activities';
import { pageWorkflowId } from '../ids';
import { confluencePageWorkflow } from './page';
import { progressQuery, Tally, type IngestProgress } from './progress';

const { listSpaces, listPages } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

export type IngestResult = IngestProgress;

export async function confluenceIngestWorkflow(rawInput: IngestInput): Promise<IngestResult> {
  const input = parseInput(rawInput);
  const tally = new Tally();
  setHandler(progressQuery, () => tally.snapshot());

  const spaces = await selectSpaces(input);
  for (const space of spaces) tally.space(space.key);
  for (const space of spaces) {
    await forEachPage(input, space, (ref) => {
      tally.listed(ref);
      return startPage(input, ref, tally);
    });
    tally.space(space.key).listingDone = true;
  }
  await condition(() => tally.inFlight === 0);
  tally.finished = true;
  return tally.snapshot();
}

function parseInput(rawInput: unknown): IngestInput {
  const parsed = IngestInputSchema.safeParse(rawInput);
  if (parsed.success) return parsed.data;
  throw ApplicationFailure.nonRetryable(`invalid workflow input: ${describeIssues(parsed.error)}`, 'InvalidInput');
}

async function selectSpaces(input: IngestInput): Promise<SpaceRef[]> {
  const { site, selection } = input;
  const spaces: SpaceRef[] = [];
  let cursor: string | undefined;
  do {
    const limit = Math.min(input.pageSize, selection.maxNumOfSpaces - spaces.length);
    const listing = await listSpaces({ site, selection, cursor, limit });
    spaces.push(...listing.items.slice(0, limit));
    cursor = listing.next;
  } while (cursor && spaces.length < selection.maxNumOfSpaces);

  const found = new Set(spaces.map((s) => s.key));
  const unknown = selection.spaces.filter((key) => !found.has(key));
  if (unknown.length > 0 && spaces.length < selection.maxNumOfSpaces) {
    throw ApplicationFailure.nonRetryable(
      `space key(s) ${unknown.join(', ')} not found or not visible to this user; check --spaces (keys, not display names)`,
      'UnknownSpace',
    );
  }
  return spaces;
}

async function forEachPage(input: IngestInput, space: SpaceRef, visit: (ref: PageRef) => Promise<void>): Promise<void> {
  const max = input.selection.maxNumOfDocsFromEachSpace;
  let taken = 0;
  let cursor: string | undefined;
  do {
    const limit = Math.min(input.pageSize, max - taken);
    const listing = await listPages({ site: input.site, space, cursor, limit });
    for (const ref of listing.items.slice(0, max - taken)) {
      await visit(ref);
      taken++;
    }
    cursor = listing.next;
  } while (cursor && taken < max);
}

/** Waits for a free slot in the window, then starts the page's child workflow without waiting for it to finish. */
async function startPage(input: IngestInput, ref: PageRef, tally: Tally): Promise<void> {
  await condition(() => tally.inFlight < input.maxInFlight);
  tally.inFlight++;
  executeChild(confluencePageWorkflow, {
    workflowId: pageWorkflowId(input.site.url, input.outputDir, ref.id, ref.version),
    args: [{ site: input.site, ref, outputDir: input.outputDir, workDir: input.workDir }],
  })
    .then(
      () => tally.succeeded(ref),
      (err: unknown) => tally.failedPage(ref, rootCause(err)),
    )
    .finally(() => tally.inFlight--);
}

function rootCause(err: unknown): string {
  let current = err as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(err);
}
