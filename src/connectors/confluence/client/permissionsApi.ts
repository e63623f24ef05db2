// The permission reads the main client does not offer: space grants on Data Center, Cloud space roles and their
// assignments, and members of groups.
// Requests go through the client's own authenticated, rate-limited, retrying same-origin GET (`download`),
// so they share the site's pool and limiter and their failures are the client's typed ConfluenceErrors.
import { z } from 'zod';
import type { Site } from '../site';
import type { ConfluenceClient } from './clientTypes';
import { ConfluenceError } from './errors';
import { listRoleAssignments, listSpaceRoles } from './spaceRoles';
import type { RoleAssignment, SpacePermissionRef, SpacePermissions, SpaceRole } from './types';
import { getJson } from './getJson';
import { joinUrl, siteEndpoints } from './url';

const SPACE_PERMISSIONS_LIMIT = 250;
const MEMBERS_LIMIT = 200;

export interface PermissionsApi {
  /**
   * Every grant of a space, and where it was read: Cloud REST v2, Data Center 9.1+ `space/{key}/permissions`, or on
   * older Data Center (that endpoint answers 404) the space's `expand=permissions` (space administrators only).
   */
  spacePermissions(space: { id: string; key: string }): Promise<SpacePermissions>;
  /** Cloud: the site's space roles with the permissions each carries. */
  spaceRoles(): Promise<SpaceRole[]>;
  /** Cloud: who holds which role in a space (none in a space not in role mode). */
  roleAssignments(spaceId: string): Promise<RoleAssignment[]>;
  /** Members of a group (Cloud group id, Data Center group name) as Cloud account ids or Data Center user keys. */
  groupMembers(groupId: string): Promise<string[]>;
}

const V1Member = z.object({ accountId: z.string().optional(), userKey: z.string().optional() });

const V1Members = z.object({
  results: z.array(V1Member),
  limit: z.number().int().optional(),
  _links: z.object({ next: z.string().optional() }).optional(),
});

const DcSpacePermission = z.object({
  operation: z.object({ operationKey: z.string(), targetType: z.string() }),
  subject: z.object({ type: z.string(), userKey: z.string().optional(), name: z.string().optional() }),
});

/** The legacy expansion (2021 v1 `SpacePermission`): an operation and the users and groups it is granted to. */
const LegacySpacePermission = z.object({
  operation: z.object({ operation: z.string(), targetType: z.string() }),
  subjects: z
    .object({
      user: z.object({ results: z.array(z.object({ userKey: z.string().optional() })) }).optional(),
      group: z.object({ results: z.array(z.object({ name: z.string() })) }).optional(),
    })
    .optional(),
});

const LegacySpace = z.object({ permissions: z.array(LegacySpacePermission).optional() });

export function createPermissionsApi(site: Site, client: ConfluenceClient): PermissionsApi {
  const { v1, v2 } = siteEndpoints(site);
  const cloudV2 = (): string => {
    if (!v2) throw new ConfluenceError('bad-request', 'space roles exist on Confluence Cloud only; check --cloud');
    return v2;
  };
  // Set once a space's list answered 404 while the space itself was readable: the site is older than 9.1, and the
  // other spaces go straight to the expansion (one request each, not two).
  const dc = { legacy: false };
  return {
    spacePermissions: async (space) =>
      client.cloud
        ? { grants: await cloudSpacePermissions(client, space), source: 'space-permissions-api' }
        : dcSpacePermissions(client, v1, space.key, dc),
    spaceRoles: async () => listSpaceRoles(client, cloudV2()),
    roleAssignments: async (spaceId) => listRoleAssignments(client, cloudV2(), spaceId),
    groupMembers: (groupId) => groupMembers(client, v1, groupId),
  };
}

