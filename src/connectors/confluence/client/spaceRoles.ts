// Cloud role-based space access (REST v2, "available on tenants with Role-Based Access Control"): the site's space
// roles and one space's role assignments. Read only for spaces whose permissions name roles, so a tenant without
// roles never asks.
import type { z } from 'zod';
import type { ConfluenceClient } from './clientTypes';
import { getJson } from './getJson';
import { nextCursor } from './pagination';
import { checkContentId } from './refs';
import { V2RoleAssignment, V2SpaceRole, v2List } from './schemas';
import type { RoleAssignment, SpaceRole } from './types';
import { joinUrl } from './url';

const LIMIT = 250;

export async function listSpaceRoles(client: ConfluenceClient, v2: string): Promise<SpaceRole[]> {
  const roles = await everyItem(client, (cursor) => joinUrl(v2, '/space-roles', { limit: LIMIT, cursor }), V2SpaceRole);
  return roles.map((r) => ({ id: r.id, ...(r.name ? { name: r.name } : {}), spacePermissions: r.spacePermissions }));
}

export async function listRoleAssignments(
  client: ConfluenceClient,
  v2: string,
  spaceId: string,
): Promise<RoleAssignment[]> {
  const path = `/spaces/${checkContentId(spaceId, 'space id')}/role-assignments`;
  const found = await everyItem(client, (cursor) => joinUrl(v2, path, { limit: LIMIT, cursor }), V2RoleAssignment);
  return found.map((a) => ({
    principal: { type: a.principal.principalType, id: a.principal.principalId },
    roleId: a.roleId,
  }));
}

/** A whole v2 list: a grant computed from part of it would leave holders out, or roles without their permissions. */
async function everyItem<T extends z.ZodType>(
  client: ConfluenceClient,
  url: (cursor?: string) => URL,
  item: T,
): Promise<z.output<T>[]> {
  const all: z.output<T>[] = [];
  let cursor: string | undefined;
  do {
    const page = url(cursor);
    const data = await getJson(client, page, v2List(item));
    all.push(...data.results);
    cursor = nextCursor(data._links?.next, undefined, `GET ${page.pathname}`);
  } while (cursor);
  return all;
}
