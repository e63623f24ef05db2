// REST v1 JSON shapes (Cloud /wiki/rest/api and Data Center /rest/api): users, groups, spaces, content, attachments,
// restrictions. Cloud identifies people by accountId and groups by id; Data Center by userKey/username and group name.
import { REPRESENTATIONS } from '../bodies';
import { attachmentSize } from '../files';
import type { Expand } from '../http/expand';
import type { RequestContext } from '../http/types';
import { attachmentDownload, pageWebui, spaceWebui } from '../links';
import type {
  RestrictedOperation,
  SimAttachment,
  SimGroup,
  SimLabel,
  SimNode,
  SimSpace,
  SimUser,
  SimVersion,
} from '../model';

export type Ctx = Pick<
  RequestContext,
  'mode' | 'origin' | 'basePath' | 'site' | 'bodies' | 'stats' | 'options' | 'user'
>;

export const base = (ctx: Ctx) => `${ctx.origin}${ctx.basePath}`;

const profilePicture = (ctx: Ctx) => ({
  path: `${ctx.basePath}/images/icons/profilepics/default.svg`,
  width: 48,
  height: 48,
  isDefault: true,
});

export function userV1(user: SimUser, ctx: Ctx) {
  if (ctx.mode === 'cloud') {
    return {
      type: 'known',
      accountId: user.id,
      accountType: 'atlassian',
      email: '',
      publicName: user.displayName,
      profilePicture: profilePicture(ctx),
      displayName: user.displayName,
      isExternalCollaborator: false,
      _expandable: { operations: '', personalSpace: '' },
      _links: { self: `${base(ctx)}/rest/api/user?accountId=${encodeURIComponent(user.id)}` },
    };
  }
  return {
    type: 'known',
    username: user.username,
    userKey: user.userKey,
    profilePicture: profilePicture(ctx),
    displayName: user.displayName,
    _expandable: { status: '' },
    _links: { self: `${base(ctx)}/rest/api/user?key=${user.userKey}` },
  };
}

export function groupV1(group: SimGroup, ctx: Ctx) {
  const self = `${base(ctx)}/rest/api/group/${encodeURIComponent(group.name)}`;
  return ctx.mode === 'cloud'
    ? { type: 'group', name: group.name, id: group.id, _links: { self } }
    : { type: 'group', name: group.name, _links: { self } };
}

export function spaceV1(space: SimSpace, ctx: Ctx, expand: Expand) {
  const out: Record<string, unknown> = {
    id: Number(space.id),
    key: space.key,
    name: space.name,
    type: space.type,
    status: space.status,
  };
  if (expand.has('icon'))
    out.icon = { path: `${ctx.basePath}/images/logo/default-space-logo.svg`, width: 48, height: 48, isDefault: true };
  if (expand.has('description')) {
    out.description = { plain: { value: `${space.name} space`, representation: 'plain', embeddedContent: [] } };
  }
  if (expand.has('permissions')) out.permissions = spacePermissionsV1(space, ctx);
  if (expand.has('homepage')) {
    const home = ctx.site.page(space.homepageId);
    if (home) out.homepage = contentV1(home, ctx, expand.under('homepage'));
  }
  out._expandable = unexpanded(expand, {
    settings: `/rest/api/space/${space.key}/settings`,
    metadata: '',
    operations: '',
    lookAndFeel: `/rest/api/settings/lookandfeel?spaceKey=${space.key}`,
    identifiers: '',
    permissions: '',
    icon: '',
    description: '',
    theme: `/rest/api/space/${space.key}/theme`,
    history: '',
    homepage: `/rest/api/content/${space.homepageId}`,
  });
  out._links = { webui: spaceWebui(ctx.mode, space.key), self: `${base(ctx)}/rest/api/space/${space.key}` };
  return out;
}

/**
 * The legacy `expand=permissions` of a space (what Data Center before 9.1 serves): one entry per grant, its subject a
 * one-element user or group list. Only space administrators see the grants; others get an empty list (unverified:
 * real servers' answer to non-administrators is not documented), which a client must not read as "nobody may read".
 */
