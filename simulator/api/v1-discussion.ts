// REST v1 comments and labels: `content/{id}/child/comment` (Data Center honours depth=all and returns replies too;
// Cloud ignores depth and returns top-level comments only, as its spec says) and `content/{id}/label`.
import { Expand } from '../http/expand';
import { multi } from '../http/query';
import { route, type Route } from '../http/router';
import { ApiError, type RequestContext, type SimResponse } from '../http/types';
import { commentV1 } from '../serialize/comments';
import { v1List, visibleContent } from './v1-common';

const LOCATIONS = ['footer', 'inline', 'resolved'];

export const v1DiscussionRoutes: Route[] = [
  route('GET', '/rest/api/content/{id}/child/comment', 'v1', childComments),
  route('GET', '/rest/api/content/{id}/label', 'v1', contentLabels),
];

function childComments(ctx: RequestContext): SimResponse {
  const page = visibleContent(ctx, ctx.params.id);
  const locations = multi(ctx.query, 'location');
  const bad = locations?.find((l) => !LOCATIONS.includes(l));
  if (bad) throw new ApiError(400, `location must be one of ${LOCATIONS.join(', ')}, got "${bad}"`);
  const allDepths = ctx.mode === 'dc' && ctx.query.get('depth') === 'all';
  const matches = (location: string, resolved: boolean) =>
    !locations || locations.includes(location) || (resolved && locations.includes('resolved'));
  const select = () =>
    ctx.site
      .commentsOf(page.id)
      .filter((c) => (allDepths || c.parentId === null) && matches(c.location, c.inline?.resolution === 'resolved'));
  const expand = new Expand(ctx.query.get('expand'));
  return v1List(ctx, select, (c) => commentV1(c, ctx, expand));
}

function contentLabels(ctx: RequestContext): SimResponse {
  const page = visibleContent(ctx, ctx.params.id);
  const prefix = ctx.query.get('prefix');
  const select = () => ctx.site.labelsOf(page.id).filter((l) => prefix === null || l.prefix === prefix);
  return v1List(ctx, select, (l) => ({ prefix: l.prefix, name: l.name, id: l.id, label: l.name }));
}
