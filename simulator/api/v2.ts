// Cloud REST v2 (/wiki/api/v2): spaces, pages, blog posts, attachments, ancestors, children, space permissions,
// with cursor pagination and per-user visibility (what a caller may not see is filtered out of lists, 404 alone).
import { REPRESENTATIONS } from '../bodies';
import { cursorPage, nextLink, parseLimit, sortForCursor, type Sort } from '../http/paging';
import { multi } from '../http/query';
import { json } from '../http/respond';
import { route, type Route } from '../http/router';
import { ApiError, type RequestContext, type SimResponse } from '../http/types';
import type { SimAttachment, SimLabel, SimPage, SimSpace } from '../model';
import { labelV2 } from '../serialize/comments';
import { attachmentV2, contentV2, permissionV2, spaceV2 } from '../serialize/v2';
import { positionPage } from '../http/positionCursor';
import { rolePermissionGrants } from '../roles';

const PAGE_STATUSES = ['current', 'archived', 'deleted', 'trashed'];
type ContentType = SimPage['type'];

export const v2Routes: Route[] = [
  route('GET', '/api/v2/spaces', 'v2', listSpaces),
  route('GET', '/api/v2/spaces/{id}', 'v2', (ctx) => json(200, spaceV2(visibleSpace(ctx, ctx.params.id)))),
  route('GET', '/api/v2/spaces/{id}/pages', 'v2', (ctx) => listSpaceContent(ctx, 'page')),
  route('GET', '/api/v2/spaces/{id}/blogposts', 'v2', (ctx) => listSpaceContent(ctx, 'blogpost')),
  route('GET', '/api/v2/spaces/{id}/permissions', 'v2', listSpacePermissions, 'permission'),
  route('GET', '/api/v2/pages', 'v2', (ctx) => listContent(ctx, 'page')),
  route('GET', '/api/v2/blogposts', 'v2', (ctx) => listContent(ctx, 'blogpost')),
  route('GET', '/api/v2/pages/{id}', 'v2', (ctx) => getContent(ctx, 'page')),
  route('GET', '/api/v2/blogposts/{id}', 'v2', (ctx) => getContent(ctx, 'blogpost')),
  route('GET', '/api/v2/pages/{id}/attachments', 'v2', (ctx) => listAttachments(ctx, 'page')),
  route('GET', '/api/v2/blogposts/{id}/attachments', 'v2', (ctx) => listAttachments(ctx, 'blogpost')),
  route('GET', '/api/v2/attachments/{id}', 'v2', getAttachment),
  route('GET', '/api/v2/pages/{id}/children', 'v2', listChildren),
];

export function numericId(raw: string, what: string): string {
  if (!/^\d+$/.test(raw)) throw new ApiError(400, `${what} id must be a number, got "${raw}"`);
  return raw;
}

export function siteBase(ctx: RequestContext): string {
  return `${ctx.origin}${ctx.linkBasePath}`;
}

/** A short list paged by position (items without numeric ids). */
export function positioned<T>(ctx: RequestContext, items: T[]): SimResponse {
  const limit = parseLimit(ctx.query, 25);
  const page = positionPage(items, ctx.query.get('cursor'), limit);
  return listResponse(ctx, page.results, page.next, limit);
}

export function listResponse<T>(
  ctx: RequestContext,
  results: T[],
  next: string | undefined,
  limit: number,
): SimResponse {
  const base = siteBase(ctx);
  const links: { next?: string; base: string } = { base };
  const headers: Record<string, string> = {};
  if (next) {
    links.next = nextLink(`${ctx.linkBasePath}${ctx.path}`, ctx.query, next, limit);
    headers.link = `<${links.next}>; rel="next", <${base}>; rel="base"`;
  }
  return json(200, { results, _links: links }, headers);
}

export function visibleSpace(ctx: RequestContext, id: string): SimSpace {
  const space = ctx.site.space(numericId(id, 'space'));
  if (!space || !ctx.site.canViewSpace(ctx.user.id, space.id)) throw new ApiError(404, `No space with id ${id}`);
  return space;
}

export function visibleContent(ctx: RequestContext, id: string, type: ContentType): SimPage {
  const page = ctx.site.page(numericId(id, type));
  if (!page || page.type !== type || !ctx.site.canView(ctx.user.id, page.id))
    throw new ApiError(404, `No ${type} with id ${id}`);
  return page;
}

