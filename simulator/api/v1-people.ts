// REST v1 users, groups, group members and page restrictions: the inputs of permission metadata.
import { Expand } from '../http/expand';
import { offsetPage } from '../http/offset';
import { json } from '../http/respond';
import { route, type Route } from '../http/router';
import { ApiError, type RequestContext, type SimResponse } from '../http/types';
import type { SimGroup } from '../model';
import { hasSpacePermissionsEndpoint, type SimulatorOptions } from '../options';
import { groupV1, RESTRICTION_EXPANSION_LIMIT, restrictionV1, userV1 } from '../serialize/v1';
import { v1Base, v1List, visibleContent, visibleSpaceByKey } from './v1-common';

const PERMISSION = 'permission';

export function v1PeopleRoutes({ mode, dcVersion }: Pick<SimulatorOptions, 'mode' | 'dcVersion'>): Route[] {
  // Before Data Center 9.1 there is no such endpoint: the router answers 404, as Confluence 8.x does.
  const dcPermissionsEndpoint = mode === 'dc' && hasSpacePermissionsEndpoint(dcVersion);
  return [
    route('GET', '/rest/api/user/current', 'v1', (ctx) => json(200, userV1(ctx.user, ctx))),
    route('GET', '/rest/api/user', 'v1', getUser),
    route('GET', '/rest/api/group', 'v1', (ctx) =>
      v1List(
        ctx,
        () => ctx.site.groups,
        (g) => groupV1(g, ctx),
      ),
    ),
    mode === 'cloud'
      ? route(
          'GET',
          '/rest/api/group/{groupId}/membersByGroupId',
          'v1',
          (ctx) => members(ctx, ctx.site.group(ctx.params.groupId)),
          PERMISSION,
        )
      : route(
          'GET',
          '/rest/api/group/{groupName}/member',
          'v1',
          (ctx) =>
            members(
              ctx,
              ctx.site.groups.find((g) => g.name === ctx.params.groupName),
            ),
          PERMISSION,
        ),
    ...(dcPermissionsEndpoint
      ? [route('GET', '/rest/api/space/{key}/permissions', 'v1', dcSpacePermissions, PERMISSION)]
      : []),
    route('GET', '/rest/api/content/{id}/restriction/byOperation', 'v1', restrictionsByOperation, PERMISSION),
    route(
      'GET',
      '/rest/api/content/{id}/restriction/byOperation/{operation}',
      'v1',
      restrictionForOperation,
      PERMISSION,
    ),
  ];
}

function getUser(ctx: RequestContext): SimResponse {
  const accountId = ctx.query.get('accountId');
  const key = ctx.query.get('key');
  const username = ctx.query.get('username');
  const user = ctx.site.users.find(
    (u) =>
      (ctx.mode === 'cloud' && u.id === accountId) ||
      (ctx.mode === 'dc' && (u.userKey === key || u.username === username)),
  );
  if (!user) throw new ApiError(404, 'No user found with the given identifier');
  return json(200, userV1(user, ctx));
}

function members(ctx: RequestContext, group: SimGroup | undefined): SimResponse {
  if (!group)
    throw new ApiError(
      404,
      `No group found with ${ctx.mode === 'cloud' ? 'id' : 'name'} ${ctx.params.groupId ?? ctx.params.groupName}`,
    );
  const select = () => group.memberIds.map((id) => ctx.site.user(id)).filter((u) => u !== undefined);
  return v1List(ctx, select, (u) => userV1(u, ctx));
}

function restrictionsByOperation(ctx: RequestContext): SimResponse {
  const page = visibleContent(ctx, ctx.params.id);
  const expand = new Expand(ctx.query.get('expand'));
  return json(200, {
    read: restrictionV1(page, 'read', ctx, expand),
    update: restrictionV1(page, 'update', ctx, expand),
    _links: { base: v1Base(ctx), context: ctx.basePath },
  });
}

function restrictionForOperation(ctx: RequestContext): SimResponse {
  const page = visibleContent(ctx, ctx.params.id);
  const operation = ctx.params.operation;
  if (operation !== 'read' && operation !== 'update')
    throw new ApiError(400, `operation must be read or update, got "${operation}"`);
  const expand = new Expand(ctx.query.get('expand') ?? 'restrictions.user,restrictions.group');
  // Paged by start and limit (at most the expansion's page), as the lists an expansion cuts are read in full.
  const { start, limit } = offsetPage([], ctx.query, { maxLimit: RESTRICTION_EXPANSION_LIMIT, unreliableNext: false });
  return json(200, restrictionV1(page, operation, ctx, expand, { start, limit }));
}

/**
 * Data Center 9.1+: every grant of a space as a plain array, users by userKey and groups by name. Only space
 * administrators may ask; others get the 500 real servers answer them (CONFSERVER-99908).
 */
function dcSpacePermissions(ctx: RequestContext): SimResponse {
  const space = visibleSpaceByKey(ctx, ctx.params.key);
  if (!ctx.site.hasSpacePermission(ctx.user.id, space.id, 'administer')) {
    throw new ApiError(500, 'java.lang.NullPointerException: Cannot invoke "SpacePermissionService.getPermissions()"');
  }
  const grants = space.permissions.flatMap((p) => {
    const subject =
      p.principal.type === 'user'
        ? { type: 'user', userKey: ctx.site.user(p.principal.id)?.userKey }
        : { type: 'group', name: ctx.site.group(p.principal.id)?.name };
    if (!subject.userKey && !subject.name) return [];
    return [
      {
        operation: { targetType: p.operation.targetType, operationKey: p.operation.key },
        subject,
        spaceKey: space.key,
        spaceId: Number(space.id),
      },
    ];
  });
  return json(200, grants);
}
