// A whole Confluence selection: list the spaces, then each source (a space's pages or blog posts, a CQL query, page
// ids) one API page at a time; skip pages the checkpoint already holds at that version; ingest the rest in child
// workflows through a sliding window; and continue-as-new (after draining the window) whenever the history grows
// long, carrying the listing position.
import {
  ApplicationFailure,
  CancellationScope,
  continueAsNew,
  defineQuery,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PageRef, SpaceRef } from '../../connectors/confluence/client/types';
import type { ContentListing } from '../../connectors/confluence/indexer';
import {
  contentSources,
  needsSpaces,
  spaceOf,
  treeTypesNotIngested,
  type ContentSource,
} from '../../connectors/confluence/sources';
import { SEARCH_ATTRIBUTES, searchAttributeValues } from '../../temporal/searchAttributes';
import type { Activities } from '../activities';
import type { IngestInput } from '../config';
import { emptyProgress, listsTruncated, Tally, type IngestProgress } from '../progress';
import { stepsFor } from './steps';
import { LISTING_STOPS, runStopIn, runStoppedFailure, stopOf } from '../runStops';
import { FAILURE, failureOf } from '../../core/failures';
import { PageWindow, rootCause } from './window';

export const progressQuery = defineQuery<IngestProgress>('progress');

/** Runs begun before permissions were checked on every run go on without the check. */
const PERMISSION_DRIFT = 'permission-drift';

/** Runs begun before a space gone from an all-spaces listing counted as missing go on without the check. */
const VANISHED_SPACES = 'vanished-spaces';

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

/** The shape of IngestState. Raise it when the shape changes, and teach resumable() to upgrade the older shapes. */
export const INGEST_STATE_VERSION = 1;

export interface IngestState {
  /** Which shape of this state the run that continued-as-new wrote (see resumable). */
  stateVersion: typeof INGEST_STATE_VERSION;
  sources: ContentSource[];
  sourceIndex: number;
  listing: ListingPosition;
  /** Spaces whose listing the per-space limit cut short: pages absent from them are not known to be gone. */
  cappedSpaces: string[];
  progress: IngestProgress;
}

export type IngestResult = IngestProgress;

export async function confluenceIngestWorkflow(rawInput: IngestInput, carried?: IngestState): Promise<IngestResult> {
  const resume = carried && resumable(carried);
  const input = readingAfresh(resume ? rawInput : await validate(rawInput));
  const tally = new Tally(resume?.progress ?? emptyProgress(new Date().toISOString()));
  setHandler(progressQuery, () => tally.snapshot());
  const steps = new IndexSteps(input, tally);
  // Refused credentials or an unknown space before any page ran fail the run as they are: bad input, not a stop.
  const state: IngestState = resume ?? (await steps.begin());
  const window = new PageWindow(input, tally);

  try {
    for (; state.sourceIndex < state.sources.length; state.sourceIndex++, state.listing = freshListing()) {
      const source = state.sources[state.sourceIndex];
      while (state.listing.pending.length > 0 || !state.listing.exhausted) {
        if (state.listing.pending.length === 0)
          await steps.listNextBatch(source, state.listing, window, opensSpace(state));
        const ref = state.listing.pending.shift();
        if (ref) await window.start(ref);
        if (historyIsLong()) {
          await window.drain();
          tally.state.continuedAsNew++;
          await continueAsNew<typeof confluenceIngestWorkflow>(input, state);
        }
      }
      await steps.finishSource(state);
    }
    await window.drain();
    await steps.reportVanishedSpaces(state);
  } catch (err) {
    throw await endedEarly(err, { steps, window, tally });
  }
  tally.state.finished = true;
  steps.publishProgress();
  await steps.finishRun();
  return tally.snapshot();
}

/**
 * A cancelled run, or one stopped by what no page can escape (credentials rejected, disk full), still leaves its report
 * and no temp files, where the disk allows: what was written stays written and recorded. Returns what to fail with.
 */
async function endedEarly(
  err: unknown,
  { steps, window, tally }: { steps: IndexSteps; window: PageWindow; tally: Tally },
): Promise<unknown> {
  const stop = stopOf(err);
  if (!stop && !isCancellation(err)) return err;
  if (stop) {
    tally.state.stopped = stop;
    // A listing step may have found the stop while pages still run: the report comes after the last of them.
    await window.settle();
  } else tally.state.cancelled = true;
  const finished = CancellationScope.nonCancellable(() => steps.finishRun());
  // A full disk may refuse the report too: the run's failure still names the cause.
  await (stop ? finished.catch(() => undefined) : finished);
  return stop ? runStoppedFailure(stop, tally.state.done) : err;
}

