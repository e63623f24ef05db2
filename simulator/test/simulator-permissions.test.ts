// Per-user visibility over HTTP agrees with the oracle (space read + read restrictions of the page and every ancestor),
// in Cloud and Data Center modes; hidden content is 404 (never 403) and missing from lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type SimUser } from '..';

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

for (const mode of ['cloud', 'dc'] as const) {
  describe(`simulator permissions (${mode})`, () => {
    let sim: RunningSimulator;
    const authOf = (u: SimUser) => (mode === 'cloud' ? basic(u.email, u.apiToken) : basic(u.username, u.password));
    const api = () => (mode === 'cloud' ? `${sim.url}/wiki` : sim.url);
    const get = (path: string, u: SimUser) => fetch(`${api()}${path}`, { headers: { authorization: authOf(u) } });

    beforeAll(async () => {
      sim = await startSimulator({
        mode,
        seed: 21,
        spaces: 3,
        pagesPerSpace: 15,
        blogpostsPerSpace: 2,
        users: 6,
        permissions: 'restricted',
      });
    });
    afterAll(() => sim.close());

    it('generates restrictions at several levels, including inherited-only denials', () => {
      const { site } = sim;
      const restricted = site.pages.filter(
        (p) => p.restrictions.read.userIds.length + p.restrictions.read.groupIds.length > 0,
      );
      const levels = new Set(restricted.map((p) => site.ancestors(p.id).length));
      expect(levels.size).toBeGreaterThanOrEqual(2);
      const chain = restricted.find((p) => site.ancestors(p.id).some((a) => restricted.some((r) => r.id === a.id)));
      expect(chain).toBeDefined();
      const inheritedDenial = site.users.some((u) =>
        site.pages.some(
          (p) =>
            p.restrictions.read.userIds.length === 0 &&
            p.restrictions.read.groupIds.length === 0 &&
            !site.canView(u.id, p.id) &&
            site.canViewSpace(u.id, p.spaceId),
        ),
      );
      expect(inheritedDenial).toBe(true);
      expect(site.spaces.some((s) => site.users.some((u) => !site.canViewSpace(u.id, s.id)))).toBe(true);
      expect(site.pages.every((p) => site.canView(site.users[0].id, p.id))).toBe(true);
    });

    it('answers every page for every user exactly as the oracle says: 200 or 404, never 403', async () => {
      let seen = 0;
      let hidden = 0;
      for (const user of sim.site.users) {
        await Promise.all(
          sim.site.pages.map(async (page) => {
            const path =
              mode === 'cloud'
                ? `/api/v2/${page.type === 'page' ? 'pages' : 'blogposts'}/${page.id}`
                : `/rest/api/content/${page.id}`;
            const res = await get(path, user);
            await res.arrayBuffer();
            const expected = sim.canView(user.id, page.id) ? 200 : 404;
            expect(res.status, `${user.displayName} -> ${page.id}`).toBe(expected);
            if (expected === 200) seen++;
            else hidden++;
          }),
        );
      }
      expect(seen).toBeGreaterThan(0);
      expect(hidden).toBeGreaterThan(0);
    });

    it('filters spaces and page lists per user', async () => {
      for (const user of sim.site.users) {
        const spaces = mode === 'cloud' ? '/api/v2/spaces?limit=250' : '/rest/api/space?limit=100';
        const listed = ((await (await get(spaces, user)).json()) as { results: { key: string }[] }).results.map(
          (s) => s.key,
        );
        expect(listed).toEqual(sim.site.spaces.filter((s) => sim.site.canViewSpace(user.id, s.id)).map((s) => s.key));
        for (const space of sim.site.spaces) {
          const path =
            mode === 'cloud'
              ? `/api/v2/spaces/${space.id}/pages?limit=250`
              : `/rest/api/content?spaceKey=${space.key}&limit=100`;
          const res = await get(path, user);
          const body = (await res.json()) as { results?: { id: string }[] };
          const expected = sim.site
            .pagesOf(space.id)
            .filter((p) => p.type === 'page' && sim.canView(user.id, p.id))
            .map((p) => p.id);
          if (mode === 'cloud' && !sim.site.canViewSpace(user.id, space.id)) expect(res.status).toBe(404);
          else expect(body.results!.map((p) => p.id)).toEqual(expected);
        }
      }
    });

    it('reports restrictions and group members as the model holds them, counted as permission requests', async () => {
      const admin = sim.site.users[0];
      const before = sim.stats.permissionRequests;
      const page = sim.site.pages.find((p) => p.restrictions.read.groupIds.length > 0)!;
      const res = await get(
        `/rest/api/content/${page.id}/restriction/byOperation?expand=restrictions.user,restrictions.group`,
        admin,
      );
      const body = (await res.json()) as {
        read: {
          restrictions: {
            user: { results: { accountId?: string; userKey?: string }[] };
            group: { results: { id?: string; name: string }[] };
          };
        };
      };
      const users = body.read.restrictions.user.results.map((u) => (mode === 'cloud' ? u.accountId : u.userKey));
      expect(users).toEqual(
        page.restrictions.read.userIds.map((id) => (mode === 'cloud' ? id : sim.site.user(id)!.userKey)),
      );
      const group = sim.site.group(page.restrictions.read.groupIds[0])!;
      expect(body.read.restrictions.group.results[0]).toEqual(
        expect.objectContaining(mode === 'cloud' ? { id: group.id, name: group.name } : { name: group.name }),
      );
      if (mode === 'dc') expect(body.read.restrictions.group.results[0]).not.toHaveProperty('id');
      const membersPath =
        mode === 'cloud' ? `/rest/api/group/${group.id}/membersByGroupId` : `/rest/api/group/${group.name}/member`;
      const members = (await (await get(membersPath, admin)).json()) as {
        results: { accountId?: string; userKey?: string }[];
      };
      expect(members.results.map((u) => (mode === 'cloud' ? u.accountId : u.userKey)).sort()).toEqual(
        group.memberIds.map((id) => (mode === 'cloud' ? id : sim.site.user(id)!.userKey)).sort(),
      );
      expect(sim.stats.permissionRequests - before).toBe(2);
    });

    it.runIf(mode === 'dc')(
      'lists space grants to space administrators only (users by userKey, groups by name)',
      async () => {
        const [admin, other] = sim.site.users;
        const space = sim.site.spaces[1];
        const res = await get(`/rest/api/space/${space.key}/permissions`, admin);
        const grants = (await res.json()) as {
          operation: { operationKey: string; targetType: string };
          subject: { type: string; userKey?: string; name?: string };
        }[];
        const expected = space.permissions.map((p) => ({
          operation: { operationKey: p.operation.key, targetType: p.operation.targetType },
          subject:
            p.principal.type === 'user'
              ? { type: 'user', userKey: sim.site.user(p.principal.id)!.userKey }
              : { type: 'group', name: sim.site.group(p.principal.id)!.name },
        }));
        expect(grants.map(({ operation, subject }) => ({ operation, subject }))).toEqual(expected);
        const open = sim.site.spaces.find((s) => sim.site.canViewSpace(other.id, s.id))!;
        expect(sim.site.hasSpacePermission(other.id, open.id, 'administer')).toBe(false);
        expect((await get(`/rest/api/space/${open.key}/permissions`, other)).status).toBe(500);
      },
    );

    it('lets tests change restrictions at run time and the HTTP answers follow', async () => {
      const user = sim.site.users[1];
      const page = sim.site.pages.find((p) => p.type === 'page' && sim.canView(user.id, p.id) && p.parentId !== null)!;
      sim.site.setRestriction(page.id, 'read', { userIds: [sim.site.users[0].id], groupIds: [] });
      const path = mode === 'cloud' ? `/api/v2/pages/${page.id}` : `/rest/api/content/${page.id}`;
      expect((await get(path, user)).status).toBe(404);
      const child = sim.site.children(page.id)[0];
      if (child) expect(sim.canView(user.id, child.id)).toBe(false);
      sim.site.setRestriction(page.id, 'read', { userIds: [], groupIds: [] });
      expect((await get(path, user)).status).toBe(200);
    });
  });
}

