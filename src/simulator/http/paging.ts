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
    if (typeof parsed.id === 'string' && parsed.contentOrder === field && parsed.contentOrderValue !== undefined) return parsed;
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

export function cursorPage<T extends { id: string }>(items: T[], sort: Sort<T>, rawCursor: string | null, limit: number): CursorPage<T> {
  const key = (item: T): [string | number, number] => [sort.value(item), numericId(item.id)];
  const sign = sort.descending ? -1 : 1;
  const sorted = [...items].sort((a, b) => sign * compare(key(a), key(b)));
  let start = 0;
  if (rawCursor !== null) {
    const cursor = decodeCursor(rawCursor, sort.field);
    const after: [string | number, number] = [cursor.contentOrderValue, numericId(cursor.id)];
    start = sorted.findIndex((item) => sign * compare(key(item), after) > 0);
    if (start < 0) start = sorted.length;
  }
  const results = sorted.slice(start, start + limit);
  const last = results[results.length - 1];
  if (start + limit >= sorted.length || !last) return { results };
  return { results, next: encodeCursor({ id: last.id, contentOrder: sort.field, contentOrderValue: sort.value(last) }) };
}

/** The `next` link as Confluence writes it: the same query with the new cursor first (not last), and the limit. */
export function nextLink(pathWithBase: string, query: URLSearchParams, cursor: string, limit: number): string {
  const params = new URLSearchParams();
  params.set('cursor', cursor);
  for (const [k, v] of query) if (k !== 'cursor' && k !== 'limit') params.append(k, v);
  params.set('limit', String(limit));
  return `${pathWithBase}?${params.toString()}`;
}