/**
 * Permission data is read once per run and never trusted from an earlier run (it changes without a new page
 * version): the run, across continue-as-new, names the caches its steps read through.
 */
function readingAfresh(input: IngestInput): IngestInput {
  return { ...input, permissions: { ...input.permissions, run: workflowInfo().firstExecutionRunId } };
}

/** Input from the Temporal CLI, UI or a schedule gets its defaults here, or fails at once listing every problem. */
async function validate(rawInput: IngestInput): Promise<IngestInput> {
  // Routing options of an unvalidated input are not to be trusted: validation runs on the workflow's own queue.
  return stepsFor({ activityTimeoutSeconds: 30, taskQueues: {} }).validateInput(rawInput);
}

/**
 * The state a previous run carried across continue-as-new, in this code's shape. States from before the version field
 * have version 1's shape; a state this code does not know (a newer worker continued the run) fails the run clearly
 * rather than being misread.
 */
function resumable(state: IngestState): IngestState {
  const version: unknown = (state as Partial<IngestState>).stateVersion;
  if (version === undefined) return { ...state, stateVersion: INGEST_STATE_VERSION };
  if (version === INGEST_STATE_VERSION) return state;
  throw ApplicationFailure.create(
    failureOf(
      FAILURE.UnknownIngestStateVersion,
      `cannot continue this ingest: its carried state has version ${String(version)}, and this worker knows only version ${INGEST_STATE_VERSION}; ` +
        'run workers of the build that continued it (or newer), or start the ingest again (the checkpoint skips finished pages)',
    ),
  );
}

function freshListing(): ListingPosition {
  return { taken: 0, exhausted: false, capped: false, pending: [] };
}

/** The listing about to be read is the first of its space's: the space's tree items not ingested come with it. */
function opensSpace({ sources, sourceIndex, listing }: IngestState): boolean {
  const first = listing.cursor === undefined && listing.taken === 0;
  return first && spaceOf(sources[sourceIndex]) !== spaceOf(sources[sourceIndex - 1]);
}

function uniqueById(refs: PageRef[]): PageRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => !seen.has(ref.id) && Boolean(seen.add(ref.id)));
}

function historyIsLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > HISTORY_EVENTS_BEFORE_CONTINUE;
}

/**
 * The index step as the workflow sees it: listing activities, the checkpoint's verdicts, and their effect on the tally.
 */
class IndexSteps {
  private readonly activities: Activities;
  /** One full enumeration of the selection, across continue-as-new. */
  private readonly generation = workflowInfo().firstExecutionRunId;

  constructor(
    private readonly input: IngestInput,
    private readonly tally: Tally,
  ) {
    this.activities = stepsFor(input);
  }

  async begin(): Promise<IngestState> {
    const spaces = needsSpaces(this.input.selection) ? await this.selectSpaces() : [];
    for (const space of spaces) this.tally.space(space.key);
    return {
      stateVersion: INGEST_STATE_VERSION,
      sources: contentSources(this.input.selection, spaces, this.input.site.cloud),
      sourceIndex: 0,
      listing: freshListing(),
      cappedSpaces: [],
      progress: this.tally.state,
    };
  }

  /** Once the last source of a space is listed, pages recorded earlier but not seen are reported as gone. */
  async finishSource(state: IngestState): Promise<void> {
    const space = spaceOf(state.sources[state.sourceIndex]);
    if (!space) return;
    if (state.listing.capped) state.cappedSpaces.push(space);
    if (spaceOf(state.sources[state.sourceIndex + 1]) === space) return;
    this.tally.space(space).listingDone = true;
    if (!state.cappedSpaces.includes(space)) await this.reportMissing(space);
  }

