// REST v1 spaces and content (Cloud /wiki/rest/api, Data Center [/context]/rest/api), per-user visibility.
import { createHash } from 'node:crypto';
import { CqlError, isComment, matchesCql, parseCql, sortByCql, type CqlContent } from '../cql';
import { Expand } from '../http/expand';
import { json } from '../http/respond';
import { route, type Route } from '../http/router';
import { ApiError, type RequestContext, type SimResponse } from '../http/types';
import type { SimAttachment } from '../model';
import { commentV1 } from '../serialize/comments';
import { attachmentV1, contentV1, spaceV1 } from '../serialize/v1';
import { multi } from '../http/query';
import { selectionKey, v1Base, v1List, v1Page, visibleContent, visibleSpaceByKey } from './v1-common';

export const v1ContentRoutes: Route[] = [
  route('GET', '/rest/api/space', 'v1', listSpaces),
  route('GET', '/rest/api/space/{key}', 'v1', getSpace),
  route('GET', '/rest/api/content', 'v1', listContent),
  route('GET', '/rest/api/content/search', 'v1', searchContent),
  route('GET', '/rest/api/content/{id}', 'v1', getContent),
  route('GET', '/rest/api/content/{id}/child/page', 'v1', childPages),
  route('GET', '/rest/api/content/{id}/child/attachment', 'v1', childAttachments),
  route('GET', '/rest/api/content/{id}/child/attachment/{attachmentId}/download', 'v1', downloadRedirect),
];

function listSpaces(ctx: RequestContext): SimResponse {
  const keys = multi(ctx.query, 'spaceKey');
  const ids = multi(ctx.query, 'spaceId');
  const type = ctx.query.get('type');
  const status = ctx.query.get('status');
  const select = () =>
    ctx.site.spaces.filter(
      (s) =>
        ctx.site.canViewSpace(ctx.user.id, s.id) &&
        (!keys || keys.includes(s.key)) &&
        (!ids || ids.includes(s.id)) &&
        (!type || s.type === type) &&
        (!status || s.status === status),
    );
  const expand = new Expand(ctx.query.get('expand'));
  return v1List(ctx, select, (s) => spaceV1(s, ctx, expand));
}

function getSpace(ctx: RequestContext): SimResponse {
  return json(200, spaceV1(visibleSpaceByKey(ctx, ctx.params.key), ctx, new Expand(ctx.query.get('expand'))));
}

function listContent(ctx: RequestContext): SimResponse {
  const type = ctx.query.get('type') ?? 'page';
  const statuses = multi(ctx.query, 'status') ?? ['current'];
  const spaceKey = ctx.query.get('spaceKey');
  const title = ctx.query.get('title');
  const space = spaceKey ? ctx.site.spaceByKey(spaceKey) : undefined;
  const select = () => {
    if (spaceKey && !space) return [];
    const candidates = space ? ctx.site.pagesOf(space.id) : ctx.site.pages;
    return candidates.filter(
      (p) =>
        p.type === type &&
        statuses.includes(p.status) &&
        (title === null || p.title === title) &&
        ctx.site.canView(ctx.user.id, p.id),
    );
  };
  const expand = new Expand(ctx.query.get('expand'));
  return v1List(ctx, select, (p) => contentV1(p, ctx, expand));
}

function getContent(ctx: RequestContext): SimResponse {
  const page = visibleContent(ctx, ctx.params.id);
  const value = contentV1(page, ctx, new Expand(ctx.query.get('expand')));
  return json(200, { ...value, _links: { ...(value._links as object), base: v1Base(ctx), context: ctx.basePath } });
}

function childPages(ctx: RequestContext): SimResponse {
  const page = visibleContent(ctx, ctx.params.id);
  const expand = new Expand(ctx.query.get('expand'));
  const select = () =>
    ctx.site
      .children(page.id)
      .filter((c) => c.type === 'page' && c.status === 'current' && ctx.site.canView(ctx.user.id, c.id));
  return v1List(ctx, select, (c) => contentV1(c, ctx, expand));
}

function childAttachments(ctx: RequestContext): SimResponse {
  const page = visibleContent(ctx, ctx.params.id);
  const filename = ctx.query.get('filename');
  const mediaType = ctx.query.get('mediaType');
  const expand = new Expand(ctx.query.get('expand'));
  const select = () =>
    page.attachments.filter((a) => (!filename || a.title === filename) && (!mediaType || a.mediaType === mediaType));
  return v1List(ctx, select, (a) => attachmentV1(a, ctx, expand));
}

/** Signs a media URL the way Cloud's media service does: the link itself is the credential, for a while. */
export function mediaToken(att: SimAttachment, seed: number): string {
  return createHash('sha256').update(`${seed}:${att.id}:${att.version}:media`).digest('base64url').slice(0, 32);
}

