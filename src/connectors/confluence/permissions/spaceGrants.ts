// Space permissions as the three grants a page's permissions start from. Role principals (anonymous access and
// similar) are not a user or group list; leaving them out can only narrow what is emitted, never widen it.
import type { ContentType, SpacePermissionRef } from '../client/types';
import { grantOf, type Grant } from './grants';

export interface SpaceGrants {
  /** View the space (and so its unrestricted content). */
  read: Grant;
  /** Add/edit content of this type, or administer the space. */
  edit: Grant;
  /** Delete content of this type. */
  delete: Grant;
}

type Test = (p: SpacePermissionRef) => boolean;

export function spaceGrants(permissions: readonly SpacePermissionRef[], type: ContentType): SpaceGrants {
  const on =
    (target: string, ...operations: string[]): Test =>
    (p) =>
      p.targetType === target && operations.includes(p.operation);
  const read = on('space', 'read');
  const edit = [on(type, 'create', 'update'), on('space', 'administer')];
  const remove = on(type, 'delete');
  return {
    read: collect(permissions, [read]),
    edit: collect(permissions, edit),
    delete: collect(permissions, [remove]),
  };
}

function collect(permissions: readonly SpacePermissionRef[], tests: Test[]): Grant {
  const matching = permissions.filter((p) => tests.some((t) => t(p)));
  return grantOf(
    matching.filter((p) => p.principal.type === 'user').map((p) => p.principal.id),
    matching.filter((p) => p.principal.type === 'group').map((p) => p.principal.id),
  );
}
