// Cloud space roles (option roleModeSpaces): the first n spaces are converted to role-based access. Everyone gets the
// Viewer role through the all-users group, except in every other converted space, where one custom group is Viewer
// and its owner Admin; the ingest account is Admin everywhere. A generator of its own, so sites without the option
// are generated exactly as before.
import type { SimGroup, SimSpace, SimUser, SpaceRoleAssignment } from './model';
import { Rng } from './rng';
import { DEFAULT_ROLES } from './roles';

const roleId = (name: string) => DEFAULT_ROLES.find((r) => r.name === name)!.id;

export function generateRoleMode(
  seed: number,
  count: number,
  spaces: SimSpace[],
  users: SimUser[],
  groups: SimGroup[],
) {
  const rng = Rng.derive(seed, 'roles');
  const everyone = groups.find((g) => g.name === 'confluence-users')!;
  const custom = groups.filter((g) => !['confluence-users', 'confluence-administrators'].includes(g.name));
  spaces.slice(0, count).forEach((space, i) => {
    const user = (id: string, role: string): SpaceRoleAssignment => ({
      principal: { principalType: 'USER', principalId: id },
      roleId: roleId(role),
    });
    const group = (id: string, role: string): SpaceRoleAssignment => ({
      principal: { principalType: 'GROUP', principalId: id },
      roleId: roleId(role),
    });
    const readers = i % 2 === 0 ? everyone : rng.pick(custom);
    space.roleAssignments = [user(users[0].id, 'Admin'), user(space.authorId, 'Admin'), group(readers.id, 'Viewer')];
    if (i % 2 === 1) space.roleAssignments.push(user(rng.pick(users).id, 'Collaborator'));
  });
}
