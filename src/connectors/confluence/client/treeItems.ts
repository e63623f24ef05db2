// What a Cloud space's content tree holds besides pages: folders, whiteboards, databases and Smart Links (v2 "embeds").
// The API gives their metadata only, so they are counted for the report, not ingested.
import { z } from 'zod';
import { cqlString } from './cql';
import type { Transport } from './http';
import { searchAll } from './search';

export const TREE_ITEM_TYPES = ['folder', 'whiteboard', 'database', 'embed'] as const;
export type TreeItemType = (typeof TREE_ITEM_TYPES)[number];
export type TreeItemCounts = Partial<Record<TreeItemType, number>>;

const Typed = z.object({ type: z.string() });
const PER_CALL = 100;

/** One CQL search of the space, paged to the end: only ids and types come back. */
export async function countTreeItems(http: Transport, v1: string, spaceKey: string): Promise<TreeItemCounts> {
  const cql = `space = ${cqlString(spaceKey)} and type in (${TREE_ITEM_TYPES.join(', ')})`;
  const found = await searchAll(http, v1, true, { cql, expand: 'space', limit: PER_CALL }, Typed);
  const counts: TreeItemCounts = {};
  for (const { type } of found) {
    const known = TREE_ITEM_TYPES.find((t) => t === type);
    if (known) counts[known] = (counts[known] ?? 0) + 1;
  }
  return counts;
}
