// Grants -> the permissions_data of the element schema, sorted (stable output) and capped per operation.
import type { PermissionSet, PermissionsData } from '../../../core/elements';
import type { Grant } from './grants';

export interface ResolvedPermissions {
  permissionsData: PermissionsData;
  /** Some principals were left out to respect the cap (the lists then grant less than Confluence does, never more). */
  capped: boolean;
}

export interface OperationGrants {
  read: Grant;
  update: Grant;
  delete: Grant;
}

/**
 * At most `max` principals per operation, groups first (one group stands for many users). Cutting a list can
 * only take readers away, which is why a cap never leaks.
 */
export function toPermissionsData(grants: OperationGrants, max: number): ResolvedPermissions {
  if (!Number.isInteger(max) || max < 1)
    throw new Error(`maxNumMetadataPermissions must be a positive integer, got ${max}`);
  let capped = false;
  const set = (grant: Grant): PermissionSet => {
    const groups = [...grant.groups].sort();
    const users = [...grant.users].sort();
    if (groups.length + users.length > max) capped = true;
    const keptGroups = groups.slice(0, max);
    return { users: users.slice(0, max - keptGroups.length), groups: keptGroups };
  };
  const permissionsData: PermissionsData = [
    { read: set(grants.read) },
    { update: set(grants.update) },
    { delete: set(grants.delete) },
  ];
  return { permissionsData, capped };
}
