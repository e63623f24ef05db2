// permissions_data against the site itself, in Cloud and Data Center modes: for every page and every user, the
// simulator is asked over HTTP, as that user, whether the page opens (200) or not (404); the resolver's read list
// must grant exactly those users (directly or through a listed group). Plus the request cost on a deep tree.
// Data Center runs as 9.2 (space grants from space/{key}/permissions) and as 8.5 (that endpoint answers 404; the
// grants come from the space's expand=permissions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Secrets, Site } from '../../src/pipeline/config';
import { closeConfluencePools, createConfluenceClient, resolveAuth } from '../../src/connectors/confluence/client';
import type { PermissionSet } from '../../src/core/elements';
import { PermissionResolver, clientPermissionSource } from '../../src/connectors/confluence/permissions';
import { startSimulator, type Restriction, type RunningSimulator, type SimPage, type SimUser } from '../../simulator';

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

afterAll(() => closeConfluencePools());

const CASES = [
  { mode: 'cloud', dcVersion: undefined, source: 'space-permissions-api' },
  { mode: 'dc', dcVersion: '9.2', source: 'space-permissions-api' },
  { mode: 'dc', dcVersion: '8.5', source: 'space-expand-permissions' },
] as const;

for (const { mode, dcVersion, source } of CASES) {
  describe(`permissions_data matches what each user can open (${mode}${dcVersion ? ` ${dcVersion}` : ''})`, () => {
    let sim: RunningSimulator;
    let site: Site;
    let secrets: Secrets;
    let deep: SimPage[];

    const principalId = (u: SimUser) => (mode === 'cloud' ? u.id : u.userKey);
    const groupKey = (groupId: string) => (mode === 'cloud' ? groupId : sim.site.group(groupId)!.name);
    const resolver = () =>
      new PermissionResolver(
        clientPermissionSource(site, createConfluenceClient(site, secrets, { retry: { baseDelayMs: 5 } })),
        {
          maxNumMetadataPermissions: 10_000,
        },
      );
    const resolve = (r: PermissionResolver, page: SimPage) =>
      r.resolve({
        id: page.id,
        spaceId: page.spaceId,
        spaceKey: sim.site.space(page.spaceId)!.key,
        contentType: page.type,
      });

    /** Granted directly or through a listed group, group membership taken from the site's own data. */
    const grants = (set: PermissionSet, user: SimUser) =>
      set.users.includes(principalId(user)) ||
      sim.site.groupsOf(user.id).some((g) => set.groups.includes(groupKey(g.id)));

    const passes = (user: SimUser, r: Restriction) =>
      (r.userIds.length === 0 && r.groupIds.length === 0) ||
      r.userIds.includes(user.id) ||
      sim.site.groupsOf(user.id).some((g) => r.groupIds.includes(g.id));

    async function opens(user: SimUser, page: SimPage): Promise<boolean> {
      const url =
        mode === 'cloud'
          ? `${sim.url}/wiki/api/v2/${page.type === 'page' ? 'pages' : 'blogposts'}/${page.id}`
          : `${sim.url}/rest/api/content/${page.id}`;
      const auth = mode === 'cloud' ? basic(user.email, user.apiToken) : basic(user.username, user.password);
      const res = await fetch(url, { headers: { authorization: auth } });
      await res.arrayBuffer();
      if (res.status !== 200 && res.status !== 404)
        throw new Error(`GET ${url} as ${user.username}: unexpected ${res.status}`);
      return res.status === 200;
    }

    /**
     * Six levels in an open space: read restrictions at levels 2 and 5 (different groups), edit restrictions at 2 and
     * 6.
     */
    function buildDeepTree(): SimPage[] {
      const { site } = sim;
      const [me, u1, u2, u3] = site.users;
      const [groupA, groupB] = site.groups.filter((g) => !g.name.startsWith('confluence-'));
      const space = site.spaces.find((s) => site.users.every((u) => site.canViewSpace(u.id, s.id)))!;
      const chain: SimPage[] = [];
      for (let level = 1; level <= 6; level++) {
        chain.push(site.addPage({ spaceId: space.id, parentId: chain.at(-1)?.id, title: `Deep level ${level}` }));
      }
      site.setRestriction(chain[1].id, 'read', { userIds: [me.id, u1.id], groupIds: [groupA.id] });
      site.setRestriction(chain[1].id, 'update', { userIds: [me.id], groupIds: [groupB.id] });
      site.setRestriction(chain[4].id, 'read', { userIds: [me.id, u2.id], groupIds: [groupB.id] });
      site.setRestriction(chain[5].id, 'update', { userIds: [me.id, u3.id], groupIds: [] });
      return chain;
    }

    beforeAll(async () => {
      sim = await startSimulator({
        mode,
        ...(dcVersion ? { dcVersion } : {}),
        seed: 11,
        spaces: 3,
        pagesPerSpace: 18,
        blogpostsPerSpace: 2,
        users: 8,
        permissions: 'restricted',
        // Cloud answers 410 for the v1 reads Atlassian removed (Data Center ignores it).
        v1Removed: true,
      });
      deep = buildDeepTree();
      ({ site, secrets } = resolveAuth({
        url: sim.url,
        cloud: mode === 'cloud',
        username: sim.credentials.username,
        ...(mode === 'cloud' ? { apiToken: sim.credentials.apiToken } : { password: sim.credentials.password }),
      }));
    });
    afterAll(() => sim.close());

    it('grants read to exactly the users who can open each page as themselves: no over-grant, no under-grant', async () => {
      const r = resolver();
      const wrong: string[] = [];
      let open = 0;
      let closed = 0;
      let fromGroupMembers = 0;
      const checked = await Promise.all(
        sim.site.pages.map(async (page) => ({
          page,
          resolved: await resolve(r, page),
          results: await Promise.all(sim.site.users.map(async (user) => ({ user, visible: await opens(user, page) }))),
        })),
      );
      for (const { page, resolved, results } of checked) {
        expect(resolved.capped).toBe(false);
        expect(resolved.spacePermissionsSource).toBe(source);
        const read = resolved.permissionsData[0].read;
        for (const { user, visible } of results) {
          if (visible) open++;
          else closed++;
          const granted = grants(read, user);
          if (granted !== visible)
            wrong.push(`page ${page.id} "${page.title}", ${user.username}: ${granted ? 'over-grant' : 'under-grant'}`);
        }
        // Users named neither by the space grant nor by any restriction of the chain came from group members.
        const named = new Set([
          ...sim.site
            .space(page.spaceId)!
            .permissions.filter((p) => p.principal.type === 'user')
            .map((p) => p.principal.id),
          ...[...sim.site.ancestors(page.id), page].flatMap((p) => p.restrictions.read.userIds),
        ]);
        fromGroupMembers += sim.site.users.filter(
          (u) => read.users.includes(principalId(u)) && !named.has(u.id),
        ).length;
      }
      expect(wrong).toEqual([]);
      // The site is varied enough for the check to mean something.
      expect(open).toBeGreaterThan(0);
      expect(closed).toBeGreaterThan(0);
      expect(fromGroupMembers).toBeGreaterThan(0);
    });

    it('grants update and delete by the site rules, always within read', async () => {
      const r = resolver();
      const wrong: string[] = [];
      // All at once, as a worker's downloads ask: one after another, each would wait out the batch window (700 ms)
      // alone.
      const resolved = await Promise.all(sim.site.pages.map(async (page) => ({ page, ...(await resolve(r, page)) })));
      for (const { page, permissionsData } of resolved) {
        const [{ read }, { update }, { delete: remove }] = permissionsData;
        for (const user of sim.site.users) {
          const has = (key: string, target: string) => sim.site.hasSpacePermission(user.id, page.spaceId, key, target);
          const canView = sim.canView(user.id, page.id);
          const canEdit =
            canView &&
            (has('create', page.type) || has('update', page.type) || has('administer', 'space')) &&
            passes(user, page.restrictions.update);
          const canDelete = canView && has('delete', page.type);
          const got = { update: grants(update, user), delete: grants(remove, user) };
          if (got.update !== canEdit || got.delete !== canDelete)
            wrong.push(`page ${page.id}, ${user.username}: ${JSON.stringify(got)}`);
          if ((got.update || got.delete) && !grants(read, user))
            wrong.push(`page ${page.id}, ${user.username}: update/delete outside read`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('costs at most pages + ancestors + spaces permission requests on a 6-level tree restricted at levels 2 and 5', async () => {
      const r = resolver();
      const before = sim.stats.permissionRequests;
      await Promise.all(deep.map((page) => resolve(r, page)));
      const used = sim.stats.permissionRequests - before;
      const bound = deep.length + (deep.length - 1) + 1;
      console.info(JSON.stringify({ mode, dcVersion, deepTreePermissionRequests: used, bound }));
      expect(used).toBeLessThanOrEqual(bound);
      const again = sim.stats.permissionRequests;
      await Promise.all(deep.map((page) => resolve(r, page)));
      expect(sim.stats.permissionRequests - again).toBe(0);
    });
  });
}
