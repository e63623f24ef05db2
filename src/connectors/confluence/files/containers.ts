// A file carries the permissions of the page it is attached to, whichever page links it. The pages other than the
// linking one are looked up (one search for all of a page's) and their permissions resolved before anything is
// fetched: a file whose page is not visible to the ingest account, or whose permissions cannot be read, is not fetched.
import type { PermissionsData } from '../../../core/elements';
import type { ConfluenceClient } from '../client/client';
import type { PageRef } from '../client/types';
import type { Permissions } from '../config';
import { pagePermissions } from '../pagePermissions';
import type { Site } from '../site';

/** Ids per search: Confluence caps a CQL search's page at 50 on Data Center with expansions, 25 on some Cloud ones. */
const IDS_PER_SEARCH = 25;

export type ContainerAccess =
  | { ref: PageRef; permissionsData?: PermissionsData; capped: boolean; fingerprint?: string }
  | { reason: string };

export async function containerAccess(
  client: ConfluenceClient,
  { site, permissions }: { site: Site; permissions: Permissions },
  ids: string[],
): Promise<Map<string, ContainerAccess>> {
  const found = new Map<string, PageRef>();
  for (let i = 0; i < ids.length; i += IDS_PER_SEARCH) {
    const some = ids.slice(i, i + IDS_PER_SEARCH);
    const listing = await client.search(`id in (${some.map(Number).join(',')})`, { limit: some.length });
    for (const ref of listing.items) if (some.includes(ref.id)) found.set(ref.id, ref);
  }
  const access = await Promise.all(
    ids.map(async (id): Promise<[string, ContainerAccess]> => {
      const ref = found.get(id);
      if (!ref) return [id, { reason: `its page ${id} is not visible to the ingest account (or is gone)` }];
      const got = await pagePermissions(client, { site, ref, permissions });
      if (got.unavailable) return [id, { reason: `the permissions of its page ${id} are unreadable` }];
      return [
        id,
        {
          ref,
          capped: got.capped,
          ...(got.permissionsData ? { permissionsData: got.permissionsData } : {}),
          ...(got.fingerprint ? { fingerprint: got.fingerprint } : {}),
        },
      ];
    }),
  );
  return new Map(access);
}
