// The ingest's running tally: what the progress query returns, what continue-as-new carries, and the final report.
// Plain data and a class over it, free of side effects: the ingest workflow keeps it.
import type { LeftOut } from '../core/leftOut';
import type { MissingPage } from '../core/missing';
import type {
  ContentType,
  NamedTreeItem,
  PageRef,
  SpacePermissionsSource,
  TreeItemCounts,
  TreeItemInSpace,
  TreeItemType,
} from '../connectors/confluence/client/types';
import type { FilteredOut } from '../connectors/confluence/labelFilter';
import type { AloneRead, AloneReason, ReadsAlone } from '../connectors/confluence/readsAlone';
import type { RunStop } from './runStops';

export interface FailedPage {
  id: string;
  title: string;
  spaceKey: string;
  reason: string;
}

/** An extracted file or image (or a skipped page) that did not become part of the output, and why. */
export interface SkippedItem extends LeftOut {
  pageId: string;
}

/** A page whose permissions changed without a new version, and what changed (a restriction, a move...). */
export interface PermissionsChange {
  id: string;
  title: string;
  spaceKey: string;
  reasons: string[];
}

/** A space's counts for one content type (page, blog post, whiteboard, database, embed). */
export interface TypeCounts {
  listed: number;
  done: number;
  /**
   * Not written on purpose (--on-permission-error skip). Runs from before `unchanged` counted unchanged ones here
   * too.
   */
  skipped: number;
  /** Already written at the listed version: not ingested again. Absent in runs from before it. */
  unchanged?: number;
  failed: number;
  filteredOut: number;
}

/** A folder, whiteboard, database or embed of a space's tree that the run does not ingest, and why. */
export interface NotIngestedItem extends TreeItemInSpace {
  reason: string;
}

export interface SpaceProgress {
  key: string;
  listed: number;
  done: number;
  skipped: number;
  failed: number;
  /** True once every page of the space (up to the per-space limit) has been listed. */
  listingDone: boolean;
  /** Pages the label filter left out (--labels, --exclude-labels); absent in runs from before the filter. */
  filteredOut?: number;
  /** Written pages whose permissions changed without a new version, and were rewritten or ingested again. */
  permissionsChanged?: number;
  /** Why the space could not be listed to the end (its other pages were not ingested). */
  listingError?: string;
  /**
   * Where its pages' space grants were read: the space permissions list, or (Data Center before 9.1) the space's
   * expand=permissions. Absent when no page was written with permissions.
   */
  permissionsSource?: SpacePermissionsSource;
  /** The same counts by content type; absent in runs from before them. */
  byType?: Partial<Record<ContentType, TypeCounts>>;
  /**
   * Cloud: folders, whiteboards, databases and embeds in the space's tree that the run does not ingest, by type
   * (folders are nodes of the tree; the others only when --content-types names them). Why: notIngestedReason.
   */
  notIngested?: TreeItemCounts;
}

export interface IngestProgress {
  spaces: SpaceProgress[];
  listed: number;
  done: number;
  skipped: number;
  failed: number;
  inFlight: number;
  /** Failed pages by id and reason (the first 1,000; `failed` counts them all). */
  failures: FailedPage[];
  /** Pages the label filter left out (--labels, --exclude-labels), each also named in skippedItems with why. */
  filteredOut?: number;
  /**
   * Written pages whose permissions changed without a new version (the first 1,000; permissionsChangedCount counts
   * them all, permissionsChangedBy counts them by reason). Absent in runs from before the check.
   */
  permissionsChanged?: PermissionsChange[];
  permissionsChangedCount?: number;
  permissionsChangedBy?: Record<string, number>;
  /** New or edited pages a --permissions-only run left for the content run. */
  leftForContentRun?: number;
  /**
   * Missing pages kept (no --delete-missing) whose outputs this run rewrote to grant no one: deleted, or no longer
   * visible to the account, nobody can be shown to read them.
   */
  missingRevoked?: number;
  /**
   * Why the site refused the one comment search per listing page (--include-comments): the comments' versions were
   * read page by page instead.
   */
  commentSearchRefused?: string;
  /** Tree items not ingested (the first 1,000; each space's notIngested counts them all), with why. */
  notIngestedItems?: NotIngestedItem[];
  /**
   * Requests that read a page's body, ancestors, restrictions or export view on their own instead of from its batch,
   * by why (not in the search's answer, older than listed, the batch failed with a status...) and by what they read;
   * readsOutsideBatchCount sums them. Absent when every read was batched, and in runs from before the count.
   */
  readsOutsideBatch?: ReadsAlone;
  readsOutsideBatchCount?: number;
  /** Pages recorded by an earlier run that the source no longer has. */
  missing: MissingPage[];
  missingCount: number;
  /** Files and images left out (unknown type, refused URL, too large...), the first 1,000. */
  skippedItems: SkippedItem[];
  skippedItemCount: number;
  continuedAsNew: number;
  startedAt: string;
  finished: boolean;
  /** The run was cancelled; what it wrote stays written and recorded. */
  cancelled?: boolean;
  /**
   * What stopped the run before its end (credentials rejected, disk full); what it wrote stays written and recorded.
   */
  stopped?: RunStop;
}

