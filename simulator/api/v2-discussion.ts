// Cloud REST v2 comments and labels: a page's (or blog post's) footer and inline comments (top level), the replies to
// a comment, and a page's labels. All cursor-paged; a comment is visible to exactly who sees its page.
import { cursorPage, parseLimit, sortForCursor, type Sort } from '../http/paging';
import { route, type Route } from '../http/router';
import { ApiError, type RequestContext, type SimResponse } from '../http/types';
import type { CommentLocation, SimComment, SimLabel, SimPage } from '../model';
import { commentV2, labelV2 } from '../serialize/comments';
import { listResponse, visibleContent } from './v2';

type ContentType = SimPage['type'];

export const v2DiscussionRoutes: Route[] = [
  route('GET', '/api/v2/pages/{id}/footer-comments', 'v2', (ctx) => pageComments(ctx, 'page', 'footer')),
  route('GET', '/api/v2/pages/{id}/inline-comments', 'v2', (ctx) => pageComments(ctx, 'page', 'inline')),
  route('GET', '/api/v2/blogposts/{id}/footer-comments', 'v2', (ctx) => pageComments(ctx, 'blogpost', 'footer')),
  route('GET', '/api/v2/blogposts/{id}/inline-comments', 'v2', (ctx) => pageComments(ctx, 'blogpost', 'inline')),
  route('GET', '/api/v2/footer-comments/{id}/children', 'v2', (ctx) => replies(ctx, 'footer')),
  route('GET', '/api/v2/inline-comments/{id}/children', 'v2', (ctx) => replies(ctx, 'inline')),
  route('GET', '/api/v2/pages/{id}/labels', 'v2', (ctx) => labels(ctx, 'page')),
  route('GET', '/api/v2/blogposts/{id}/labels', 'v2', (ctx) => labels(ctx, 'blogpost')),
];

const COMMENT_SORTS: Record<string, (c: SimComment) => string | number> = {
  'created-date': (c) => c.createdAt,
  'modified-date': (c) => c.version.createdAt,
};

function commentSort(raw: string | null): Sort<SimComment> {
  const text = raw ?? 'created-date';
  const descending = text.startsWith('-');
  const value = COMMENT_SORTS[descending ? text.slice(1) : text];
  if (!value)
    throw new ApiError(
      400,
      `sort must be one of created-date, -created-date, modified-date, -modified-date, got "${text}"`,
    );
  return { field: text, descending, value };
}

/** Comment lists take body-format storage or atlas_doc_format (the latter is not simulated). */
function storageBody(query: URLSearchParams): boolean {
  const raw = query.get('body-format');
  if (raw === null) return false;
  if (raw === 'storage') return true;
  throw new ApiError(400, `body-format for comments must be storage (atlas_doc_format is not simulated), got "${raw}"`);
}

function commentPage(ctx: RequestContext, select: () => SimComment[]): SimResponse {
  const storage = storageBody(ctx.query);
  const limit = parseLimit(ctx.query, 25);
  const sort = commentSort(ctx.query.get('sort'));
  const key = `v2 ${ctx.user.id} ${ctx.path} ${sort.field}`;
  const sorted = ctx.site.memoize(key, () => sortForCursor(select(), sort));
  const page = cursorPage(sorted, sort, ctx.query.get('cursor'), limit);
  return listResponse(
    ctx,
    page.results.map((c) => commentV2(c, ctx, storage)),
    page.next,
    limit,
  );
}

function pageComments(ctx: RequestContext, type: ContentType, location: CommentLocation): SimResponse {
  const page = visibleContent(ctx, ctx.params.id, type);
  return commentPage(ctx, () =>
    ctx.site.commentsOf(page.id).filter((c) => c.location === location && c.parentId === null),
  );
}

function replies(ctx: RequestContext, location: CommentLocation): SimResponse {
  const comment = /^\d+$/.test(ctx.params.id) ? ctx.site.comment(ctx.params.id) : undefined;
  if (!comment || comment.location !== location || !ctx.site.canView(ctx.user.id, comment.pageId)) {
    throw new ApiError(404, `No ${location} comment with id ${ctx.params.id}`);
  }
  return commentPage(ctx, () => ctx.site.replies(comment.id));
}

const LABEL_SORTS: Record<string, (l: SimLabel) => string | number> = { id: (l) => Number(l.id), name: (l) => l.name };

function labels(ctx: RequestContext, type: ContentType): SimResponse {
  const page = visibleContent(ctx, ctx.params.id, type);
  const prefix = ctx.query.get('prefix');
  const limit = parseLimit(ctx.query, 25);
  const raw = ctx.query.get('sort') ?? 'id';
  const descending = raw.startsWith('-');
  const value = LABEL_SORTS[descending ? raw.slice(1) : raw];
  if (!value) throw new ApiError(400, `sort must be one of id, name (optionally prefixed with -), got "${raw}"`);
  const sort = { field: raw, descending, value };
  const key = `v2 ${ctx.user.id} ${ctx.path} ${prefix} ${raw}`;
  const sorted = ctx.site.memoize(key, () =>
    sortForCursor(
      ctx.site.labelsOf(page.id).filter((l) => prefix === null || l.prefix === prefix),
      sort,
    ),
  );
  const result = cursorPage(sorted, sort, ctx.query.get('cursor'), limit);
  return listResponse(ctx, result.results.map(labelV2), result.next, limit);
}