describe('simulator: a 6-level tree built with addPage', () => {
  it('inherits restrictions from levels 2 and 5 and lists ancestors root first, nearest ones under a limit', async () => {
    const sim = await startSimulator({ seed: 2, spaces: 1, pagesPerSpace: 1, users: 4 });
    try {
      const { site } = sim;
      const [admin, alice, bob] = site.users;
      const space = site.spaces[0];
      const chain = [site.page(space.homepageId)!];
      for (let level = 2; level <= 6; level++)
        chain.push(site.addPage({ spaceId: space.id, parentId: chain.at(-1)!.id, title: `Level ${level}` }));
      const [levelTwo, levelFive] = [site.groups[2], site.groups[3]];
      site.setGroupMembers(levelTwo.id, [alice.id, bob.id]);
      site.setGroupMembers(levelFive.id, [alice.id]);
      site.setRestriction(chain[1].id, 'read', { userIds: [admin.id], groupIds: [levelTwo.id] });
      site.setRestriction(chain[4].id, 'read', { userIds: [admin.id], groupIds: [levelFive.id] });
      expect(chain.map((p) => sim.canView(bob.id, p.id))).toEqual([true, true, true, true, false, false]);
      expect(chain.map((p) => sim.canView(alice.id, p.id))).toEqual([true, true, true, true, true, true]);
      expect(chain.map((p) => sim.canView(site.users[3].id, p.id))).toEqual([true, false, false, false, false, false]);

      const auth = `Basic ${Buffer.from(`${bob.email}:${bob.apiToken}`).toString('base64')}`;
      const get = (path: string) => fetch(`${sim.url}/wiki/api/v2${path}`, { headers: { authorization: auth } });
      expect((await get(`/pages/${chain[3].id}`)).status).toBe(200);
      expect((await get(`/pages/${chain[5].id}`)).status).toBe(404);
      const all = (await (await get(`/pages/${chain[3].id}/ancestors`)).json()) as { results: { id: string }[] };
      expect(all.results.map((a) => a.id)).toEqual(chain.slice(0, 3).map((p) => p.id));
      const nearest = (await (await get(`/pages/${chain[3].id}/ancestors?limit=2`)).json()) as {
        results: { id: string }[];
      };
      expect(nearest.results.map((a) => a.id)).toEqual([chain[1].id, chain[2].id]);
      expect(() => site.addPage({ spaceId: space.id, title: 'Level 3' })).toThrow(/already has a page titled/);
    } finally {
      await sim.close();
    }
  });
});