function spacePermissionsV1(space: SimSpace, ctx: Ctx) {
  ctx.stats.countTag('permission');
  // In role mode the legacy grants give nothing; listing them would claim access that does not exist.
  if (space.roleAssignments || !ctx.site.hasSpacePermission(ctx.user.id, space.id, 'administer')) return [];
  return space.permissions.flatMap((p) => {
    const user = p.principal.type === 'user' ? ctx.site.user(p.principal.id) : undefined;
    const group = p.principal.type === 'group' ? ctx.site.group(p.principal.id) : undefined;
    const subjects = user
      ? { user: { results: [userV1(user, ctx)], size: 1 } }
      : group
        ? { group: { results: [groupV1(group, ctx)], size: 1 } }
        : undefined;
    if (!subjects) return [];
    return [
      {
        id: Number(p.id),
        subjects,
        operation: { operation: p.operation.key, targetType: p.operation.targetType },
        anonymousAccess: false,
        unlicensedAccess: false,
      },
    ];
  });
}

function unexpanded(expand: Expand, all: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(all).filter(([k]) => !expand.has(k)));
}

export function versionV1(page: SimNode, ctx: Ctx) {
  return contentVersionV1(page.id, page.version, ctx);
}

/** The version of any content (page, blog post, comment). */
export function contentVersionV1(id: string, version: SimVersion, ctx: Ctx) {
  const author = ctx.site.user(version.authorId) ?? ctx.site.users[0];
  return {
    by: userV1(author, ctx),
    when: version.createdAt,
    friendlyWhen: version.createdAt.slice(0, 10),
    message: version.message,
    number: version.number,
    minorEdit: version.minorEdit,
    _expandable: { collaborators: '', content: `/rest/api/content/${id}` },
    _links: { self: `${base(ctx)}/rest/api/content/${id}/version/${version.number}` },
  };
}