  /**
   * A space an all-spaces selection no longer lists at all (deleted, or hidden from the account) has all its recorded
   * pages missing: they are revoked, or deleted under the same --max-delete as any other missing page.
   */
  async reportVanishedSpaces(state: IngestState): Promise<void> {
    const { selection, outputDir, destination, site } = this.input;
    if (!needsSpaces(selection) || selection.spaces.length > 0) return;
    const listed = new Set(state.sources.map(spaceOf));
    // A listing cut short by --max-num-of-spaces does not show which spaces are gone.
    if (listed.size >= selection.maxNumOfSpaces || !patched(VANISHED_SPACES)) return;
    const recorded = await this.activities.recordedSpaces({ outputDir, destination, siteUrl: site.url });
    for (const { spaceKey } of recorded) if (!listed.has(spaceKey)) await this.reportMissing(spaceKey);
  }

  async selectSpaces(): Promise<SpaceRef[]> {
    const { site, selection, pageSize } = this.input;
    const spaces: SpaceRef[] = [];
    let cursor: string | undefined;
    do {
      const limit = Math.min(pageSize, selection.maxNumOfSpaces - spaces.length);
      const listing = await this.activities.listSpaces({
        site,
        selection: { spaces: selection.spaces },
        cursor,
        limit,
      });
      spaces.push(...listing.items.slice(0, limit));
      cursor = listing.next;
    } while (cursor && spaces.length < selection.maxNumOfSpaces);

    const found = new Set(spaces.map((s) => s.key));
    const unknown = selection.spaces.filter((key) => !found.has(key));
    if (unknown.length > 0 && spaces.length < selection.maxNumOfSpaces) {
      throw ApplicationFailure.create(
        failureOf(
          FAILURE.UnknownSpace,
          `space key(s) ${unknown.join(', ')} not found or not visible to this user; check --spaces (keys, not display names)`,
        ),
      );
    }
    return spaces;
  }

  /** One API page of refs: counted as listed, unchanged ones counted as such, the rest queued to ingest. */
  async listNextBatch(
    source: ContentSource,
    position: ListingPosition,
    window: PageWindow,
    opensSpace: boolean,
  ): Promise<void> {
    const { site, outputDir, pageSize, selection } = this.input;
    // The per-space cap is the reference's; page ids and CQL results are taken whole, as the user listed them.
    const max = source.kind === 'space' ? selection.maxNumOfDocsFromEachSpace : Number.POSITIVE_INFINITY;
    const limit = Math.min(pageSize, max - position.taken);
    const listing = await this.listOrGiveUp(source, position, limit, opensSpace);
    if (!listing) return;
    for (const id of listing.missing ?? []) this.tally.unknownPage(id);
    if (listing.filteredOut) this.tally.filtered(listing.filteredOut);
    if (listing.commentSearchRefused) this.tally.state.commentSearchRefused ??= listing.commentSearchRefused;
    if (listing.treeItems && source.kind === 'space')
      this.tally.treeItems(source.space.key, listing.treeItems, listing.treeItemsNamed ?? []);
    const taken = listing.items.slice(0, max - position.taken);
    position.taken += taken.length;
    // A listing that shifts while it is read can return a page twice; it is ingested once.
    const refs = uniqueById(taken).filter((ref) => !window.isRunning(ref));
    position.cursor = listing.next;
    position.exhausted = !listing.next || position.taken >= max;
    position.capped = Boolean(listing.next) && position.taken >= max;
    this.tally.listed(refs);

    const { newOrChanged } = await this.activities.classifyPages({
      outputDir,
      destination: this.input.destination,
      siteUrl: site.url,
      generation: this.generation,
      refs: refs.map(({ id, version, contentVersion }) => ({
        id,
        version,
        ...(contentVersion ? { contentVersion } : {}),
      })),
    });
    const changed = new Set(newOrChanged);
    const again = await this.checkPermissions(refs, changed);
    position.pending = this.toIngest(refs, changed, again);
    const pending = new Set(position.pending.map((r) => r.id));
    this.tally.unchanged(refs.filter((r) => !pending.has(r.id)));
    this.publishProgress();
  }

  private toIngest(refs: PageRef[], changed: Set<string>, again: Set<string>): PageRef[] {
    if (this.input.permissionsOnly) {
      this.tally.leftForContentRun(refs.filter((r) => changed.has(r.id)).length);
      return [];
    }
    return this.input.reprocess ? refs : refs.filter((r) => changed.has(r.id) || again.has(r.id));
  }

