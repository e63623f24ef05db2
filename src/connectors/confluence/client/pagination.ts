// Cursor and offset pagination. We never follow a `next` URL as given: joining it to `_links.base` yields /wiki/wiki
// and through the OAuth gateway even the origin is wrong. Instead we take its opaque `cursor` parameter (wherever it
// sits in the query) and rebuild the request from our own base, which is exact on every deployment.
import { ConfluenceError } from './errors';

const LINK_NEXT = /<([^>]*)>\s*;[^,]*\brel="?next"?/i;

/** The cursor of the next page from `_links.next` or the `Link` header; undefined on the last page. */
export function nextCursor(
  linksNext: string | undefined,
  linkHeader: string | undefined,
  endpoint: string,
): string | undefined {
  const next = linksNext || (linkHeader ? LINK_NEXT.exec(linkHeader)?.[1] : undefined);
  if (!next) return undefined;
  const cursor = new URL(next, 'http://next.invalid').searchParams.get('cursor');
  if (!cursor) {
    throw new ConfluenceError(
      'shape',
      `unexpected response from ${endpoint}: field _links.next has no cursor parameter ("${next.slice(0, 120)}"); the server may not be Confluence Cloud, check --url and --cloud`,
    );
  }
  return cursor;
}

/**
 * The whole query of the next link, for v1 search on Cloud: its next links need `next=true`, `cursor` and `start`
 * together. The path still comes from our own base.
 */
export function nextQuery(linksNext: string | undefined, linkHeader: string | undefined): string | undefined {
  const next = linksNext || (linkHeader ? LINK_NEXT.exec(linkHeader)?.[1] : undefined);
  return next ? new URL(next, 'http://next.invalid').search.slice(1) || undefined : undefined;
}

/** The cursor in the query of a next link (v1 search on Cloud). */
export function cursorIn(query: string | undefined): string | undefined {
  return query === undefined ? undefined : (new URLSearchParams(query).get('cursor') ?? undefined);
}

/** Data Center's `next` links are unreliable (CONFSERVER-95272): advance by what we got, stop on an empty page. */
export function nextOffset(start: number, received: number): string | undefined {
  return received > 0 ? String(start + received) : undefined;
}

export function parseOffset(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d+$/.test(cursor))
    throw new ConfluenceError(
      'bad-request',
      `cursor "${cursor.slice(0, 40)}" is not an offset; pass back the Listing.next of the previous call`,
    );
  return Number(cursor);
}

export function checkLimit(limit: number, max = 250): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new ConfluenceError('bad-request', `limit must be an integer from 1 to ${max}, got ${limit}`);
  }
  return limit;
}

/** Where a listing request was sent, for errors: the URL without its query (a CQL query can be long). */
function requestOf(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * A server that answers a cursor with the same cursor would be asked for the same page forever: stopped at once (a
 * retry would be asked the same).
 */
export function checkCursorMoved(url: URL, next: string | undefined): void {
  const asked = url.searchParams.get('cursor');
  if (asked === null || next !== asked) return;
  throw new ConfluenceError(
    'shape',
    `${requestOf(url)} answered cursor ${asked.slice(0, 40)} with the same cursor as its next page; paging stopped, the server or a proxy in front of it ignores cursors`,
  );
}

/** A server that ignores `start` answers each offset with the first page, and paging would never end. */
export function checkOffsetKept(url: URL, asked: number, answered: number | undefined): void {
  if (answered === undefined || answered === asked) return;
  throw new ConfluenceError(
    'shape',
    `${requestOf(url)} answered start=${asked} with the page at start=${answered}; paging stopped, the server or a proxy in front of it ignores start`,
  );
}
