// The site's answers the include walk needs: storage formats from CQL searches (an included page's comes with its
// lookup by space and title, so a level of includes costs one search), the pages a report's rows name by id (one
// search per 20), permissions from the worker's resolver.
import type { ConfluenceClient } from '../client/client';
import { cqlString } from '../client/cql';
import { ConfluenceError } from '../client/errors';
import type { Permissions } from '../config';
import { intersectPermissions, pagePermissions } from '../pagePermissions';
import type { PermissionsDependency } from '../../../core/permissionsVersion';
import { dependencyPage } from '../permissionDrift';
import type { PageRef } from '../client/types';
import type { Site } from '../site';
import { type IncludeSources, type IncludeTarget, type IncludedPage, targetKey } from './included';

/** Title lookups per search: keeps the CQL short and the answer within one page of results. */
const TARGETS_PER_SEARCH = 20;

/**
 * The sources, and the pages whose permissions the walk read: the page's outputs then rest on theirs too
 * (permissionDrift.ts), so each is kept with its fingerprint.
 */
export function confluenceIncludeSources(
  client: ConfluenceClient,
  settings: { site: Site; permissions: Permissions },
): IncludeSources & { dependencies: PermissionsDependency[] } {
  const dependencies: PermissionsDependency[] = [];
  return {
    dependencies,
    storageOf: async (page) =>
      unlessRefused(async () => {
        const [found] = await client.storageBodies(`id = ${Number(page.id)}`, 1);
        return found?.ref.id === page.id ? found.storage : undefined;
      }),
    find: async (targets) => {
      const found = new Map<string, IncludedPage>();
      for (let i = 0; i < targets.length; i += TARGETS_PER_SEARCH) {
        const some = targets.slice(i, i + TARGETS_PER_SEARCH);
        const cql = `type = page and (${some.map(titleClause).join(' or ')})`;
        const pages = (await unlessRefused(() => client.storageBodies(cql, some.length * 2))) ?? [];
        for (const t of some) {
          // Titles are unique in a space; anything but one exact match is not the page the macro names.
          const matches = pages.filter((p) => p.ref.spaceKey === t.spaceKey && p.ref.title === t.title);
          if (matches.length === 1) found.set(targetKey(t), matches[0]!);
        }
      }
      return found;
    },
    pagesById: async (ids) => {
      const found = new Map<string, PageRef>();
      for (let i = 0; i < ids.length; i += TARGETS_PER_SEARCH) {
        const some = ids.slice(i, i + TARGETS_PER_SEARCH).map(Number);
        const pages = (await unlessRefused(() => client.storageBodies(`id in (${some.join(',')})`, some.length))) ?? [];
        for (const p of pages) found.set(p.ref.id, p.ref);
      }
      return found;
    },
    permissionsOf: async (ref) => {
      const access = await pagePermissions(client, { ...settings, ref });
      if (access.fingerprint) dependencies.push({ page: dependencyPage(ref), fingerprint: access.fingerprint });
      return access.permissionsData ? { permissionsData: access.permissionsData, capped: access.capped } : undefined;
    },
    intersect: (a, b) => intersectPermissions(client, settings, a, b),
  };
}

function titleClause({ spaceKey, title }: IncludeTarget): string {
  return `(space = ${cqlString(spaceKey)} and title = ${cqlString(title)})`;
}

const REFUSALS: ReadonlySet<string> = new Set(['forbidden', 'not-found', 'bad-request']);

/** A refusal (no such page, no right to it, a query the site rejects) finds nothing; anything else is thrown. */
async function unlessRefused<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ConfluenceError && REFUSALS.has(err.kind)) return undefined;
    throw err;
  }
}