function parseSort<T>(raw: string | null, sorts: Record<string, (item: T) => string | number>): Sort<T> {
  const text = raw ?? 'id';
  const descending = text.startsWith('-');
  const value = sorts[descending ? text.slice(1) : text];
  if (!value)
    throw new ApiError(
      400,
      `sort must be one of ${Object.keys(sorts).join(', ')} (optionally prefixed with -), got "${text}"`,
    );
  return { field: text, descending, value };
}

const byId = <T extends { id: string }>(item: T) => Number(item.id.replace(/^\D+/, ''));

const SPACE_SORTS: Record<string, (s: SimSpace) => string | number> = {
  id: byId,
  key: (s) => s.key,
  name: (s) => s.name,
};

export const CONTENT_SORTS: Record<string, (p: SimPage) => string | number> = {
  id: byId,
  'created-date': (p) => p.createdAt,
  'modified-date': (p) => p.version.createdAt,
  title: (p) => p.title,
};

/** What a list request selects: the caller, the path and every query parameter except those that page or shape. */
function selectionKey(ctx: RequestContext): string {
  const query = [...ctx.query].filter(([k]) => !['cursor', 'limit', 'body-format'].includes(k)).sort();
  return `v2 ${ctx.user.id} ${ctx.path} ${JSON.stringify(query)}`;
}

/** Filtered and sorted once per selection (until the site changes), then paged by binary search. */
export function paged<T extends { id: string }>(
  ctx: RequestContext,
  select: () => T[],
  sorts: Record<string, (item: T) => string | number>,
  serialize: (item: T) => unknown,
  defaultLimit = 25,
): SimResponse {
  const limit = parseLimit(ctx.query, defaultLimit);
  const sort = parseSort(ctx.query.get('sort'), sorts);
  const sorted = ctx.site.memoize(selectionKey(ctx), () => sortForCursor(select(), sort));
  const page = cursorPage(sorted, sort, ctx.query.get('cursor'), limit);
  return listResponse(ctx, page.results.map(serialize), page.next, limit);
}

function listSpaces(ctx: RequestContext): SimResponse {
  const ids = multi(ctx.query, 'ids');
  const keys = multi(ctx.query, 'keys');
  const types = multi(ctx.query, 'type');
  const statuses = multi(ctx.query, 'status');
  const select = () =>
    ctx.site.spaces.filter(
      (s) =>
        ctx.site.canViewSpace(ctx.user.id, s.id) &&
        (!ids || ids.includes(s.id)) &&
        (!keys || keys.includes(s.key)) &&
        (!types || types.includes(s.type)) &&
        (!statuses || statuses.includes(s.status)),
    );
  return paged(ctx, select, SPACE_SORTS, spaceV2);
}

function listBodyFormat(query: URLSearchParams): 'storage' | undefined {
  const raw = query.get('body-format');
  if (raw === null) return undefined;
  if (raw === 'storage') return 'storage';
  throw new ApiError(400, `body-format for lists must be storage (atlas_doc_format is not simulated), got "${raw}"`);
}

function statusFilter(query: URLSearchParams): string[] {
  const statuses = multi(query, 'status') ?? ['current', 'archived'];
  const bad = statuses.find((s) => !PAGE_STATUSES.includes(s));
  if (bad) throw new ApiError(400, `status must be one of ${PAGE_STATUSES.join(', ')}, got "${bad}"`);
  return statuses;
}

/** `subtype=live` (live docs only) or `subtype=page` (the others); pages only, as the spec lists it. */
function subtypeFilter(query: URLSearchParams): boolean | undefined {
  const raw = query.get('subtype');
  if (raw === null) return undefined;
  if (raw !== 'live' && raw !== 'page') throw new ApiError(400, `subtype must be live or page, got "${raw}"`);
  return raw === 'live';
}

function contentList(ctx: RequestContext, type: ContentType, candidates: () => SimPage[]): SimResponse {
  const format = listBodyFormat(ctx.query);
  const statuses = statusFilter(ctx.query);
  const title = ctx.query.get('title');
  const live = subtypeFilter(ctx.query);
  const select = () =>
    candidates().filter(
      (p) =>
        p.type === type &&
        statuses.includes(p.status) &&
        (live === undefined || (p.subtype === 'live') === live) &&
        (title === null || p.title === title) &&
        ctx.site.canView(ctx.user.id, p.id),
    );
  return paged(ctx, select, CONTENT_SORTS, (p) => contentV2(p, ctx, format));
}

