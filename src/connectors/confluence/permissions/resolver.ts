// Who may read, update and delete a page, exactly (see grants.ts), from a site's permission data. One resolver per
// site and run: space permissions are read once per space (with a Cloud space's role assignments when they name
// roles, and the site's roles once), restrictions once per page or folder (its own restrictions are the ancestor
// restrictions of its children), and members once per group, all in bounded, expiring caches.
import { type ContentBatcher, contentBatcher } from '../contentBatch';
import type { AloneReads } from '../readsAlone';
import type { Site } from '../site';
import type { ConfluenceClient } from '../client/clientTypes';
import { createPermissionsApi } from '../client/permissionsApi';
import type {
  AncestorRef,
  ContentRestrictions,
  ContentType,
  Principal,
  RoleAssignment,
  SpacePermissions,
  SpaceRole,
  SpacePermissionsSource,
} from '../client/types';
import type { PermissionSet, PermissionsData } from '../../../core/elements';
import { BoundedCache } from './cache';
import { grantOf, intersectGrants, isOpen, type Grant, type GroupMembers } from './grants';
import { toPermissionsData, type ResolvedPermissions } from './permissionsData';
import { roleSpacePermissions } from './roleGrants';
import { spaceGrants } from './spaceGrants';
import { permissionsFingerprint } from './fingerprint';

/**
 * Where permission data comes from; the Confluence client in production. `log` counts what was read outside a batch.
 */
export interface PermissionSource {
  /** Ancestors of a page or tree item of the given type, root first (folders included). */
  ancestors(pageId: string, type?: ContentType, log?: AloneReads): Promise<AncestorRef[]>;
  /** Of a page, blog post or folder. */
  restrictions(contentId: string, log?: AloneReads): Promise<ContentRestrictions>;
  spacePermissions(space: { id: string; key: string }): Promise<SpacePermissions>;
  spaceRoles(): Promise<SpaceRole[]>;
  roleAssignments(spaceId: string): Promise<RoleAssignment[]>;
  groupMembers(groupId: string): Promise<string[]>;
}

/**
 * The ancestors and restrictions of the pages a worker resolves at once come from one search per batch (by default
 * the worker's, with their bodies when those are batched too); what a batch does not answer for, the batcher reads
 * from the page's own endpoints.
 */
export function clientPermissionSource(
  site: Site,
  client: ConfluenceClient,
  batch: ContentBatcher = contentBatcher(client),
): PermissionSource {
  const api = createPermissionsApi(site, client);
  return {
    ancestors: (pageId, type, log) => batch.ancestors(pageId, type, log),
    restrictions: (pageId, log) => batch.restrictions(pageId, log),
    spacePermissions: (space) => api.spacePermissions(space),
    spaceRoles: () => api.spaceRoles(),
    roleAssignments: (spaceId) => api.roleAssignments(spaceId),
    groupMembers: (groupId) => api.groupMembers(groupId),
  };
}

export interface PageToResolve {
  id: string;
  spaceId: string;
  spaceKey: string;
  /** Absent means 'page'. Blog posts have no ancestors; whiteboards, databases and embeds have, like pages. */
  contentType?: ContentType;
}

export interface ResolverOptions {
  /** Principals per operation in the output (--max-num-metadata-permissions). */
  maxNumMetadataPermissions: number;
  /** How long fetched permission data is trusted. */
  maxAgeMs?: number;
  maxSpaces?: number;
  maxPages?: number;
  maxGroups?: number;
}

const DEFAULTS = { maxAgeMs: 15 * 60_000, maxSpaces: 256, maxPages: 20_000, maxGroups: 1_000 };

export interface PagePermissions extends ResolvedPermissions {
  spacePermissionsSource: SpacePermissionsSource;
  /** What these permissions rest on (fingerprint.ts): the checkpoint compares it on every run. */
  fingerprint: string;
  /** Why some who may read, update or delete were left out (a grant the resolver could not express). */
  narrowed?: string[];
}

interface PageRestrictions {
  read: Grant;
  update: Grant;
}

export class PermissionResolver {
  private readonly spaces: BoundedCache<string, SpacePermissions>;
  /** The site's space roles: one entry, read once per run when a space first names roles. */
  private readonly roles: BoundedCache<'site', SpaceRole[]>;
  private readonly pages: BoundedCache<string, PageRestrictions>;
  private readonly groups: BoundedCache<string, ReadonlySet<string>>;
  private readonly members: GroupMembers;