async function cloudSpacePermissions(
  client: ConfluenceClient,
  space: { id: string; key: string },
): Promise<SpacePermissionRef[]> {
  const all: SpacePermissionRef[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listSpacePermissions(
      { ...space, name: space.key },
      { cursor, limit: SPACE_PERMISSIONS_LIMIT },
    );
    if (!page)
      throw new ConfluenceError('bad-request', 'the Cloud client returned no space permissions; check --cloud');
    all.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return all;
}

async function dcSpacePermissions(
  client: ConfluenceClient,
  v1: string,
  key: string,
  dc: { legacy: boolean },
): Promise<SpacePermissions> {
  if (!dc.legacy) {
    try {
      return { grants: await dcPermissionsList(client, v1, key), source: 'space-permissions-api' };
    } catch (err) {
      // 404: Data Center before 9.1 has no such endpoint (or the space is not visible, which the expansion tells
      // apart).
      if (!(err instanceof ConfluenceError && err.kind === 'not-found')) throw explainDcSpacePermissions(err, key);
    }
  }
  const grants = await dcExpandedPermissions(client, v1, key);
  dc.legacy = true;
  return { grants, source: 'space-expand-permissions' };
}

async function dcPermissionsList(client: ConfluenceClient, v1: string, key: string): Promise<SpacePermissionRef[]> {
  const grants = await getJson(
    client,
    joinUrl(v1, `/space/${encodeURIComponent(key)}/permissions`),
    z.array(DcSpacePermission),
  );
  return grants.flatMap((g): SpacePermissionRef[] => {
    const id = g.subject.type === 'user' ? g.subject.userKey : g.subject.type === 'group' ? g.subject.name : undefined;
    if (!id) return [];
    return [
      {
        principal: { type: g.subject.type as 'user' | 'group', id },
        operation: g.operation.operationKey,
        targetType: g.operation.targetType,
      },
    ];
  });
}

/**
 * Data Center before 9.1: `space/{key}?expand=permissions`. Anonymous and unlicensed access are not a user or group
 * list and are left out (narrower, never wider). No grant to read the space means the list was withheld (real
 * servers list it to space administrators), never "nobody may read": that is an error, for --on-permission-error.
 */
async function dcExpandedPermissions(client: ConfluenceClient, v1: string, key: string): Promise<SpacePermissionRef[]> {
  const space = await getJson(
    client,
    joinUrl(v1, `/space/${encodeURIComponent(key)}`, { expand: 'permissions' }),
    LegacySpace,
  ).catch((err: unknown) => {
    if (!(err instanceof ConfluenceError && err.kind === 'not-found')) throw err;
    throw new ConfluenceError(
      'not-found',
      `space ${key} is not visible to the ingest account (404); check the space key and the account's space permissions`,
      {
        status: 404,
      },
    );
  });
  const grants = (space.permissions ?? []).flatMap(({ operation, subjects }): SpacePermissionRef[] => {
    const op = { operation: operation.operation, targetType: operation.targetType };
    const users = (subjects?.user?.results ?? []).flatMap((u) =>
      u.userKey ? [{ principal: { type: 'user' as const, id: u.userKey }, ...op }] : [],
    );
    const groups = (subjects?.group?.results ?? []).map((g) => ({
      principal: { type: 'group' as const, id: g.name },
      ...op,
    }));
    return [...users, ...groups];
  });
  if (!grants.some((g) => g.operation === 'read' && g.targetType === 'space')) {
    throw new ConfluenceError(
      'forbidden',
      `space permissions of ${key} are not readable: this Data Center is older than 9.1 (space/${key}/permissions answers 404) and space/${key}?expand=permissions lists no grant to read the space, as it answers callers who are not space administrators; make the ingest account an administrator of space ${key}, or set --on-permission-error skip|omit`,
    );
  }
  return grants;
}

/** Data Center's answers here are misleading on their own: a 500 means "not a space administrator". */
function explainDcSpacePermissions(err: unknown, key: string): unknown {
  if (!(err instanceof ConfluenceError)) return err;
  if (err.kind === 'server' && err.status === 500) {
    return new ConfluenceError(
      'forbidden',
      `Data Center refused the space permissions of ${key} (500, as it answers callers who are not space administrators, CONFSERVER-99908); make the ingest account an administrator of space ${key}, or set --on-permission-error skip|omit`,
      { status: 500 },
    );
  }
  return err;
}

async function groupMembers(client: ConfluenceClient, v1: string, groupId: string): Promise<string[]> {
  const path = client.cloud
    ? `/group/${encodeURIComponent(groupId)}/membersByGroupId`
    : `/group/${encodeURIComponent(groupId)}/member`;
  const members: string[] = [];
  for (let start = 0; ; ) {
    const page = await getJson(client, joinUrl(v1, path, { start, limit: MEMBERS_LIMIT }), V1Members);
    for (const m of page.results) {
      const id = client.cloud ? m.accountId : m.userKey;
      if (id) members.push(id);
    }
    // Data Center's `next` links are unreliable (CONFSERVER-95272): advance by what came back, and stop on a
    // short page (shorter than the limit the server says it applied) or when there is no next link at all.
    const short = page.results.length < (page.limit ?? MEMBERS_LIMIT);
    if (page.results.length === 0 || short || !page._links?.next) return members;
    start += page.results.length;
  }
}
