// Cloud v2 JSON shapes as recorded from real responses, including their nulls (see BRIEF.md).
import { REPRESENTATIONS } from '../bodies';
import { attachmentSize } from '../files';
import type { RequestContext } from '../http/types';
import { attachmentDownload, pageWebui, spaceWebui } from '../links';
import type { SimAttachment, SimNode, SimPage, SimSpace, SimTreeItem, SpacePermission } from '../model';

export function spaceV2(space: SimSpace) {
  return {
    id: space.id,
    key: space.key,
    name: space.name,
    type: space.type,
    status: space.status,
    authorId: space.authorId,
    createdAt: space.createdAt,
    homepageId: space.homepageId,
    description: null,
    icon: null,
    _links: { webui: spaceWebui('cloud', space.key) },
  };
}

function tinyUi(id: string): string {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64LE(BigInt(id));
  let end = buf.length;
  while (end > 1 && buf[end - 1] === 0) end--;
  return `/x/${buf.subarray(0, end).toString('base64url')}`;
}

function versionV2(page: SimNode) {
  const { createdAt, message, number, minorEdit, authorId } = page.version;
  return { createdAt, message, number, minorEdit, authorId };
}

/** A page or a blog post, with its body in one representation (`body-format`); blog posts have no tree fields. */
export function contentV2(page: SimPage, ctx: RequestContext, representation?: string) {
  const space = ctx.site.space(page.spaceId)!;
  const format = representation && REPRESENTATIONS[representation];
  const body =
    representation && format
      ? { [representation]: { representation, value: ctx.bodies.render(page, format, ctx.user.id) } }
      : {};
  if (format) ctx.stats.countPageBody(page.id);
  const common = { id: page.id, status: page.status, title: page.title, spaceId: page.spaceId };
  const links = {
    editui: `/pages/resumedraft.action?draftId=${page.id}`,
    webui: pageWebui('cloud', space.key, page),
    tinyui: tinyUi(page.id),
  };
  if (page.type === 'blogpost') {
    return {
      ...common,
      authorId: page.authorId,
      createdAt: page.createdAt,
      version: versionV2(page),
      body,
      _links: links,
    };
  }
  return {
    ...common,
    parentId: page.parentId,
    parentType: parentType(ctx, page),
    position: page.position,
    authorId: page.authorId,
    ownerId: page.authorId,
    lastOwnerId: null,
    ...(page.subtype ? { subtype: page.subtype } : {}),
    createdAt: page.createdAt,
    version: versionV2(page),
    body,
    _links: links,
  };
}

/** The parent's type (page or folder); null at the top of a space, as real responses have it. */
export function parentType(ctx: RequestContext, node: SimNode): string | null {
  return node.parentId ? (ctx.site.node(node.parentId)?.type ?? null) : null;
}

export function attachmentV2(att: SimAttachment, ctx: RequestContext) {
  const page = ctx.site.page(att.pageId)!;
  const download = attachmentDownload('cloud', att);
  const webui = `/pages/viewpageattachments.action?pageId=${page.id}&preview=${encodeURIComponent(`/${page.id}/${att.id}/${att.title}`)}`;
  return {
    id: att.id,
    status: 'current',
    title: att.title,
    createdAt: att.createdAt,
    ...(page.type === 'blogpost' ? { blogPostId: page.id } : { pageId: page.id }),
    mediaType: att.mediaType,
    mediaTypeDescription: null,
    comment: att.comment,
    fileId: att.fileId,
    fileSize: attachmentSize(att, ctx.options.seed),
    webuiLink: webui,
    downloadLink: download,
    version: { createdAt: att.createdAt, message: '', number: att.version, minorEdit: false, authorId: page.authorId },
    _links: { webui, download },
  };
}

export function permissionV2(permission: SpacePermission) {
  return { id: permission.id, principal: { ...permission.principal }, operation: { ...permission.operation } };
}

/**
 * A folder, whiteboard, database or embed (FolderSingle, WhiteboardSingle, DatabaseSingle, SmartLinkSingle): no body;
 * parentId and parentType null at the top of a space, as for pages; an embed's `embedUrl` when it has one.
 */
export function treeItemV2(folder: SimTreeItem, ctx: RequestContext) {
  const space = ctx.site.space(folder.spaceId)!;
  return {
    id: folder.id,
    type: folder.type,
    status: folder.status,
    title: folder.title,
    parentId: folder.parentId,
    parentType: parentType(ctx, folder),
    position: folder.position,
    authorId: folder.authorId,
    ownerId: folder.authorId,
    createdAt: folder.createdAt,
    spaceId: folder.spaceId,
    ...(folder.embedUrl ? { embedUrl: folder.embedUrl } : {}),
    version: versionV2(folder),
    _links: { webui: pageWebui('cloud', space.key, folder) },
  };
}
