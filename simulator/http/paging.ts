// Cloud v2 cursor pagination: key-set cursors (last sort value + id) so edits between calls never skip or repeat items.
import { ApiError } from './types';

export interface Sort<T> {
  /** The name written into the cursor, e.g. "id", "modified-date". */
  field: string;
  descending: boolean;
  value: (item: T) => string | number;
}

interface Cursor {
  id: string;
  contentOrder: string;
  contentOrderValue: string | number;
}

export function parseLimit(query: URLSearchParams, fallback: number): number {
  const raw = query.get('limit');
  if (raw === null) return fallback;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > 250) {
    throw new ApiError(400, `limit must be an integer between 1 and 250, got "${raw}"`);
  }
  return limit;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(raw: string, field: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (typeof parsed.id === 'string' && parsed.contentOrder === field && parsed.contentOrderValue !== undefined)
      return parsed;
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, 'cursor is invalid or was issued for a different sort order');
}

function compare(a: [string | number, number], b: [string | number, number]): number {
  if (a[0] < b[0]) return -1;
  if (a[0] > b[0]) return 1;
  return a[1] - b[1];
}

/** Ids are numbers, some with a prefix (attachments: att123). */
function numericId(id: string): number {
  return Number(id.replace(/^\D+/, ''));
}

export interface CursorPage<T> {
  results: T[];
  /** Opaque cursor for the next page; absent on the last page. */
  next?: string;
}

function keyOf<T extends { id: string }>(sort: Sort<T>, item: T): [string | number, number] {
  return [sort.value(item), numericId(item.id)];
}

/** A sorted copy, in the order cursorPage expects (sort value, then id; both reversed for descending sorts). */
export function sortForCursor<T extends { id: string }>(items: T[], sort: Sort<T>): T[] {
  const sign = sort.descending ? -1 : 1;
  return [...items].sort((a, b) => sign * compare(keyOf(sort, a), keyOf(sort, b)));
}

/** One page of `sorted` (from sortForCursor) after the cursor: a binary search, so deep pages stay cheap. */
export function cursorPage<T extends { id: string }>(
  sorted: T[],
  sort: Sort<T>,
  rawCursor: string | null,
  limit: number,
): CursorPage<T> {
  const sign = sort.descending ? -1 : 1;
  let start = 0;
  if (rawCursor !== null) {
    const cursor = decodeCursor(rawCursor, sort.field);
    const after: [string | number, number] = [cursor.contentOrderValue, numericId(cursor.id)];
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sign * compare(keyOf(sort, sorted[mid]), after) > 0) hi = mid;
      else lo = mid + 1;
    }
    start = lo;
  }
  const results = sorted.slice(start, start + limit);
  const last = results[results.length - 1];
  if (start + limit >= sorted.length || !last) return { results };
  return {
    results,
    next: encodeCursor({ id: last.id, contentOrder: sort.field, contentOrderValue: sort.value(last) }),
  };
}

/** The `next` link as Confluence writes it: the same query with the new cursor first (not last), and the limit. */
export function nextLink(pathWithBase: string, query: URLSearchParams, cursor: string, limit: number): string {
  const params = new URLSearchParams();
  params.set('cursor', cursor);
  for (const [k, v] of query) if (k !== 'cursor' && k !== 'limit') params.append(k, v);
  params.set('limit', String(limit));
  return `${pathWithBase}?${params.toString()}`;
}
