// Cloud REST v2 (/wiki/api/v2): spaces, pages, page by id, with cursor pagination and per-user visibility.
import type { BodyFormat } from '../bodies';
import type { SimPage, SimSpace } from '../model';
import { cursorPage, nextLink, parseLimit, type Sort } from '../http/paging';
import { json } from '../http/respond';
import { route, type Route } from '../http/router';
import { ApiError, type RequestContext, type SimResponse } from '../http/types';
import { pageV2, spaceV2 } from '../serialize/v2';

const PAGE_STATUSES = ['current', 'archived', 'deleted', 'trashed'];

export const v2Routes: Route[] = [
  route('GET', '/api/v2/spaces', 'v2', listSpaces),
  route('GET', '/api/v2/spaces/{id}', 'v2', getSpace),
  route('GET', '/api/v2/spaces/{id}/pages', 'v2', listSpacePages),
  route('GET', '/api/v2/pages', 'v2', listPages),
  route('GET', '/api/v2/pages/{id}', 'v2', getPage),
];

function csv(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return values.length > 0 ? values : undefined;
}

function numericId(raw: string, what: string): string {
  if (!/^\d+$/.test(raw)) throw new ApiError(400, `${what} id must be a number, got "${raw}"`);
  return raw;
}

function listResponse<T>(ctx: RequestContext, results: T[], next: string | undefined, limit: number): SimResponse {
  const base = `${ctx.origin}${ctx.linkBasePath}`;
  const links: { next?: string; base: string } = { base };
  const headers: Record<string, string> = {};
  if (next) {
    links.next = nextLink(`${ctx.linkBasePath}${ctx.path}`, ctx.query, next, limit);
    headers.link = `<${links.next}>; rel="next", <${base}>; rel="base"`;
  }
  return json(200, { results, _links: links }, headers);
}

function visibleSpaces(ctx: RequestContext): SimSpace[] {
  return ctx.site.spaces.filter((s) => ctx.site.canViewSpace(ctx.user.id, s.id));
}

function visibleSpace(ctx: RequestContext, id: string): SimSpace {
  const space = ctx.site.space(numericId(id, 'space'));
  if (!space || !ctx.site.canViewSpace(ctx.user.id, space.id)) throw new ApiError(404, `No space with id ${id}`);
  return space;
}

const SPACE_SORTS: Record<string, (s: SimSpace) => string | number> = {
  id: (s) => Number(s.id),
  key: (s) => s.key,
  name: (s) => s.name,
};

const PAGE_SORTS: Record<string, (p: SimPage) => string | number> = {
  id: (p) => Number(p.id),
  'created-date': (p) => p.createdAt,
  'modified-date': (p) => p.version.createdAt,
  title: (p) => p.title,
};

function parseSort<T>(raw: string | null, sorts: Record<string, (item: T) => string | number>): Sort<T> {
  const text = raw ?? 'id';
  const descending = text.startsWith('-');
  const field = descending ? text.slice(1) : text;
  const value = sorts[field];
  if (!value) throw new ApiError(400, `sort must be one of ${Object.keys(sorts).join(', ')} (optionally prefixed with -), got "${text}"`);
  return { field: text, descending, value };
}

function listSpaces(ctx: RequestContext): SimResponse {
  const limit = parseLimit(ctx.query, 25);
  const ids = csv(ctx.query, 'ids');
  const keys = csv(ctx.query, 'keys');
  const types = csv(ctx.query, 'type');
  const statuses = csv(ctx.query, 'status');
  const spaces = visibleSpaces(ctx).filter(
    (s) =>
      (!ids || ids.includes(s.id)) &&
      (!keys || keys.includes(s.key)) &&
      (!types || types.includes(s.type)) &&
      (!statuses || statuses.includes(s.status)),
  );
  const page = cursorPage(spaces, parseSort(ctx.query.get('sort'), SPACE_SORTS), ctx.query.get('cursor'), limit);
  return listResponse(ctx, page.results.map(spaceV2), page.next, limit);
}

function getSpace(ctx: RequestContext): SimResponse {
  return json(200, spaceV2(visibleSpace(ctx, ctx.params.id)));
}

function listBodyFormat(query: URLSearchParams): BodyFormat | undefined {
  const raw = query.get('body-format');
  if (raw === null) return undefined;
  if (raw === 'storage') return 'storage';
  throw new ApiError(400, `body-format for lists must be storage (atlas_doc_format is not simulated), got "${raw}"`);
}

function statusFilter(query: URLSearchParams): string[] {
  const statuses = csv(query, 'status') ?? ['current', 'archived'];
  const bad = statuses.find((s) => !PAGE_STATUSES.includes(s));
  if (bad) throw new ApiError(400, `status must be one of ${PAGE_STATUSES.join(', ')}, got "${bad}"`);
  return statuses;
}

function pageList(ctx: RequestContext, candidates: SimPage[]): SimResponse {
  const limit = parseLimit(ctx.query, 25);
  const format = listBodyFormat(ctx.query);
  const statuses = statusFilter(ctx.query);
  const title = ctx.query.get('title');
  const pages = candidates.filter(
    (p) => p.type === 'page' && statuses.includes(p.status) && (title === null || p.title === title) && ctx.site.canView(ctx.user.id, p.id),
  );
  const page = cursorPage(pages, parseSort(ctx.query.get('sort'), PAGE_SORTS), ctx.query.get('cursor'), limit);
  return listResponse(ctx, page.results.map((p) => pageV2(p, ctx, format)), page.next, limit);
}

function listSpacePages(ctx: RequestContext): SimResponse {
  const space = visibleSpace(ctx, ctx.params.id);
  const depth = ctx.query.get('depth') ?? 'all';
  if (depth !== 'all' && depth !== 'root') throw new ApiError(400, `depth must be all or root, got "${depth}"`);
  const pages = ctx.site.pagesOf(space.id).filter((p) => depth === 'all' || p.parentId === null);
  return pageList(ctx, pages);
}

function listPages(ctx: RequestContext): SimResponse {
  const ids = csv(ctx.query, 'id');
  const spaceIds = csv(ctx.query, 'space-id');
  const candidates = spaceIds ? spaceIds.flatMap((id) => ctx.site.pagesOf(id)) : ctx.site.pages;
  return pageList(ctx, ids ? candidates.filter((p) => ids.includes(p.id)) : candidates);
}

const SINGLE_FORMATS: Record<string, BodyFormat> = { storage: 'storage', view: 'view', export_view: 'view', styled_view: 'view' };

function getPage(ctx: RequestContext): SimResponse {
  const id = numericId(ctx.params.id, 'page');
  const page = ctx.site.page(id);
  if (!page || page.type !== 'page' || !ctx.site.canView(ctx.user.id, id)) throw new ApiError(404, `No page with id ${id}`);
  const raw = ctx.query.get('body-format');
  const format = raw === null ? undefined : SINGLE_FORMATS[raw];
  if (raw !== null && !format) {
    throw new ApiError(400, `body-format must be one of ${Object.keys(SINGLE_FORMATS).join(', ')}, got "${raw}"`);
  }
  const value = pageV2(page, ctx, format);
  return json(200, { ...value, _links: { ...value._links, base: `${ctx.origin}${ctx.linkBasePath}` } });
}
