// Cloud v2 JSON shapes (Space, Page) as recorded from real responses, including their nulls.
import type { BodyFormat } from '../bodies';
import { pageWebui, spaceWebui } from '../links';
import type { SimPage, SimSpace } from '../model';
import type { RequestContext } from '../http/types';

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

export function pageV2(page: SimPage, ctx: RequestContext, format?: BodyFormat) {
  const space = ctx.site.space(page.spaceId)!;
  const parent = page.parentId ? ctx.site.page(page.parentId) : undefined;
  const body = format ? { [format]: { representation: format, value: ctx.bodies.render(page, format) } } : {};
  if (format) ctx.stats.countPageBody(page.id);
  return {
    id: page.id,
    status: page.status,
    title: page.title,
    spaceId: page.spaceId,
    parentId: page.parentId,
    parentType: parent ? 'page' : null,
    position: page.position,
    authorId: page.authorId,
    ownerId: page.authorId,
    lastOwnerId: null,
    createdAt: page.createdAt,
    version: {
      createdAt: page.version.createdAt,
      message: page.version.message,
      number: page.version.number,
      minorEdit: page.version.minorEdit,
      authorId: page.version.authorId,
    },
    body,
    _links: {
      editui: `/pages/resumedraft.action?draftId=${page.id}`,
      webui: pageWebui('cloud', space.key, page),
      tinyui: tinyUi(page.id),
    },
  };
}