const LIST_LIMIT = 1000;

/** Why a run leaves a type of tree item out. */
export function notIngestedReason(type: TreeItemType): string {
  return type === 'folder'
    ? 'a folder is a node of the page tree, not a document (the pages in it are ingested)'
    : `${type} is not in --content-types (the API gives its metadata, not its content: add ${type} to ingest that)`;
}

export function emptyProgress(startedAt: string): IngestProgress {
  return {
    spaces: [],
    listed: 0,
    done: 0,
    skipped: 0,
    failed: 0,
    inFlight: 0,
    failures: [],
    missing: [],
    missingCount: 0,
    skippedItems: [],
    skippedItemCount: 0,
    continuedAsNew: 0,
    startedAt,
    finished: false,
  };
}

/** The report names the first 1,000 of some list (failures, left-out items, tree items not ingested) only. */
export function listsTruncated(state: IngestProgress): boolean {
  const notIngested = state.spaces.reduce(
    (sum, s) => sum + Object.values(s.notIngested ?? {}).reduce((a, n) => a + n, 0),
    0,
  );
  return (
    state.failures.length < state.failed ||
    state.skippedItems.length < state.skippedItemCount ||
    (state.notIngestedItems?.length ?? 0) < notIngested
  );
}

/** Mutates one IngestProgress; the object itself is the serializable state. */
export class Tally {
  constructor(readonly state: IngestProgress) {}

  space(key: string): SpaceProgress {
    let entry = this.state.spaces.find((s) => s.key === key);
    if (!entry) {
      entry = { key, listed: 0, done: 0, skipped: 0, failed: 0, listingDone: false };
      this.state.spaces.push(entry);
    }
    return entry;
  }

  private typeCounts(ref: Pick<PageRef, 'spaceKey' | 'contentType'>): TypeCounts {
    const byType = (this.space(ref.spaceKey).byType ??= {});
    return (byType[ref.contentType ?? 'page'] ??= { listed: 0, done: 0, skipped: 0, failed: 0, filteredOut: 0 });
  }

  listed(refs: PageRef[]): void {
    for (const ref of refs) {
      this.space(ref.spaceKey).listed++;
      this.typeCounts(ref).listed++;
    }
    this.state.listed += refs.length;
  }

  /** Pages not written on purpose; the space's and the run's `skipped` count them with the unchanged ones. */
  skipped(refs: PageRef[]): void {
    for (const ref of refs) {
      this.space(ref.spaceKey).skipped++;
      this.typeCounts(ref).skipped++;
    }
    this.state.skipped += refs.length;
  }

  /** Pages the checkpoint already holds at the listed version: counted, not ingested again. */
  unchanged(refs: PageRef[]): void {
    for (const ref of refs) {
      this.space(ref.spaceKey).skipped++;
      const counts = this.typeCounts(ref);
      counts.unchanged = (counts.unchanged ?? 0) + 1;
    }
    this.state.skipped += refs.length;
  }

  succeeded(ref: PageRef): void {
    this.space(ref.spaceKey).done++;
    this.typeCounts(ref).done++;
    this.state.done++;
  }

