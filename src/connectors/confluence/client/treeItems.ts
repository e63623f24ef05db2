// What a Cloud space's content tree holds besides pages: folders, whiteboards, databases and Smart Links (v2 "embeds").
// The API gives their metadata only: folders are nodes of the tree, and the others are ingested as small documents of
// that metadata when --content-types asks; those it does not ask for are counted and named for the report.
import { z } from 'zod';
import type { Transport } from './http';
import { searchAll } from './search';
import type { NamedTreeItem, TreeItemCounts, TreeItemType } from './types';

export interface TreeItemsFound {
  counts: TreeItemCounts;
  /** The first MAX_NAMED of them, in the search's order. */
  named: NamedTreeItem[];
}

/** As many as a run's report names of each list: the rest are counted. */
const MAX_NAMED = 1000;

const Typed = z.object({ id: z.string(), type: z.string(), title: z.string() });
const PER_CALL = 100;

/** CQL's quoting of a space key. */
export function cqlSpace(spaceKey: string): string {
  return `"${spaceKey.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** One CQL search of the space for items of these types, paged to the end: only ids, types and titles come back. */
export async function findTreeItems(
  http: Transport,
  v1: string,
  spaceKey: string,
  types: readonly TreeItemType[],
): Promise<TreeItemsFound> {
  const cql = `space = ${cqlSpace(spaceKey)} and type in (${types.join(', ')})`;
  const found = await searchAll(http, v1, true, { cql, expand: 'space', limit: PER_CALL }, Typed);
  const counts: TreeItemCounts = {};
  const named: NamedTreeItem[] = [];
  for (const { id, type, title } of found) {
    const known = types.find((t) => t === type);
    if (!known) continue;
    counts[known] = (counts[known] ?? 0) + 1;
    if (named.length < MAX_NAMED) named.push({ id, type: known, title });
  }
  return { counts, named };
}