  /**
   * Who may read a written page changes without a new page version (a restriction, a move, a space grant, a group):
   * the permissions of every written page are checked, and rewritten in its outputs where they changed. Returns the
   * pages to ingest again because their outputs also carry other pages' permissions (included text, linked files).
   */
  private async checkPermissions(refs: PageRef[], changed: Set<string>): Promise<Set<string>> {
    const { permissions, permissionsOnly, site, outputDir, destination } = this.input;
    if (!permissions.enabled || !patched(PERMISSION_DRIFT)) return new Set();
    const written = permissionsOnly ? refs : refs.filter((r) => !changed.has(r.id));
    if (written.length === 0) return new Set();
    const result = await this.activities.syncPermissions({
      outputDir,
      destination,
      site,
      permissions,
      ingests: !permissionsOnly,
      pages: written.map(({ id, spaceId, spaceKey, contentType }) => ({ id, spaceId, spaceKey, contentType })),
    });
    this.tally.readsAlone(result.readsAlone);
    const byId = new Map(written.map((r) => [r.id, r]));
    this.tally.permissionsChanged(
      result.changed.map(({ id, reasons }) => ({
        id,
        reasons,
        title: byId.get(id)?.title ?? '',
        spaceKey: byId.get(id)?.spaceKey ?? '',
      })),
    );
    for (const { id, reason } of result.unproven) {
      const ref = byId.get(id);
      if (ref) this.tally.failedPage(ref, `${reason}; its outputs now grant no one`);
    }
    return new Set(result.ingestAgain);
  }

  /**
   * One API page of a source's listing. When a space cannot be listed (403, repeated 5xx), that space is reported and
   * the others go on; its pages are then not known to be gone, so none is reported missing.
   */
  private async listOrGiveUp(
    source: ContentSource,
    position: ListingPosition,
    limit: number,
    opensSpace: boolean,
  ): Promise<ContentListing | undefined> {
    const { site, selection, extract } = this.input;
    // Jobs validated before the label filter existed carry no label lists.
    const { labels = [], excludeLabels = [], includeArchived } = selection;
    const filter = labels.length > 0 || excludeLabels.length > 0 ? { labelFilter: { labels, excludeLabels } } : {};
    const comments = extract.comments ? { includeComments: true } : {};
    const tree = opensSpace ? { notIngested: treeTypesNotIngested(selection) } : {};
    try {
      return await this.activities.listContent({
        site,
        source,
        includeArchived,
        cursor: position.cursor,
        limit,
        ...filter,
        ...comments,
        ...tree,
      });
    } catch (err) {
      if (source.kind !== 'space' || isCancellation(err) || runStopIn(err, LISTING_STOPS)) throw err;
      this.tally.listingFailed(source.space.key, rootCause(err));
      Object.assign(position, { exhausted: true, capped: true, pending: [] });
      return undefined;
    }
  }

  /** Once per listing batch, not per page: each upsert is an event in the history. */
  publishProgress(): void {
    if (!this.input.searchAttributes) return;
    const { state } = this.tally;
    const { site, spaces } = searchAttributeValues(
      this.input.site.url,
      state.spaces.map((s) => s.key),
    );
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.site, value: site },
      { key: SEARCH_ATTRIBUTES.spaces, value: spaces },
      { key: SEARCH_ATTRIBUTES.done, value: state.done },
      { key: SEARCH_ATTRIBUTES.failed, value: state.failed },
    ]);
  }

  /** Sweeps what crashed writes left, then writes the report (a run that listed no pages at all leaves no trace). */
  async finishRun(): Promise<void> {
    const state = this.tally.state;
    if (state.listed === 0) return;
    await this.activities.sweepTempFiles({ dirs: [this.input.outputDir, this.input.extract.downloadDir] });
    const finishedAt = new Date();
    await this.activities.writeReport({
      outputDir: this.input.outputDir,
      report: {
        ...this.tally.snapshot(),
        workflowId: workflowInfo().workflowId,
        site: this.input.site.url,
        finishedAt: finishedAt.toISOString(),
        seconds: (finishedAt.getTime() - Date.parse(state.startedAt)) / 1000,
        listsTruncated: listsTruncated(state),
      },
    });
  }

  async reportMissing(spaceKey: string): Promise<void> {
    const missing = await this.activities.findMissing({
      outputDir: this.input.outputDir,
      destination: this.input.destination,
      siteUrl: this.input.site.url,
      spaceKey,
      generation: this.generation,
      deleteMissing: this.input.deleteMissing,
      maxDeletePercent: this.input.maxDeletePercent,
    });
    this.tally.missingPages(missing.count, missing.pages, missing.revoked ?? 0);
  }
}