  /** The source a written page's space grants came from; the latest wins (one site, one version per run). */
  permissionsSource(ref: PageRef, source: SpacePermissionsSource | undefined): void {
    if (source) this.space(ref.spaceKey).permissionsSource = source;
  }

  treeItems(spaceKey: string, counts: TreeItemCounts, named: NamedTreeItem[]): void {
    this.space(spaceKey).notIngested = counts;
    const items = (this.state.notIngestedItems ??= []);
    const room = named.slice(0, LIST_LIMIT - items.length);
    items.push(...room.map((item) => ({ ...item, spaceKey, reason: notIngestedReason(item.type) })));
  }

  failedPage(ref: PageRef, reason: string): void {
    this.space(ref.spaceKey).failed++;
    this.typeCounts(ref).failed++;
    this.state.failed++;
    if (this.state.failures.length < LIST_LIMIT)
      this.state.failures.push({ id: ref.id, title: ref.title, spaceKey: ref.spaceKey, reason });
  }

  /** A requested page id that does not exist or is not visible: a failure, named, never silently dropped. */
  unknownPage(id: string): void {
    this.state.failed++;
    const reason = 'page not found or not visible to this user; check --page-ids';
    if (this.state.failures.length < LIST_LIMIT) this.state.failures.push({ id, title: '', spaceKey: '', reason });
  }

  /** A space whose listing failed: the run goes on with the others and ends as failed. */
  listingFailed(spaceKey: string, reason: string): void {
    const space = this.space(spaceKey);
    space.listingError = reason;
    space.listingDone = true;
  }

  /**
   * Pages the label filter left out: counted per space and named, with the label that decided, among the skipped items.
   */
  filtered(items: FilteredOut[]): void {
    for (const { ref } of items) {
      const space = this.space(ref.spaceKey);
      space.filteredOut = (space.filteredOut ?? 0) + 1;
      this.typeCounts(ref).filteredOut++;
    }
    this.state.filteredOut = (this.state.filteredOut ?? 0) + items.length;
    this.skippedItemsOf(items.map(({ ref, reason }) => ({ pageId: ref.id, name: ref.title, reason })));
  }

  skippedItemsOf(items: SkippedItem[]): void {
    this.state.skippedItemCount += items.length;
    this.state.skippedItems.push(...items.slice(0, LIST_LIMIT - this.state.skippedItems.length));
  }

  /** Pages whose permissions changed without a new version: counted per space and by reason, and named. */
  permissionsChanged(changes: PermissionsChange[]): void {
    const by = (this.state.permissionsChangedBy ??= {});
    for (const change of changes) {
      const space = this.space(change.spaceKey);
      space.permissionsChanged = (space.permissionsChanged ?? 0) + 1;
      for (const reason of change.reasons) by[reason] = (by[reason] ?? 0) + 1;
    }
    this.state.permissionsChangedCount = (this.state.permissionsChangedCount ?? 0) + changes.length;
    const named = (this.state.permissionsChanged ??= []);
    named.push(...changes.slice(0, LIST_LIMIT - named.length));
  }

  /** Requests of a step that read pages outside their batch, added by why and what. */
  readsAlone(counts: ReadsAlone | undefined): void {
    if (!counts) return;
    const into = (this.state.readsOutsideBatch ??= {});
    for (const [reason, byWhat] of Object.entries(counts) as Array<[AloneReason, ReadsAlone[AloneReason]]>) {
      const sum = (into[reason] ??= {});
      for (const [what, n] of Object.entries(byWhat ?? {}) as Array<[AloneRead, number]>) {
        sum[what] = (sum[what] ?? 0) + n;
        this.state.readsOutsideBatchCount = (this.state.readsOutsideBatchCount ?? 0) + n;
      }
    }
  }

  leftForContentRun(count: number): void {
    this.state.leftForContentRun = (this.state.leftForContentRun ?? 0) + count;
  }

  missingPages(count: number, pages: MissingPage[], revoked = 0): void {
    if (revoked > 0) this.state.missingRevoked = (this.state.missingRevoked ?? 0) + revoked;
    this.state.missingCount += count;
    this.state.missing.push(...pages.slice(0, LIST_LIMIT - this.state.missing.length));
  }

  snapshot(): IngestProgress {
    return JSON.parse(JSON.stringify(this.state)) as IngestProgress;
  }
}
