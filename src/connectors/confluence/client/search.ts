// Every result of a REST v1 CQL search, page after page: Cloud pages by the cursor of its next links, Data Center by
// offsets we recompute (its next links are unreliable, CONFSERVER-95272), stopping on a page shorter than the limit
// the server says it granted, on an empty one, or once the caller has what it looks for.
import type { z } from 'zod';
import type { JsonReadOptions, Transport } from './http';
import { checkCursorMoved, checkOffsetKept, cursorIn, nextQuery } from './pagination';
import { header } from './rate-headers';
import { v1List } from './schemas';
import { joinUrl } from './url';

export interface SearchQuery {
  cql: string;
  expand: string;
  limit: number;
}

export async function searchAll<T extends z.ZodType>(
  http: Transport,
  v1: string,
  cloud: boolean,
  { cql, expand, limit }: SearchQuery,
  item: T,
  { read = {}, enough }: { read?: JsonReadOptions; enough?: (found: Array<z.output<T>>) => boolean } = {},
): Promise<Array<z.output<T>>> {
  const base = joinUrl(v1, '/content/search');
  const out: Array<z.output<T>> = [];
  let url = joinUrl(v1, '/content/search', { cql, expand, limit });
  for (let start = 0; ; ) {
    const { data, headers } = await http.getJson(url, v1List(item), read);
    if (!cloud) checkOffsetKept(url, start, data.start);
    out.push(...data.results);
    if (data.results.length === 0 || enough?.(out)) return out;
    if (cloud) {
      const next = nextQuery(data._links?.next, header(headers, 'link'));
      if (!next) return out;
      checkCursorMoved(url, cursorIn(next));
      url = new URL(`${base.href}?${next}`);
      if (!url.searchParams.has('expand')) url.searchParams.set('expand', expand);
    } else {
      if (data.limit !== undefined && data.results.length < data.limit) return out;
      start += data.results.length;
      url = joinUrl(v1, '/content/search', { cql, expand, limit, start });
    }
  }
}
