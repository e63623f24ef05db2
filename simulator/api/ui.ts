// The pages a browser would open from `_links.webui`: enough HTML for a link check or a human glance.
import { escapeHtml } from '../render/escape';
import { bytes } from '../http/respond';
import { route, type Route } from '../http/router';
import { ApiError, type RequestContext, type SimResponse } from '../http/types';
import type { SimPage } from '../model';

export function uiRoutes(mode: 'cloud' | 'dc'): Route[] {
  if (mode === 'cloud') {
    return [
      route('GET', '/spaces/{key}/pages/{id}', 'plain', (ctx) => pageHtml(ctx, byId(ctx, ctx.params.id))),
      route('GET', '/spaces/{key}/pages/{id}/{rest}', 'plain', (ctx) => pageHtml(ctx, byId(ctx, ctx.params.id))),
    ];
  }
  return [
    route('GET', '/display/{key}', 'plain', (ctx) => pageHtml(ctx, homeOf(ctx, ctx.params.key))),
    route('GET', '/display/{key}/{rest}', 'plain', (ctx) =>
      pageHtml(ctx, byTitle(ctx, ctx.params.key, ctx.params.rest)),
    ),
    route('GET', '/pages/viewpage.action', 'plain', (ctx) => pageHtml(ctx, byId(ctx, ctx.query.get('pageId') ?? ''))),
  ];
}

function visible(ctx: RequestContext, page: SimPage | undefined): SimPage {
  if (!page || !ctx.site.canView(ctx.user.id, page.id)) throw new ApiError(404, 'Page Not Found');
  return page;
}

function byId(ctx: RequestContext, id: string): SimPage {
  return visible(ctx, ctx.site.page(id));
}

function homeOf(ctx: RequestContext, key: string): SimPage {
  const space = ctx.site.spaceByKey(key);
  return visible(ctx, space ? ctx.site.page(space.homepageId) : undefined);
}

function byTitle(ctx: RequestContext, key: string, rest: string): SimPage {
  const space = ctx.site.spaceByKey(key);
  // Blog posts live under /display/KEY/yyyy/mm/dd/Title; pages under /display/KEY/Title ('+' for spaces).
  const title = decodeURIComponent(rest.split('/').pop()!.replace(/\+/g, ' '));
  return visible(ctx, space ? ctx.site.pagesOf(space.id).find((p) => p.title === title) : undefined);
}

function pageHtml(ctx: RequestContext, page: SimPage): SimResponse {
  const space = ctx.site.space(page.spaceId)!;
  const html =
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(page.title)} - ${escapeHtml(space.name)} - Confluence</title></head>` +
    `<body><h1 id="title-text">${escapeHtml(page.title)}</h1>` +
    `<div id="main-content" class="wiki-content">${ctx.bodies.render(page, 'view', ctx.user.id)}</div></body></html>`;
  return bytes(Buffer.from(html), 'text/html;charset=UTF-8');
}
