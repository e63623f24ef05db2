// Public surface of permission metadata: who may read, update and delete a page, exactly.
export {
  PermissionResolver,
  clientPermissionSource,
  type PagePermissions,
  type PageToResolve,
  type PermissionSource,
  type ResolverOptions,
} from './resolver';
export { toPermissionsData, type ResolvedPermissions } from './permissionsData';
export { intersectGrants, grantOf, type Grant, type GroupMembers } from './grants';
export { driftReasons, permissionsFingerprint, type DriftReason } from './fingerprint';
