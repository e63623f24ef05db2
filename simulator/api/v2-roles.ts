// Cloud role-based space access (v2): the tenant's role mode, the space roles and each space's role assignments,
// with the cursor pagination of every v2 list.
import { json } from '../http/respond';
import { route, type Route } from '../http/router';
import { ApiError, type RequestContext, type SimResponse } from '../http/types';
import type { RolePrincipalType, SpaceRole, SpaceRoleAssignment } from '../model';
import { positioned, visibleSpace } from './v2';

const PRINCIPAL_TYPES: RolePrincipalType[] = ['USER', 'GROUP', 'ACCESS_CLASS'];

export const v2RoleRoutes: Route[] = [
  route('GET', '/api/v2/space-role-mode', 'v2', (ctx) => json(200, { mode: ctx.site.roleMode }), 'permission'),
  route('GET', '/api/v2/space-roles', 'v2', listRoles, 'permission'),
  route('GET', '/api/v2/space-roles/{id}', 'v2', getRole, 'permission'),
  route('GET', '/api/v2/spaces/{id}/role-assignments', 'v2', listAssignments, 'permission'),
];

/** principal-id and principal-type come together (the spec: "If specified, a principal-type must also be specified"). */
function principalFilter(ctx: RequestContext): SpaceRoleAssignment['principal'] | undefined {
  const principalId = ctx.query.get('principal-id');
  const principalType = ctx.query.get('principal-type');
  if (principalId === null && principalType === null) return undefined;
  if (principalId === null || principalType === null)
    throw new ApiError(400, 'principal-id and principal-type must be given together');
  if (!PRINCIPAL_TYPES.includes(principalType as RolePrincipalType))
    throw new ApiError(400, `principal-type must be one of ${PRINCIPAL_TYPES.join(', ')}, got "${principalType}"`);
  return { principalType: principalType as RolePrincipalType, principalId };
}

function samePrincipal(a: SpaceRoleAssignment['principal'], b: SpaceRoleAssignment['principal']): boolean {
  return a.principalType === b.principalType && a.principalId === b.principalId;
}

function roleV2(role: SpaceRole) {
  return { ...role, spacePermissions: [...role.spacePermissions] };
}

/**
 * Roles of the tenant; with space-id, those available in that space (all of them: the space must be visible); with a
 * principal, the roles it holds (in that space, or in any space in role mode).
 */
function listRoles(ctx: RequestContext): SimResponse {
  const spaceId = ctx.query.get('space-id');
  const spaces = spaceId === null ? ctx.site.spaces : [visibleSpace(ctx, spaceId)];
  const roleType = ctx.query.get('role-type');
  const principal = principalFilter(ctx);
  const held = (role: SpaceRole) =>
    spaces.some((s) =>
      (s.roleAssignments ?? []).some((a) => a.roleId === role.id && samePrincipal(a.principal, principal!)),
    );
  const roles = ctx.site.roles.filter((r) => (roleType === null || r.type === roleType) && (!principal || held(r)));
  return positioned(ctx, roles.map(roleV2));
}

function getRole(ctx: RequestContext): SimResponse {
  const role = ctx.site.roles.find((r) => r.id === ctx.params.id);
  if (!role) throw new ApiError(404, `No space role with id ${ctx.params.id}`);
  return json(200, { ...roleV2(role), _links: { base: `${ctx.origin}${ctx.linkBasePath}` } });
}

/** A space not in role mode has no assignments: its access is in `spaces/{id}/permissions`. */
function listAssignments(ctx: RequestContext): SimResponse {
  const space = visibleSpace(ctx, ctx.params.id);
  const roleId = ctx.query.get('role-id');
  const roleType = ctx.query.get('role-type');
  const principal = principalFilter(ctx);
  const assignments = (space.roleAssignments ?? []).filter(
    (a) =>
      (roleId === null || a.roleId === roleId) &&
      (roleType === null || ctx.site.role(a.roleId).type === roleType) &&
      (!principal || samePrincipal(a.principal, principal)),
  );
  return positioned(
    ctx,
    assignments.map((a) => ({ principal: { ...a.principal }, roleId: a.roleId })),
  );
}
