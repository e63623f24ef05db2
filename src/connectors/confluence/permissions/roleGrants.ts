// A Cloud space in role mode grants nothing through its legacy grants: a space permission is held by whoever is
// assigned, in that space, a role that carries it. Turned here into the user and group grants a legacy space lists, so
// spaceGrants.ts maps both alike and the fingerprint sees a role change as a change of the space's grants.
import type { RoleAssignment, SpacePermissionRef, SpacePermissions, SpaceRole } from '../client/types';

const GRANTEE: Record<string, 'user' | 'group'> = { USER: 'user', GROUP: 'group' };

export function roleSpacePermissions(
  roles: readonly SpaceRole[],
  assignments: readonly RoleAssignment[],
): SpacePermissions {
  const byId = new Map(roles.map((r) => [r.id, r]));
  const narrowed = new Set<string>();
  const grants = assignments.flatMap(({ principal, roleId }): SpacePermissionRef[] => {
    const role = byId.get(roleId);
    const type = GRANTEE[principal.type];
    // Unprovable either way: the role's permissions are unknown, or its holders are no list of users and groups (an
    // access class such as all licensed users). Granting them nothing is the narrower answer.
    if (!role) narrowed.add(`role ${roleId} is not among the site's space roles: its holders get nothing through it`);
    else if (!type)
      narrowed.add(
        `role ${role.name ?? role.id} is held by ${principal.type} ${principal.id}, not a user or group: left out`,
      );
    if (!role || !type) return [];
    return role.spacePermissions.flatMap((permission) => {
      const [operation, targetType, ...rest] = permission.split('/');
      return operation && targetType && rest.length === 0
        ? [{ principal: { type, id: principal.id }, operation, targetType }]
        : [];
    });
  });
  return { grants, source: 'space-role-assignments', ...(narrowed.size > 0 ? { narrowed: [...narrowed].sort() } : {}) };
}
