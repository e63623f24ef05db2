// Cloud role-based space access: the four default roles and who holds a space permission in a space in role mode.
// A role carries space permission ids "<operation>/<targetType>" (the spec's sample value is "read/space").
import type { SimSpace, SpaceRole, SpaceRoleAssignment } from './model';

/** Space permission id that lets a principal see a space's content (Atlassian's "View content"). */
export const VIEW_SPACE = 'read/space';

const VIEWER = [VIEW_SPACE, 'create/comment'];
const COLLABORATOR = [...VIEWER, 'create/page', 'create/blogpost', 'create/attachment', 'update/page', 'create/folder'];
const MANAGER = [...COLLABORATOR, 'delete/page', 'delete/attachment', 'restrict_content/space', 'archive/page'];
const ADMIN = [...MANAGER, 'export/space', 'administer/space'];

/**
 * The default roles (support.atlassian.com "What are Confluence's roles?": Admin, Manager, Collaborator, Viewer). Their
 * exact permission lists are not published in the spec; these follow the role descriptions there.
 */
export const DEFAULT_ROLES: SpaceRole[] = [
  role('b1d3d3e0-5f6e-4c2a-9e27-0a1f3c5d7e01', 'Admin', 'Manages everything in the space.', ADMIN),
  role('b1d3d3e0-5f6e-4c2a-9e27-0a1f3c5d7e02', 'Manager', 'Manages people and content but not settings.', MANAGER),
  role('b1d3d3e0-5f6e-4c2a-9e27-0a1f3c5d7e03', 'Collaborator', 'Adds and edits content in the space.', COLLABORATOR),
  role('b1d3d3e0-5f6e-4c2a-9e27-0a1f3c5d7e04', 'Viewer', 'Views and comments on content in the space.', VIEWER),
];

function role(id: string, name: string, description: string, spacePermissions: string[]): SpaceRole {
  return { id, type: 'SYSTEM', name, description, spacePermissions };
}

/** Access classes every simulated user belongs to (all of them are licensed, none anonymous). */
const EVERY_USER = ['all-licensed-users', 'authenticated-users'];

/** Whether an assignment names this user, directly, through a group, or through a class of users. */
export function assignedTo(assignment: SpaceRoleAssignment, userId: string, groupIds: Set<string>): boolean {
  const { principalType, principalId } = assignment.principal;
  if (principalType === 'USER') return principalId === userId;
  if (principalType === 'GROUP') return groupIds.has(principalId);
  return EVERY_USER.includes(principalId);
}

/** A user holds a space permission in a role-mode space when one of the roles assigned to them carries it. */
export function roleGrants(
  roles: SpaceRole[],
  assignments: SpaceRoleAssignment[],
  userId: string,
  groupIds: Set<string>,
  permissionId: string,
): boolean {
  return assignments.some(
    (a) =>
      assignedTo(a, userId, groupIds) &&
      (roles.find((r) => r.id === a.roleId)?.spacePermissions ?? []).includes(permissionId),
  );
}

/**
 * What `spaces/{id}/permissions` answers for a space in role mode. The spec lets a permission's principal be a role but
 * does not say who holds it there; so each permission of each role assigned in the space is granted to the role. A
 * client that reads only user and group principals here grants nobody, and must read the role assignments to grant
 * more. Ids are positions, stable while the assignments are.
 */
export function rolePermissionGrants(roles: SpaceRole[], space: SimSpace) {
  const assigned = roles.filter((r) => (space.roleAssignments ?? []).some((a) => a.roleId === r.id));
  return assigned.flatMap((role, r) =>
    role.spacePermissions.map((permission, p) => {
      const [key, targetType] = permission.split('/');
      return { id: String(r * 1000 + p + 1), principal: { type: 'role', id: role.id }, operation: { key, targetType } };
    }),
  );
}