function downloadRedirect(ctx: RequestContext): SimResponse {
  if (ctx.mode !== 'cloud') throw new ApiError(404, 'No such endpoint on Data Center: use /download/attachments/...');
  const page = visibleContent(ctx, ctx.params.id);
  const att = page.attachments.find((a) => a.id === ctx.params.attachmentId);
  if (!att) throw new ApiError(404, `No attachment ${ctx.params.attachmentId} on content ${page.id}`);
  const query = new URLSearchParams({ token: mediaToken(att, ctx.options.seed), name: att.title, 'max-age': '2940' });
  const location = `${ctx.origin}/media/file/${att.fileId}/binary?${query}`;
  return { status: 302, headers: { location }, body: Buffer.alloc(0) };
}

function searchContent(ctx: RequestContext): SimResponse {
  const cql = ctx.query.get('cql');
  if (!cql) throw new ApiError(400, 'cql parameter is required');
  const select = (): CqlContent[] => {
    try {
      const query = parseCql(cql);
      const indexed = ctx.site.contents.map((p) => ctx.site.search.view(p)).filter((p) => p !== undefined);
      const visible = indexed.filter((p) => p.status === 'current' && ctx.site.canView(ctx.user.id, p.id));
      const comments = visible.flatMap((p) => ctx.site.commentsOf(p.id));
      return sortByCql(
        query,
        [...visible, ...comments].filter((c) => matchesCql(query, c, ctx.site)),
        ctx.site,
      );
    } catch (err) {
      if (err instanceof CqlError) throw new ApiError(400, `Could not parse cql : ${cql} (${err.message})`);
      throw err;
    }
  };
  const matches = ctx.site.memoize(`${selectionKey(ctx)} indexed@${ctx.site.search.generation()}`, select);
  const expand = new Expand(ctx.query.get('expand'));
  const maxLimit = searchMaxLimit(ctx, expand);
  if (ctx.mode === 'dc')
    return v1Page(
      ctx,
      matches,
      (c) => searchResult(c, ctx, expand),
      { totalSize: matches.length, cqlQuery: cql },
      maxLimit,
    );
  return cloudSearchPage(ctx, matches, expand, cql, maxLimit);
}

/**
 * Confluence answers fewer results when a search expands bodies: 50 (Data Center hard-codes it, Atlassian KB
 * "Searching for content with the REST API and CQL always limits results to 50"), 25 on Cloud for export_view and
 * styled_view (its spec). Larger limits are cut silently.
 */
function searchMaxLimit(ctx: RequestContext, expand: Expand): number {
  if (ctx.mode === 'cloud' && (expand.has('body.export_view') || expand.has('body.styled_view'))) return 25;
  return expand.has('body') ? 50 : ctx.options.v1MaxLimit;
}

function searchResult(content: CqlContent, ctx: RequestContext, expand: Expand): unknown {
  return isComment(content) ? commentV1(content, ctx, expand) : contentV1(content, ctx, expand);
}

/** Cloud search pages by cursor (the `start` it echoes is informational). */
function cloudSearchPage(
  ctx: RequestContext,
  matches: CqlContent[],
  expand: Expand,
  cql: string,
  maxLimit: number,
): SimResponse {
  const limitRaw = ctx.query.get('limit') ?? '25';
  if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1)
    throw new ApiError(400, `limit must be a positive integer, got "${limitRaw}"`);
  const limit = Math.min(Number(limitRaw), maxLimit, ctx.options.v1MaxLimit);
  const start = decodeSearchCursor(ctx.query.get('cursor'));
  const results = matches.slice(start, start + limit);
  const links: Record<string, string> = {
    base: v1Base(ctx),
    context: ctx.basePath,
    self: `${v1Base(ctx)}${ctx.path}?${ctx.query}`,
  };
  if (start + results.length < matches.length) {
    const params = new URLSearchParams({ next: 'true', cursor: encodeSearchCursor(start + limit) });
    for (const [k, v] of ctx.query) if (!['cursor', 'next', 'start', 'limit'].includes(k)) params.append(k, v);
    params.set('limit', String(limit));
    params.set('start', String(start + limit));
    links.next = `${ctx.path}?${params}`;
  }
  return json(200, {
    results: results.map((c) => searchResult(c, ctx, expand)),
    start,
    limit,
    size: results.length,
    totalSize: matches.length,
    cqlQuery: cql,
    searchDuration: 12,
    _links: links,
  });
}

function encodeSearchCursor(start: number): string {
  return `_sa_${Buffer.from(JSON.stringify({ start })).toString('base64url')}`;
}

function decodeSearchCursor(raw: string | null): number {
  if (raw === null) return 0;
  try {
    const { start } = JSON.parse(Buffer.from(raw.replace(/^_sa_/, ''), 'base64url').toString('utf8')) as {
      start: unknown;
    };
    if (typeof start === 'number' && Number.isInteger(start) && start >= 0) return start;
  } catch {
    // fall through
  }
  throw new ApiError(400, 'cursor is invalid');
}
