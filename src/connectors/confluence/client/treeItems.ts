// What a Cloud space's content tree holds besides pages: folders, whiteboards, databases and Smart Links (v2 "embeds").
// The API gives their metadata only: folders are nodes of the tree, and the others are ingested as small documents of
// that metadata when --content-types asks; those it does not ask for are counted and named for the report. Found by
// CQL (v2 lists none of a space's whiteboards, databases or embeds, and has no endpoint for "any content of this id").
import { z } from 'zod';
import { cqlString } from './cql';
import type { Transport } from './http';
import { checkContentId } from './refs';
import { searchAll } from './search';
import {
  TREE_ITEM_TYPES,
  type NamedTreeItem,
  type TreeItemCounts,
  type TreeItemInSpace,
  type TreeItemType,
} from './types';

export interface TreeItemsFound {
  counts: TreeItemCounts;
  /** The first MAX_NAMED of them, in the search's order. */
  named: NamedTreeItem[];
}

/** As many as a run's report names of each list: the rest are counted. */
const MAX_NAMED = 1000;

const Typed = z.object({ id: z.string(), type: z.string(), title: z.string(), space: z.object({ key: z.string() }) });
const PER_CALL = 100;

/** One CQL search of the space for items of these types, paged to the end: only ids, types and titles come back. */
export async function findTreeItems(
  http: Transport,
  v1: string,
  spaceKey: string,
  types: readonly TreeItemType[],
): Promise<TreeItemsFound> {
  const counts: TreeItemCounts = {};
  const named: NamedTreeItem[] = [];
  for (const { id, type, title } of await searchTreeItems(http, v1, `space = ${cqlString(spaceKey)}`, types)) {
    counts[type] = (counts[type] ?? 0) + 1;
    if (named.length < MAX_NAMED) named.push({ id, type, title });
  }
  return { counts, named };
}

/** The folder, whiteboard, database or embed of this id the account can see (none is a page): one search. */
export async function findTreeItem(http: Transport, v1: string, id: string): Promise<TreeItemInSpace | undefined> {
  const [found] = await searchTreeItems(http, v1, `id = ${checkContentId(id)}`, TREE_ITEM_TYPES);
  return found;
}

/** The items of these types the CQL condition `where` selects, each with its space, in the search's order. */
async function searchTreeItems(
  http: Transport,
  v1: string,
  where: string,
  types: readonly TreeItemType[],
): Promise<TreeItemInSpace[]> {
  const cql = `${where} and type in (${types.join(', ')})`;
  const found = await searchAll(http, v1, true, { cql, expand: 'space', limit: PER_CALL }, Typed);
  return found.flatMap(({ id, type, title, space }) => {
    const known = types.find((t) => t === type);
    return known ? [{ id, type: known, title, spaceKey: space.key }] : [];
  });
}
