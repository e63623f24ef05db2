// The connector's index step: one API page of lightweight refs per call, so enumeration resumes from its cursor.
import type { ConfluenceClient } from './client/client';
import { toActivityFailure } from './client/failures';
import type { TreeItemsFound } from './client/treeItems';
import type { Listing, NamedTreeItem, PageRef, SpaceRef, TreeItemCounts, TreeItemType } from './client/types';
import type { Selection } from './config';
import { commentVersions } from './commentVersions';
import { withContentVersion } from './contentVersion';
import { filterByLabels, type FilteredOut, type LabelFilter } from './labelFilter';
import type { ContentSource } from './sources';

export interface ListSpacesInput {
  selection: Pick<Selection, 'spaces'>;
  cursor?: string;
  limit: number;
}

export interface ListContentInput {
  source: ContentSource;
  includeArchived: boolean;
  cursor?: string;
  limit: number;
  /** --labels / --exclude-labels; absent: every page. */
  labelFilter?: LabelFilter;
  /** --include-comments: the comments' versions feed each ref's content version. */
  includeComments?: boolean;
  /**
   * Cloud, the first listing of a space: the types of its tree the run does not ingest (folders, and what
   * --content-types leaves out), to count and name for the report.
   */
  notIngested?: TreeItemType[];
}

/**
 * A listing, plus the requested page ids that do not exist or are not visible (for a page-id source), the pages the
 * label filter left out, with why, why the site refused the comment search (the comments were read page by page),
 * and (Cloud, first listing of a space) what its tree holds that the run does not ingest: counted, and the first
 * named.
 */
export type ContentListing = Listing<PageRef> & {
  missing?: string[];
  filteredOut?: FilteredOut[];
  commentSearchRefused?: string;
  treeItems?: TreeItemCounts;
  treeItemsNamed?: NamedTreeItem[];
};

export async function listSpaces(
  client: ConfluenceClient,
  { selection, cursor, limit }: ListSpacesInput,
): Promise<Listing<SpaceRef>> {
  try {
    const keys = selection.spaces.length > 0 ? selection.spaces : undefined;
    return await client.listSpaces({ keys, cursor, limit });
  } catch (err) {
    throw toActivityFailure(err);
  }
}

export async function listContent(client: ConfluenceClient, input: ListContentInput): Promise<ContentListing> {
  try {
    const listing = await listSource(client, input);
    const { kept, filteredOut } = input.labelFilter
      ? filterByLabels(listing.items, input.labelFilter)
      : { kept: listing.items, filteredOut: [] };
    // The listing page's comments: their ids and versions decide whether a page changed.
    const comments = input.includeComments && kept.length > 0 ? await commentVersions(client, kept) : undefined;
    const items = kept.map((ref) => withContentVersion(ref, comments && (comments.byPage.get(ref.id) ?? [])));
    const tree = await treeItemsOf(client, input);
    return {
      ...listing,
      items,
      ...(filteredOut.length > 0 ? { filteredOut } : {}),
      ...(comments?.searchRefused ? { commentSearchRefused: comments.searchRefused } : {}),
      ...(tree ? { treeItems: tree.counts, treeItemsNamed: tree.named } : {}),
    };
  } catch (err) {
    throw toActivityFailure(err);
  }
}

async function listSource(
  client: ConfluenceClient,
  { source, includeArchived, cursor, limit }: ListContentInput,
): Promise<ContentListing> {
  switch (source.kind) {
    case 'space':
      return client.listPages(source.space, { cursor, limit, type: source.type, includeArchived });
    case 'cql':
      return client.search(source.cql, { cursor, limit });
    case 'ids': {
      // The cursor is an offset into the id list: one call per `limit` ids keeps each result small.
      const start = Number(cursor ?? 0);
      const { found, missing } = await client.getPagesByIds(source.ids.slice(start, start + limit));
      const next = start + limit < source.ids.length ? String(start + limit) : undefined;
      return { items: found, next, missing };
    }
  }
}

/**
 * Found once per space, with its first listing. A search the site refuses is left out of the report rather than
 * failing the space's pages: it says what was not ingested, and ingests nothing itself.
 */
async function treeItemsOf(client: ConfluenceClient, input: ListContentInput): Promise<TreeItemsFound | undefined> {
  const { source, notIngested } = input;
  if (source.kind !== 'space' || !notIngested?.length || !client.findTreeItems) return undefined;
  return client.findTreeItems(source.space, notIngested).catch(() => undefined);
}
