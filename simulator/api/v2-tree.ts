// Cloud v2 content tree: folders, whiteboards, databases and embeds, and the ancestors, direct children and descendants
// of each of them and of pages. Items the caller may not see are left out (with everything below them, which they
// cannot see either).
import { cursorPage, parseLimit, sortForCursor, type Sort } from '../http/paging';
import { json } from '../http/respond';
import { route, type Route } from '../http/router';
import { ApiError, type RequestContext, type SimResponse } from '../http/types';
import { isPage, type SimNode, type TreeItemType } from '../model';
import { treeItemV2 } from '../serialize/v2';
import { listResponse, numericId, paged, siteBase } from './v2';

type TreeType = 'page' | TreeItemType;
const ITEM_TYPES: TreeItemType[] = ['folder', 'whiteboard', 'database', 'embed'];

export const v2TreeRoutes: Route[] = [
  ...ITEM_TYPES.map((type) => route('GET', `/api/v2/${type}s/{id}`, 'v2', (ctx) => getItem(ctx, type))),
  ...(['page', ...ITEM_TYPES] as const).flatMap((type) => [
    route('GET', `/api/v2/${type}s/{id}/ancestors`, 'v2', (ctx) => listAncestors(ctx, type)),
    route('GET', `/api/v2/${type}s/{id}/direct-children`, 'v2', (ctx) => listDirectChildren(ctx, type)),
    route('GET', `/api/v2/${type}s/{id}/descendants`, 'v2', (ctx) => listDescendants(ctx, type)),
  ]),
];

function visibleNode(ctx: RequestContext, id: string, type: TreeType): SimNode {
  const node = ctx.site.node(numericId(id, type));
  if (!node || node.type !== type || !ctx.site.canView(ctx.user.id, node.id))
    throw new ApiError(404, `No ${type} with id ${id}`);
  return node;
}

function getItem(ctx: RequestContext, type: TreeItemType): SimResponse {
  const item = visibleNode(ctx, ctx.params.id, type);
  if (isPage(item)) throw new ApiError(404, `No ${type} with id ${ctx.params.id}`);
  const value = treeItemV2(item, ctx);
  return json(200, { ...value, _links: { ...value._links, base: siteBase(ctx) } });
}

/**
 * The nearest `limit` ancestors, root first, pages and folders alike: a caller seeing a full page asks again from the
 * highest one.
 */
function listAncestors(ctx: RequestContext, type: TreeType): SimResponse {
  const node = visibleNode(ctx, ctx.params.id, type);
  const limit = parseLimit(ctx.query, 25);
  const chain = ctx.site.ancestors(node.id).slice(-limit);
  return json(200, { results: chain.map((a) => ({ id: a.id, type: a.type })), _links: { base: siteBase(ctx) } });
}

const CHILD_SORTS: Record<string, (n: SimNode) => string | number> = {
  id: (n) => Number(n.id),
  'child-position': (n) => n.position,
  title: (n) => n.title,
  'created-date': (n) => n.createdAt,
  'modified-date': (n) => n.version.createdAt,
};

const visibleChildren = (ctx: RequestContext, id: string) =>
  ctx.site.children(id).filter((c) => c.status === 'current' && ctx.site.canView(ctx.user.id, c.id));

function listDirectChildren(ctx: RequestContext, type: TreeType): SimResponse {
  const node = visibleNode(ctx, ctx.params.id, type);
  const select = () => visibleChildren(ctx, node.id);
  return paged(ctx, select, CHILD_SORTS, (c) => ({
    id: c.id,
    status: c.status,
    title: c.title,
    type: c.type,
    spaceId: c.spaceId,
    childPosition: c.position,
  }));
}

interface Descendant {
  id: string;
  node: SimNode;
  depth: number;
  order: number;
}

/** Top to bottom (every item of a depth before the next depth), each depth in tree order; `depth` 1-10, default 2. */
function listDescendants(ctx: RequestContext, type: TreeType): SimResponse {
  const root = visibleNode(ctx, ctx.params.id, type);
  const rawDepth = ctx.query.get('depth') ?? '2';
  const maxDepth = Number(rawDepth);
  if (!/^\d+$/.test(rawDepth) || maxDepth < 1 || maxDepth > 10)
    throw new ApiError(400, `depth must be an integer between 1 and 10, got "${rawDepth}"`);
  const limit = parseLimit(ctx.query, 25);
  const sort: Sort<Descendant> = { field: 'tree-order', descending: false, value: (d) => d.order };
  const all = ctx.site.memoize(`v2 ${ctx.user.id} ${ctx.path} depth=${maxDepth}`, () => {
    const found: Descendant[] = [];
    let level = [root];
    for (let depth = 1; depth <= maxDepth && level.length > 0; depth++) {
      level = level.flatMap((n) => visibleChildren(ctx, n.id));
      for (const node of level) found.push({ id: node.id, node, depth, order: found.length });
    }
    return sortForCursor(found, sort);
  });
  const page = cursorPage(all, sort, ctx.query.get('cursor'), limit);
  const results = page.results.map(({ node, depth }) => ({
    id: node.id,
    status: node.status,
    title: node.title,
    type: node.type,
    parentId: node.parentId,
    depth,
    childPosition: node.position,
  }));
  return listResponse(ctx, results, page.next, limit);
}
