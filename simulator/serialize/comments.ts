// Comments and labels in the shapes of Cloud v2 (footer/inline comment lists and their children, labels) and of
// REST v1 (`child/comment` and CQL results: content of type comment, `extensions.location` saying footer or inline).
import type { Expand } from '../http/expand';
import { escapeHtml } from '../render/escape';
import { pageWebui } from '../links';
import type { SimComment, SimLabel, SimPage } from '../model';
import { base, contentVersionV1, contentV1, historyV1, spaceV1, type Ctx } from './v1';

/** One paragraph: storage and view render comments alike. */
export function commentBody(comment: SimComment): string {
  return `<p>${escapeHtml(comment.text)}</p>`;
}

function commentWebui(ctx: Ctx, page: SimPage, comment: SimComment): string {
  const url = pageWebui(ctx.mode, ctx.site.space(page.spaceId)!.key, page);
  return `${url}${url.includes('?') ? '&' : '?'}focusedCommentId=${comment.id}`;
}

function versionV2(comment: SimComment) {
  const { createdAt, message, number, minorEdit, authorId } = comment.version;
  return { createdAt, message, number, minorEdit, authorId };
}

/** A top-level comment of `pages/{id}/footer-comments` or `inline-comments` (or a reply, from `.../children`). */
export function commentV2(comment: SimComment, ctx: Ctx, storage: boolean) {
  const page = ctx.site.page(comment.pageId)!;
  const body = storage ? { storage: { representation: 'storage', value: commentBody(comment) } } : {};
  const common = { id: comment.id, status: 'current', title: `Re: ${page.title}` };
  const where = comment.parentId
    ? { parentCommentId: comment.parentId }
    : page.type === 'blogpost'
      ? { blogPostId: page.id }
      : { pageId: page.id };
  const inline = comment.location === 'inline' ? inlineV2(comment, ctx) : {};
  return {
    ...common,
    ...where,
    version: versionV2(comment),
    body,
    ...inline,
    _links: { webui: commentWebui(ctx, page, comment) },
  };
}

/** Replies carry their thread's resolution and highlighted text. */
function inlineV2(comment: SimComment, ctx: Ctx) {
  const inline = threadRoot(comment, ctx).inline;
  if (!inline) return {};
  return {
    resolutionStatus: inline.resolution,
    properties: { inlineMarkerRef: inline.markerRef, inlineOriginalSelection: inline.selection },
  };
}

function threadRoot(comment: SimComment, ctx: Ctx): SimComment {
  let root = comment;
  while (root.parentId) root = ctx.site.comment(root.parentId) ?? root;
  return root;
}

export function labelV2(labelValue: SimLabel) {
  return { id: labelValue.id, name: labelValue.name, prefix: labelValue.prefix };
}

/** Parent comments, root first (what `expand=ancestors` gives for a reply on Data Center). */
function commentAncestors(comment: SimComment, ctx: Ctx): SimComment[] {
  const chain: SimComment[] = [];
  for (
    let c = comment.parentId ? ctx.site.comment(comment.parentId) : undefined;
    c;
    c = c.parentId ? ctx.site.comment(c.parentId) : undefined
  )
    chain.unshift(c);
  return chain;
}

/** A comment as REST v1 content. */
export function commentV1(comment: SimComment, ctx: Ctx, expand: Expand): Record<string, unknown> {
  const page = ctx.site.page(comment.pageId)!;
  const out: Record<string, unknown> = {
    id: comment.id,
    type: 'comment',
    status: 'current',
    title: `Re: ${page.title}`,
  };
  const lazy: Record<string, string> = {};
  const part = (name: string, make: () => unknown, lazyValue = '') => {
    if (expand.has(name)) out[name] = make();
    else lazy[name] = lazyValue;
  };
  const space = ctx.site.space(page.spaceId)!;
  part('space', () => spaceV1(space, ctx, expand.under('space')), `/rest/api/space/${space.key}`);
  part('history', () => historyV1(comment, ctx), `/rest/api/content/${comment.id}/history`);
  part('version', () => contentVersionV1(comment.id, comment.version, ctx));
  part('ancestors', () => commentAncestors(comment, ctx).map((a) => commentV1(a, ctx, expand.under('ancestors'))));
  part('container', () => contentV1(page, ctx, expand.under('container')), `/rest/api/content/${page.id}`);
  part('body', () => commentBodyV1(comment, expand.under('body')));
  for (const name of ['childTypes', 'operations', 'children', 'descendants', 'restrictions', 'metadata'])
    lazy[name] = '';
  out.extensions = extensionsV1(comment, ctx);
  out._expandable = lazy;
  out._links = { webui: commentWebui(ctx, page, comment), self: `${base(ctx)}/rest/api/content/${comment.id}` };
  return out;
}

function commentBodyV1(comment: SimComment, expand: Expand) {
  const body: Record<string, unknown> = {};
  const missing: Record<string, string> = {};
  for (const name of ['view', 'export_view', 'styled_view', 'storage']) {
    if (expand.has(name))
      body[name] = {
        value: commentBody(comment),
        representation: name,
        _expandable: { content: `/rest/api/content/${comment.id}` },
      };
    else missing[name] = '';
  }
  return {
    ...body,
    _expandable: {
      editor: '',
      atlas_doc_format: '',
      wiki: '',
      dynamic: '',
      editor2: '',
      anonymous_export_view: '',
      ...missing,
    },
  };
}

function extensionsV1(comment: SimComment, ctx: Ctx) {
  const inline = threadRoot(comment, ctx).inline;
  if (comment.location !== 'inline' || !inline) return { location: comment.location };
  return {
    location: 'inline',
    inlineProperties: { markerRef: inline.markerRef, originalSelection: inline.selection },
    resolution: {
      status: inline.resolution,
      lastModifier: comment.authorId,
      lastModifiedDate: comment.version.createdAt,
    },
  };
}
