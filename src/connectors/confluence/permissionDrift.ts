// Has who may read a recorded page changed since its outputs were written? A restriction, a move, a space grant or a
// group membership changes that without a new page version, so every run asks, for every unchanged page: the
// resolver's batched reads make it a few requests per hundred pages. A page whose outputs also rest on other pages'
// permissions (text it includes, files it links) carries their fingerprints too.
import {
  decodePermissionsVersion,
  encodePermissionsVersion,
  type PermissionsDependency,
  REVOKED,
} from '../../core/permissionsVersion';
import type { ConfluenceClient } from './client/client';
import type { Permissions } from './config';
import { type PagePermissionsResult, pagePermissions } from './pagePermissions';
import { type DriftReason, driftReasons, type PageToResolve } from './permissions';
import type { AloneReads } from './readsAlone';
import type { Site } from './site';

/** What identifies a page to the resolver, as a dependency records it. */
export function dependencyPage({ id, spaceId, spaceKey, contentType }: PageToResolve): PermissionsDependency['page'] {
  return { id, spaceId, spaceKey, ...(contentType ? { contentType } : {}) };
}

function pageOf(page: PermissionsDependency['page']): PageToResolve {
  const { id, spaceId = '', spaceKey = '', contentType } = page;
  return { id, spaceId, spaceKey, ...(contentType === 'blogpost' ? { contentType } : {}) };
}

/** A dependency whose permissions cannot be read now: never equal to a fingerprint, so the page is ingested again. */
const UNRESOLVABLE = 'unresolvable';

export interface DriftCheck {
  page: PageToResolve;
  /** What the checkpoint holds for the page (encodePermissionsVersion). */
  recorded?: string;
}

export type DriftVerdict =
  | { id: string; state: 'same' }
  /**
   * `rewrite`: the page's own permissions are known to be all its outputs carry, so they can be rewritten in place;
   * otherwise (other pages' permissions in them, or what they are made of unknown) the page must be ingested again.
   */
  | {
      id: string;
      state: 'changed';
      reasons: DriftReason[];
      version: string;
      rewrite: boolean;
      permissions: PagePermissionsResult;
    }
  /** The permissions could not be read: nobody can be proven to read the page. */
  | { id: string; state: 'unproven'; reason: string };

export interface DriftInput {
  site: Site;
  /** Carries the run asking (`run`): its permission reads are its own, never an earlier run's cached ones. */
  permissions: Permissions;
  pages: DriftCheck[];
  /** Counts the permission reads that went outside their batch. */
  log?: AloneReads;
}

export async function checkPermissionDrift(client: ConfluenceClient, input: DriftInput): Promise<DriftVerdict[]> {
  return Promise.all(input.pages.map((check) => verdictOf(client, input, check)));
}

async function verdictOf(client: ConfluenceClient, input: DriftInput, check: DriftCheck): Promise<DriftVerdict> {
  const { page, recorded } = check;
  const before = decodePermissionsVersion(recorded);
  const resolve = (ref: PageToResolve) =>
    pagePermissions(client, { site: input.site, permissions: input.permissions, ref: asRef(ref) }, input.log);
  let own: PagePermissionsResult;
  try {
    own = await resolve(page);
  } catch (err) {
    return { id: page.id, state: 'unproven', reason: err instanceof Error ? err.message : String(err) };
  }
  if (own.unavailable) return { id: page.id, state: 'unproven', reason: own.unavailable.reason };
  // A page whose text or files another page gave that is now unreadable must be ingested again, without them.
  const dependencies = await Promise.all(
    (before?.dependencies ?? []).map(async (d) => ({
      page: d.page,
      fingerprint: await resolve(pageOf(d.page)).then(
        (p) => p.fingerprint ?? UNRESOLVABLE,
        () => UNRESOLVABLE,
      ),
    })),
  );
  const version = encodePermissionsVersion({ own: own.fingerprint ?? '', dependencies });
  if (version === recorded) return { id: page.id, state: 'same' };
  const ownReasons = driftReasons(before?.own, own.fingerprint ?? '');
  const reasons: DriftReason[] = ownReasons.length > 0 ? ownReasons : ['included-or-linked'];
  // Outputs recorded before fingerprints were kept, or revoked, may hold text of other pages under the page's own
  // grants (as before included text was found): rewriting them with those grants could leak it.
  const rewrite = before !== undefined && before.own !== REVOKED && dependencies.length === 0;
  return { id: page.id, state: 'changed', reasons, version, rewrite, permissions: own };
}

/** The resolver reads only what identifies a page; the rest of a ref is not needed to find its permissions. */
function asRef(page: PageToResolve) {
  return { ...page, title: '', version: 0, url: '' };
}
