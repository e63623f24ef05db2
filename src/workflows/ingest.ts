// A whole Confluence selection: list the spaces, then each space's pages one API page at a time; skip pages the
// checkpoint already holds at that version; ingest the rest in child workflows through a sliding window; and
// continue-as-new (after draining the window) whenever the history grows long, carrying the listing position.
import { ApplicationFailure, continueAsNew, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES } from '../temporal/searchAttributes';
import type { IngestInput } from '../config';
import type { PageRef, SpaceRef } from '../confluence/types';
import type { Activities } from '../activities';
import { activityOptions } from './activityOptions';
import { emptyProgress, progressQuery, Tally, type IngestProgress } from './progress';
import { PageWindow } from './window';

/** Well under Temporal's limits and the 10,000 events we promise, even with a full window still to drain. */
const HISTORY_EVENTS_BEFORE_CONTINUE = 4000;

interface ListingPosition {
  cursor?: string;
  taken: number;
  exhausted: boolean;
  /** True when the per-space limit cut the listing short, so absent pages are not known to be gone. */
  capped: boolean;
  pending: PageRef[];
}

export interface IngestState {
  spaces: SpaceRef[];
  spaceIndex: number;
  listing: ListingPosition;
  progress: IngestProgress;
}

export type IngestResult = IngestProgress;

export async function confluenceIngestWorkflow(rawInput: IngestInput, resume?: IngestState): Promise<IngestResult> {
  const input = resume ? rawInput : await validate(rawInput);
  const tally = new Tally(resume?.progress ?? emptyProgress(new Date().toISOString()));
  setHandler(progressQuery, () => tally.snapshot());
  const steps = new IndexSteps(input, tally);
  const state: IngestState = resume ?? { spaces: await steps.selectSpaces(), spaceIndex: 0, listing: freshListing(), progress: tally.state };
  for (const space of state.spaces) tally.space(space.key);
  const window = new PageWindow(input, tally);

  for (; state.spaceIndex < state.spaces.length; state.spaceIndex++, state.listing = freshListing()) {
    const space = state.spaces[state.spaceIndex];
    while (state.listing.pending.length > 0 || !state.listing.exhausted) {
      if (state.listing.pending.length === 0) await steps.listNextBatch(space, state.listing);
      const ref = state.listing.pending.shift();
      if (ref) await window.start(ref);
      if (historyIsLong()) {
        await window.drain();
        tally.state.continuedAsNew++;
        await continueAsNew<typeof confluenceIngestWorkflow>(input, state);
      }
    }
    tally.space(space.key).listingDone = true;
    if (!state.listing.capped) await steps.reportMissing(space);
  }
  await window.drain();
  tally.state.finished = true;
  steps.publishProgress();
  await steps.writeReport();
  return tally.snapshot();
}

/** Input from the Temporal CLI, UI or a schedule gets its defaults here, or fails at once listing every problem. */
async function validate(rawInput: unknown): Promise<IngestInput> {
  const { validateInput } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 3 } });
  return validateInput(rawInput);
}

function freshListing(): ListingPosition {
  return { taken: 0, exhausted: false, capped: false, pending: [] };
}

function historyIsLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > HISTORY_EVENTS_BEFORE_CONTINUE;
}

/** The index step as the workflow sees it: listing activities, the checkpoint's verdicts, and their effect on the tally. */
class IndexSteps {
  private readonly activities: Activities;
  /** One full enumeration of the selection, across continue-as-new. */
  private readonly generation = workflowInfo().firstExecutionRunId;

  constructor(
    private readonly input: IngestInput,
    private readonly tally: Tally,
  ) {
    this.activities = proxyActivities<Activities>(activityOptions(input.activityTimeoutSeconds));
  }

  async selectSpaces(): Promise<SpaceRef[]> {
    const { site, selection, pageSize } = this.input;
    const spaces: SpaceRef[] = [];
    let cursor: string | undefined;
    do {
      const limit = Math.min(pageSize, selection.maxNumOfSpaces - spaces.length);
      const listing = await this.activities.listSpaces({ site, selection, cursor, limit });
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

  /** One API page of refs: counted as listed, unchanged ones counted as skipped, the rest queued to ingest. */
  async listNextBatch(space: SpaceRef, position: ListingPosition): Promise<void> {
    const { site, outputDir, pageSize, reprocess } = this.input;
    const max = this.input.selection.maxNumOfDocsFromEachSpace;
    const listing = await this.activities.listPages({ site, space, cursor: position.cursor, limit: Math.min(pageSize, max - position.taken) });
    const refs = listing.items.slice(0, max - position.taken);
    position.taken += refs.length;
    position.cursor = listing.next;
    position.exhausted = !listing.next || position.taken >= max;
    position.capped = Boolean(listing.next) && position.taken >= max;
    this.tally.listed(refs);

    const { newOrChanged } = await this.activities.classifyPages({
      outputDir,
      siteUrl: site.url,
      generation: this.generation,
      refs: refs.map(({ id, version }) => ({ id, version })),
    });
    const changed = new Set(newOrChanged);
    position.pending = reprocess ? refs : refs.filter((r) => changed.has(r.id));
    this.tally.skipped(refs.filter((r) => !reprocess && !changed.has(r.id)));
    this.publishProgress();
  }

  /** Once per listing batch, not per page: each upsert is an event in the history. */
  publishProgress(): void {
    if (!this.input.searchAttributes) return;
    const { state } = this.tally;
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.site, value: this.input.site.url },
      { key: SEARCH_ATTRIBUTES.spaces, value: state.spaces.map((s) => s.key) },
      { key: SEARCH_ATTRIBUTES.done, value: state.done },
      { key: SEARCH_ATTRIBUTES.failed, value: state.failed },
    ]);
  }

  /** Written only when there is an output dir to write into (a run with no pages at all leaves no trace). */
  async writeReport(): Promise<void> {
    const state = this.tally.state;
    if (state.listed === 0) return;
    const finishedAt = new Date();
    await this.activities.writeReport({
      outputDir: this.input.outputDir,
      report: {
        ...this.tally.snapshot(),
        workflowId: workflowInfo().workflowId,
        site: this.input.site.url,
        finishedAt: finishedAt.toISOString(),
        seconds: (finishedAt.getTime() - Date.parse(state.startedAt)) / 1000,
        listsTruncated: state.failures.length < state.failed || state.skippedItems.length < state.skippedItemCount,
      },
    });
  }

  async reportMissing(space: SpaceRef): Promise<void> {
    const missing = await this.activities.findMissing({
      outputDir: this.input.outputDir,
      siteUrl: this.input.site.url,
      spaceKey: space.key,
      generation: this.generation,
      deleteMissing: this.input.deleteMissing,
    });
    this.tally.missingPages(missing.count, missing.pages);
  }
}
