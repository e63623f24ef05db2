// New permissions for what a destination already holds of a document: who may read a page changes without a new
// version, and its elements are then rewritten in place rather than downloaded, partitioned and embedded again.
import type { Element, PermissionsData } from '../core/elements';

export interface PermissionsPatch {
  /** Absent: the elements carry no permissions_data (written without, as --on-permission-error omit does). */
  permissionsData?: PermissionsData;
  /** The lists were cut at --max-num-metadata-permissions (record_locator.permissions_capped). */
  capped: boolean;
}

/** Nobody may read: what a page whose readers cannot be proven, or that the account can no longer see, carries. */
export const NO_ONE: PermissionsPatch = {
  permissionsData: [
    { read: { users: [], groups: [] } },
    { update: { users: [], groups: [] } },
    { delete: { users: [], groups: [] } },
  ],
  capped: false,
};

export function patchElement(element: Element, patch: PermissionsPatch): Element {
  const { permissions_data: _old, ...dataSource } = element.metadata.data_source ?? {};
  const { permissions_capped: _capped, ...locator } = dataSource.record_locator ?? {};
  return {
    ...element,
    metadata: {
      ...element.metadata,
      data_source: {
        ...dataSource,
        ...(dataSource.record_locator
          ? { record_locator: { ...locator, ...(patch.capped ? { permissions_capped: true } : {}) } }
          : {}),
        ...(patch.permissionsData ? { permissions_data: patch.permissionsData } : {}),
      },
    },
  };
}
