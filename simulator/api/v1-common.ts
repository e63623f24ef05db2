// Helpers shared by the REST v1 handlers: list envelopes, visibility checks.
import { offsetLinks, offsetPage } from '../http/offset';
import { json } from '../http/respond';
import { ApiError, type RequestContext, type SimResponse } from '../http/types';
import type { SimNode, SimSpace } from '../model';

export function v1Base(ctx: RequestContext): string {
  return `${ctx.origin}${ctx.basePath}`;
}

/** What a list request selects: the caller, the path and every query parameter except those that page or shape. */
export function selectionKey(ctx: RequestContext): string {
  const query = [...ctx.query].filter(([k]) => !['start', 'limit', 'expand', 'cursor', 'next'].includes(k)).sort();
  return `v1 ${ctx.user.id} ${ctx.path} ${JSON.stringify(query)}`;
}

/** An offset page of the selection, which is computed once per selection until the site changes. */
export function v1List<T>(
  ctx: RequestContext,
  select: () => T[],
  serialize: (item: T) => unknown,
  extra: (items: T[]) => Record<string, unknown> = () => ({}),
): SimResponse {
  const items = ctx.site.memoize(selectionKey(ctx), select);
  return v1Page(ctx, items, serialize, extra(items));
}

/** An offset page of items; `maxLimit` cuts the limit lower than v1's usual (as searches that expand bodies are). */
export function v1Page<T>(
  ctx: RequestContext,
  items: T[],
  serialize: (item: T) => unknown,
  extra: Record<string, unknown> = {},
  maxLimit = ctx.options.v1MaxLimit,
): SimResponse {
  const page = offsetPage(items, ctx.query, {
    maxLimit: Math.min(maxLimit, ctx.options.v1MaxLimit),
    unreliableNext: ctx.mode === 'dc' && ctx.options.dcUnreliableNext,
  });
  const links = offsetLinks(v1Base(ctx), ctx.basePath, ctx.path, ctx.query, page.next);
  return json(200, {
    results: page.results.map(serialize),
    start: page.start,
    limit: page.limit,
    size: page.size,
    ...extra,
    _links: links,
  });
}

/**
 * Content the caller may see (a page, blog post or, on Cloud, a folder), else the 404 Confluence gives for both
 * "missing" and "not allowed".
 */
export function visibleContent(ctx: RequestContext, id: string): SimNode {
  const page = /^\d+$/.test(id) ? ctx.site.node(id) : undefined;
  if (!page || !ctx.site.canView(ctx.user.id, page.id))
    throw new ApiError(404, `No content found with id : ContentId{id=${id}}`);
  return page;
}

export function visibleSpaceByKey(ctx: RequestContext, key: string): SimSpace {
  const space = ctx.site.spaceByKey(key);
  if (!space || !ctx.site.canViewSpace(ctx.user.id, space.id)) throw new ApiError(404, `No space with key : ${key}`);
  return space;
}
