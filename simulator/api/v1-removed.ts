// Cloud REST v1 reads Atlassian removed (CHANGE-864, RFC-19): they answer 410 Gone in v1's envelope. The list is the
// GET paths of the 2021 v1 spec that the current v1 spec no longer has, among those the simulator serves.
import type { Route } from '../http/router';
import { ApiError } from '../http/types';

const REMOVED = new Set([
  '/rest/api/space',
  '/rest/api/space/{key}',
  '/rest/api/content',
  '/rest/api/content/{id}',
  '/rest/api/content/{id}/child/page',
  '/rest/api/content/{id}/child/attachment',
  '/rest/api/content/{id}/child/comment',
  '/rest/api/content/{id}/label',
  '/rest/api/group/{groupName}/member',
]);

/** Words of the real answer (`GoneException`), as clients report it. */
const GONE =
  'com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed.';

export function withRemovedV1Reads(routes: Route[]): Route[] {
  return routes.map((r) =>
    r.method === 'GET' && REMOVED.has(r.template)
      ? {
          ...r,
          handler: () => {
            throw new ApiError(410, GONE);
          },
        }
      : r,
  );
}