  constructor(
    private readonly source: PermissionSource,
    private readonly options: ResolverOptions,
  ) {
    const o = { ...DEFAULTS, ...options };
    this.spaces = new BoundedCache({ maxEntries: o.maxSpaces, maxAgeMs: o.maxAgeMs });
    this.roles = new BoundedCache({ maxEntries: 1, maxAgeMs: o.maxAgeMs });
    this.pages = new BoundedCache({ maxEntries: o.maxPages, maxAgeMs: o.maxAgeMs });
    this.groups = new BoundedCache({ maxEntries: o.maxGroups, maxAgeMs: o.maxAgeMs });
    this.members = {
      of: (id) => this.groups.get(id, async () => new Set(await source.groupMembers(id))),
      has: (id) => this.groups.has(id),
    };
  }

  /** `log` counts the page's reads (and its ancestors') that went outside their batch. */
  async resolve(page: PageToResolve, log?: AloneReads): Promise<PagePermissions> {
    const type = page.contentType ?? 'page';
    const [{ grants, source, narrowed }, chain] = await Promise.all([
      this.spaces.get(page.spaceId, () => this.spacePermissions({ id: page.spaceId, key: page.spaceKey })),
      // Whiteboards, databases and embeds sit in the page tree like pages; blog posts do not.
      type === 'blogpost' ? Promise.resolve([]) : this.source.ancestors(page.id, type, log),
    ]);
    const ids = [...chain.map((a) => a.id), page.id];
    const restrictions = await Promise.all(ids.map((id) => this.restrictionsOf(id, log)));
    const own = restrictions[restrictions.length - 1];
    const space = spaceGrants(grants, type);
    // A reader must pass the space permission and the view restriction of the page and of every ancestor.
    const read = await intersectGrants(
      [space.read, ...restrictions.map((r) => r.read).filter((g) => !isOpen(g))],
      this.members,
    );
    // Edit restrictions are not inherited; editing also needs the space right to edit, and reading the page.
    const update = await intersectGrants([read, space.edit, ...(isOpen(own.update) ? [] : [own.update])], this.members);
    const remove = await intersectGrants([read, space.delete], this.members);
    const resolved = toPermissionsData({ read, update, delete: remove }, this.options.maxNumMetadataPermissions);
    const basis = {
      space,
      chain: chain.map((a) => a.id),
      restrictions: { read: restrictions.map((r) => r.read), update: own.update },
      ...resolved,
    };
    return {
      ...resolved,
      spacePermissionsSource: source,
      fingerprint: permissionsFingerprint(basis),
      ...(narrowed ? { narrowed } : {}),
    };
  }

  /**
   * Who may do each thing with content that two permission sets govern (a page and the page it includes): exact for
   * what each lists, and capped as either was, so it never grants more than both.
   */
  async intersect(a: ResolvedPermissions, b: ResolvedPermissions): Promise<ResolvedPermissions> {
    const both = (i: 0 | 1 | 2) =>
      intersectGrants([grantOfSet(a.permissionsData, i), grantOfSet(b.permissionsData, i)], this.members);
    const [read, update, remove] = await Promise.all([both(0), both(1), both(2)]);
    const out = toPermissionsData({ read, update, delete: remove }, this.options.maxNumMetadataPermissions);
    return { ...out, capped: out.capped || a.capped || b.capped };
  }

  /**
   * A Cloud space in role mode lists its permissions as held by roles (the legacy grants no longer count): who holds
   * them comes from the space's role assignments. Any other principal listed there is left out (narrower).
   */
  private async spacePermissions(space: { id: string; key: string }): Promise<SpacePermissions> {
    const listed = await this.source.spacePermissions(space);
    if (!listed.grants.some((g) => g.principal.type === 'role')) return listed;
    const [roles, assignments] = await Promise.all([
      this.roles.get('site', () => this.source.spaceRoles()),
      this.source.roleAssignments(space.id),
    ]);
    return roleSpacePermissions(roles, assignments);
  }

  private restrictionsOf(pageId: string, log?: AloneReads): Promise<PageRestrictions> {
    return this.pages.get(pageId, async () => {
      const r = await this.source.restrictions(pageId, log);
      return { read: principalsGrant(r.read), update: principalsGrant(r.update) };
    });
  }
}

function principalsGrant(principals: Principal[]): Grant {
  return grantOf(
    principals.filter((p) => p.type === 'user').map((p) => p.id),
    principals.filter((p) => p.type === 'group').map((p) => p.id),
  );
}

function grantOfSet(data: PermissionsData, i: 0 | 1 | 2): Grant {
  const set = Object.values(data[i])[0] as PermissionSet;
  return grantOf(set.users, set.groups);
}