function bodyV1(page: SimNode, ctx: Ctx, expand: Expand) {
  const body: Record<string, unknown> = {};
  const missing: Record<string, string> = {};
  for (const [name, format] of Object.entries(REPRESENTATIONS)) {
    if (!expand.has(name)) {
      missing[name] = '';
      continue;
    }
    body[name] = {
      value: ctx.bodies.render(page, format, ctx.user.id),
      representation: name,
      _expandable: { content: `/rest/api/content/${page.id}`, embeddedContent: '', webresource: '', mediaToken: '' },
    };
  }
  if (Object.keys(body).length > 0) ctx.stats.countPageBody(page.id);
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

/** How many users (and groups) of a restriction an expansion lists: its page; the rest is paged for. */
export const RESTRICTION_EXPANSION_LIMIT = 200;

/** One operation's restriction, each list cut to the window asked for (an expansion gives the first page). */
export function restrictionV1(
  page: SimNode,
  operation: RestrictedOperation,
  ctx: Ctx,
  expand: Expand,
  { start, limit }: { start: number; limit: number } = { start: 0, limit: RESTRICTION_EXPANSION_LIMIT },
) {
  const r = page.restrictions[operation];
  const list = <T>(all: T[]) => {
    const results = all.slice(start, start + limit);
    return { results, start, limit, size: results.length };
  };
  const restrictions: Record<string, unknown> = {};
  const lazy: Record<string, string> = {};
  const path = `/rest/api/content/${page.id}/restriction/byOperation/${operation}`;
  if (expand.has('restrictions.user')) {
    restrictions.user = list(
      r.userIds
        .map((id) => ctx.site.user(id))
        .filter((u) => u !== undefined)
        .map((u) => userV1(u, ctx)),
    );
  } else lazy.user = `${path}/user`;
  if (expand.has('restrictions.group')) {
    restrictions.group = list(
      r.groupIds
        .map((id) => ctx.site.group(id))
        .filter((g) => g !== undefined)
        .map((g) => groupV1(g, ctx)),
    );
  } else lazy.group = `${path}/group`;
  if (Object.keys(lazy).length > 0) restrictions._expandable = lazy;
  return {
    operation,
    restrictions,
    _expandable: { content: `/rest/api/content/${page.id}` },
    _links: { self: `${base(ctx)}${path}` },
  };
}

export function contentV1(page: SimNode, ctx: Ctx, expand: Expand): Record<string, unknown> {
  const space = ctx.site.space(page.spaceId)!;
  const out: Record<string, unknown> = { id: page.id, type: page.type, status: page.status, title: page.title };
  const lazy: Record<string, string> = {};
  const part = (name: string, make: () => unknown, lazyValue = '') => {
    if (expand.has(name)) out[name] = make();
    else lazy[name] = lazyValue;
  };
  part('space', () => spaceV1(space, ctx, expand.under('space')), `/rest/api/space/${space.key}`);
  part('history', () => historyV1(page, ctx), `/rest/api/content/${page.id}/history`);
  part('version', () => versionV1(page, ctx));
  part('ancestors', () => ctx.site.ancestors(page.id).map((a) => contentV1(a, ctx, expand.under('ancestors'))));
  part('body', () => bodyV1(page, ctx, expand.under('body')));
  part(
    'restrictions',
    () => restrictionsV1(page, ctx, expand.under('restrictions')),
    `/rest/api/content/${page.id}/restriction/byOperation`,
  );
  part('container', () => spaceV1(space, ctx, expand.under('container')), `/rest/api/space/${space.key}`);
  part('metadata', () => metadataV1(ctx.site.labelsOf(page.id), expand.under('metadata')));
  for (const name of ['childTypes', 'operations', 'children', 'descendants']) lazy[name] = '';
  if (page.type !== 'blogpost') out.extensions = { position: page.position };
  out._expandable = lazy;
  out._links = {
    webui: pageWebui(ctx.mode, space.key, page),
    edit: `/pages/resumedraft.action?draftId=${page.id}`,
    tinyui: `/x/${Buffer.from(page.id).toString('base64url')}`,
    self: `${base(ctx)}/rest/api/content/${page.id}`,
  };
  return out;
}

export function historyV1(content: { id: string; authorId: string; createdAt: string }, ctx: Ctx) {
  const creator = ctx.site.user(content.authorId) ?? ctx.site.users[0];
  return {
    latest: true,
    createdBy: userV1(creator, ctx),
    createdDate: content.createdAt,
    _expandable: { lastUpdated: '', previousVersion: '', contributors: '', nextVersion: '' },
    _links: { self: `${base(ctx)}/rest/api/content/${content.id}/history` },
  };
}

/** `metadata` with `labels` filled in when asked (`expand=metadata.labels`), as one page of labels. */
export function metadataV1(labels: SimLabel[], expand: Expand) {
  if (!expand.has('labels')) return { _expandable: { currentuser: '', properties: '', frontend: '', labels: '' } };
  const results = labels.map((l) => ({ prefix: l.prefix, name: l.name, id: l.id, label: l.name }));
  return {
    labels: { results, start: 0, limit: 200, size: results.length },
    _expandable: { currentuser: '', properties: '', frontend: '' },
  };
}

function restrictionsV1(page: SimNode, ctx: Ctx, expand: Expand) {
  const out: Record<string, unknown> = {};
  for (const op of ['read', 'update'] as const) {
    if (expand.has(op)) out[op] = restrictionV1(page, op, ctx, expand.under(op));
  }
  return { ...out, _links: { self: `${base(ctx)}/rest/api/content/${page.id}/restriction/byOperation` } };
}

export function attachmentV1(att: SimAttachment, ctx: Ctx, expand: Expand) {
  const page = ctx.site.page(att.pageId)!;
  const space = ctx.site.space(page.spaceId)!;
  const fileSize = attachmentSize(att, ctx.options.seed);
  const out: Record<string, unknown> = {
    id: att.id,
    type: 'attachment',
    status: 'current',
    title: att.title,
    metadata: {
      mediaType: att.mediaType,
      comment: att.comment,
      _expandable: { currentuser: '', properties: '', frontend: '', labels: '' },
    },
    extensions:
      ctx.mode === 'cloud'
        ? {
            mediaType: att.mediaType,
            fileSize,
            comment: att.comment,
            mediaTypeDescription: att.mediaType,
            fileId: att.fileId,
            collectionName: `contentId-${page.id}`,
          }
        : { mediaType: att.mediaType, fileSize, comment: att.comment },
  };
  if (expand.has('version')) {
    out.version = { ...versionV1(page, ctx), number: att.version, when: att.createdAt, message: '' };
  }
  if (expand.has('container')) out.container = contentV1(page, ctx, expand.under('container'));
  out._expandable = unexpanded(expand, {
    container: `/rest/api/content/${page.id}`,
    operations: '',
    children: '',
    restrictions: '',
    history: '',
    ancestors: '',
    body: '',
    version: '',
    descendants: '',
    space: `/rest/api/space/${space.key}`,
  });
  out._links = {
    webui: `/pages/viewpageattachments.action?pageId=${page.id}&preview=${encodeURIComponent(`/${page.id}/${att.id}/${att.title}`)}`,
    download: attachmentDownload(ctx.mode, att),
    self: `${base(ctx)}/rest/api/content/${att.id}`,
  };
  return out;
}
