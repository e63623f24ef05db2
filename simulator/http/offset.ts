// REST v1 offset pagination: {results, start, limit, size, _links{base, context, self, next?}}.
import { ApiError } from './types';

export interface OffsetOptions {
  /** Larger limits are cut to this silently, as Confluence does. */
  maxLimit: number;
  defaultLimit?: number;
  /** Data Center's quirk (CONFSERVER-95272): `next` on every full page, built from the requested limit. */
  unreliableNext: boolean;
}

export interface OffsetPage<T> {
  results: T[];
  start: number;
  limit: number;
  size: number;
  /** Query values for the next link, when the server writes one. */
  next?: { start: number; limit: number };
}

function nonNegative(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ApiError(400, `${name} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

export function offsetPage<T>(items: T[], query: URLSearchParams, options: OffsetOptions): OffsetPage<T> {
  const start = nonNegative(query, 'start', 0);
  const requested = nonNegative(query, 'limit', options.defaultLimit ?? 25);
  if (requested < 1) throw new ApiError(400, 'limit must be at least 1');
  const limit = Math.min(requested, options.maxLimit);
  const results = items.slice(start, start + limit);
  const page: OffsetPage<T> = { results, start, limit, size: results.length };
  if (options.unreliableNext) {
    if (results.length === limit) page.next = { start: start + requested, limit: requested };
  } else if (start + results.length < items.length) {
    page.next = { start: start + limit, limit };
  }
  return page;
}

/** Links of a v1 list: `next` and `self` relative to `base` (which already holds /wiki or the context path). */
export function offsetLinks(
  base: string,
  context: string,
  path: string,
  query: URLSearchParams,
  next?: { start: number; limit: number },
) {
  const links: Record<string, string> = { base, context, self: `${base}${path}${query.size > 0 ? `?${query}` : ''}` };
  if (next) {
    const params = new URLSearchParams(query);
    params.set('start', String(next.start));
    params.set('limit', String(next.limit));
    links.next = `${path}?${params}`;
  }
  return links;
}