function listSpaceContent(ctx: RequestContext, type: ContentType): SimResponse {
  const space = visibleSpace(ctx, ctx.params.id);
  const depth = ctx.query.get('depth') ?? 'all';
  if (depth !== 'all' && depth !== 'root') throw new ApiError(400, `depth must be all or root, got "${depth}"`);
  return contentList(ctx, type, () => ctx.site.pagesOf(space.id).filter((p) => depth === 'all' || p.parentId === null));
}

function listContent(ctx: RequestContext, type: ContentType): SimResponse {
  const ids = multi(ctx.query, 'id');
  const spaceIds = multi(ctx.query, 'space-id');
  return contentList(ctx, type, () => {
    const candidates = spaceIds ? spaceIds.flatMap((id) => ctx.site.pagesOf(id)) : ctx.site.pages;
    return ids ? candidates.filter((p) => ids.includes(p.id)) : candidates;
  });
}

function getContent(ctx: RequestContext, type: ContentType): SimResponse {
  const page = visibleContent(ctx, ctx.params.id, type);
  const raw = ctx.query.get('body-format');
  if (raw !== null && !REPRESENTATIONS[raw]) {
    throw new ApiError(400, `body-format must be one of ${Object.keys(REPRESENTATIONS).join(', ')}, got "${raw}"`);
  }
  const value = contentV2(page, ctx, raw ?? undefined);
  const labels = ctx.query.get('include-labels') === 'true' ? { labels: includedLabels(ctx, page) } : {};
  return json(200, { ...value, ...labels, _links: { ...value._links, base: siteBase(ctx) } });
}

/** `include-labels=true`: the first labels (by id, as `pages/{id}/labels` sorts them), and the cursor of the rest. */
const INCLUDED_LABELS = 50;

function includedLabels(ctx: RequestContext, page: SimPage) {
  const sort: Sort<SimLabel> = { field: 'id', descending: false, value: byId };
  const first = cursorPage(sortForCursor(ctx.site.labelsOf(page.id), sort), sort, null, INCLUDED_LABELS);
  return {
    results: first.results.map(labelV2),
    meta: { hasMore: first.next !== undefined, ...(first.next ? { cursor: first.next } : {}) },
    _links: { self: `${ctx.linkBasePath}/api/v2/${page.type}s/${page.id}/labels` },
  };
}

const ATTACHMENT_SORTS: Record<string, (a: SimAttachment) => string | number> = {
  id: byId,
  'created-date': (a) => a.createdAt,
  'modified-date': (a) => a.createdAt,
};

function listAttachments(ctx: RequestContext, type: ContentType): SimResponse {
  const page = visibleContent(ctx, ctx.params.id, type);
  const filename = ctx.query.get('filename');
  const mediaType = ctx.query.get('mediaType');
  const select = () =>
    page.attachments.filter((a) => (!filename || a.title === filename) && (!mediaType || a.mediaType === mediaType));
  return paged(ctx, select, ATTACHMENT_SORTS, (a) => attachmentV2(a, ctx), 50);
}

function getAttachment(ctx: RequestContext): SimResponse {
  const att = ctx.site.attachment(ctx.params.id);
  if (!att || !ctx.site.canView(ctx.user.id, att.pageId))
    throw new ApiError(404, `No attachment with id ${ctx.params.id}`);
  const value = attachmentV2(att, ctx);
  return json(200, { ...value, _links: { ...value._links, base: siteBase(ctx) } });
}

function listChildren(ctx: RequestContext): SimResponse {
  const page = visibleContent(ctx, ctx.params.id, 'page');
  const select = () =>
    ctx.site
      .children(page.id)
      .filter((c): c is SimPage => c.type === 'page' && c.status === 'current' && ctx.site.canView(ctx.user.id, c.id));
  const sorts = { ...CONTENT_SORTS, 'child-position': (p: SimPage) => p.position };
  return paged(ctx, select, sorts, (c) => ({
    id: c.id,
    status: c.status,
    title: c.title,
    spaceId: c.spaceId,
    childPosition: c.position,
  }));
}

function listSpacePermissions(ctx: RequestContext): SimResponse {
  const space = visibleSpace(ctx, ctx.params.id);
  if (space.roleAssignments) return positioned(ctx, rolePermissionGrants(ctx.site.roles, space));
  return paged(ctx, () => space.permissions, { id: byId }, permissionV2);
}
