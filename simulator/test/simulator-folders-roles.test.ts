// Issue 22: Cloud folders in the page tree (restrictions on a folder limit every page below it) and spaces in role
// mode (view comes from the roles assigned to users and groups); the oracle agrees with every endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type SimUser } from '..';

const basic = (u: SimUser) => `Basic ${Buffer.from(`${u.email}:${u.apiToken}`).toString('base64')}`;

describe('simulator: folders and space roles (issue 22)', () => {
  let sim: RunningSimulator;
  const get = (path: string, u: SimUser = sim.site.users[0]) =>
    fetch(`${sim.url}/wiki${path}`, { headers: { authorization: basic(u) } });
  const body = async <T>(path: string, u?: SimUser): Promise<T> => {
    const res = await get(path, u);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const ids = async (path: string, u?: SimUser) =>
    (await body<{ results: { id: string }[] }>(path, u)).results.map((r) => r.id);

  async function agreesWithOracle(): Promise<void> {
    for (const user of sim.site.users) {
      for (const node of sim.site.contents) {
        const res = await get(`/api/v2/${node.type === 'folder' ? 'folders' : `${node.type}s`}/${node.id}`, user);
        await res.arrayBuffer();
        expect(res.status, `${user.displayName} -> ${node.id}`).toBe(sim.canView(user.id, node.id) ? 200 : 404);
      }
    }
  }

  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, spaces: 2, pagesPerSpace: 10, users: 5 });
  });
  afterAll(() => sim.close());

  it('puts pages in folders: ancestors, children, CQL and restrictions all see the folder', async () => {
    const { site } = sim;
    const [ingest, alice, bob] = site.users;
    const space = site.spaces[0];
    const home = site.page(space.homepageId)!;
    const outer = site.addFolder({ spaceId: space.id, title: 'Handbooks' });
    const inner = site.addFolder({ spaceId: space.id, parentId: outer.id, title: 'Onboarding' });
    const page = site.pagesOf(space.id).find((p) => p.parentId === home.id && site.children(p.id).length === 0)!;
    const version = { ...page.version };
    site.movePage(page.id, inner.id);

    expect(await body(`/api/v2/pages/${page.id}`)).toMatchObject({ parentId: inner.id, parentType: 'folder' });
    expect((await body<{ results: unknown[] }>(`/api/v2/pages/${page.id}/ancestors`)).results).toEqual([
      { id: outer.id, type: 'folder' },
      { id: inner.id, type: 'folder' },
    ]);
    expect(await body(`/api/v2/folders/${inner.id}`)).toMatchObject({ type: 'folder', parentId: outer.id });
    expect(await ids(`/api/v2/folders/${outer.id}/direct-children`)).toEqual([inner.id]);
    const descendants = await body<{ results: { id: string; depth: number }[] }>(
      `/api/v2/folders/${outer.id}/descendants`,
    );
    expect(descendants.results.map((d) => [d.id, d.depth])).toEqual([
      [inner.id, 1],
      [page.id, 2],
    ]);
    const cql = (q: string, u?: SimUser) => ids(`/rest/api/content/search?cql=${encodeURIComponent(q)}`, u);
    expect(await cql(`type = folder and space = ${space.key}`)).toEqual([outer.id, inner.id]);
    expect((await cql(`ancestor = ${outer.id}`)).sort()).toEqual([inner.id, page.id].sort());
    const v1 = await body<{ ancestors: { id: string; type: string }[] }>(
      `/rest/api/content/${page.id}?expand=ancestors`,
    );
    expect(v1.ancestors.map((a) => [a.id, a.type])).toEqual([
      [outer.id, 'folder'],
      [inner.id, 'folder'],
    ]);
    expect(await ids(`/api/v2/spaces/${space.id}/pages?limit=250`)).toContain(page.id);
    expect(await ids(`/rest/api/content?spaceKey=${space.key}&limit=100`)).toContain(page.id);
    expect(await ids(`/api/v2/pages/${home.id}/children`)).not.toContain(page.id);

    site.setRestriction(outer.id, 'read', { userIds: [ingest.id, alice.id], groupIds: [] });
    expect([site.canView(alice.id, page.id), site.canView(bob.id, page.id)]).toEqual([true, false]);
    const byOp = await body<{ read: { restrictions: { user: { results: { accountId: string }[] } } } }>(
      `/rest/api/content/${outer.id}/restriction/byOperation?expand=restrictions.user`,
    );
    expect(byOp.read.restrictions.user.results.map((u) => u.accountId)).toEqual([ingest.id, alice.id]);
    expect((await get(`/api/v2/pages/${page.id}`, bob)).status).toBe(404);
    expect(await cql(`ancestor = ${outer.id}`, bob)).toEqual([]);
    expect(await ids(`/api/v2/spaces/${space.id}/pages?limit=250`, bob)).not.toContain(page.id);
    expect(site.page(page.id)!.version).toEqual(version);
    await agreesWithOracle();
  });

  it('grants view through roles in a role-mode space, and nowhere through legacy grants there', async () => {
    const { site } = sim;
    const [ingest, alice, bob, carol] = site.users;
    const space = site.spaces[1];
    const [admin, , , viewer] = site.roles;
    const group = site.groups.find((g) => g.name !== 'confluence-users' && g.name !== 'confluence-administrators')!;
    site.setGroupMembers(group.id, [carol.id]);
    expect(await body(`/api/v2/space-role-mode`)).toEqual({ mode: 'PRE_ROLES' });

    site.setSpaceRoleMode(space.id, [
      { principal: { principalType: 'USER', principalId: ingest.id }, roleId: admin.id },
      { principal: { principalType: 'USER', principalId: alice.id }, roleId: viewer.id },
      { principal: { principalType: 'GROUP', principalId: group.id }, roleId: viewer.id },
    ]);
    expect(await body(`/api/v2/space-role-mode`)).toEqual({ mode: 'ROLES_TRANSITION' });
    expect(site.spaces[1].permissions.some((p) => p.principal.id === site.groups[0].id)).toBe(true);
    expect([alice, bob, carol].map((u) => site.canViewSpace(u.id, space.id))).toEqual([true, false, true]);
    const assignments = await body<{ results: { principal: { principalId: string }; roleId: string }[] }>(
      `/api/v2/spaces/${space.id}/role-assignments?role-id=${viewer.id}`,
    );
    expect(assignments.results.map((a) => a.principal.principalId)).toEqual([alice.id, group.id]);
    const perms = await body<{ results: { principal: { type: string } }[] }>(
      `/api/v2/spaces/${space.id}/permissions?limit=250`,
    );
    expect(new Set(perms.results.map((p) => p.principal.type))).toEqual(new Set(['role']));
    expect(await ids(`/api/v2/space-roles?principal-type=USER&principal-id=${alice.id}`)).toEqual([viewer.id]);
    expect((await body<{ spacePermissions: string[] }>(`/api/v2/space-roles/${viewer.id}`)).spacePermissions).toContain(
      'read/space',
    );
    await agreesWithOracle();

    site.assignRole(space.id, { principalType: 'USER', principalId: alice.id }, null);
    site.assignRole(space.id, { principalType: 'ACCESS_CLASS', principalId: 'all-licensed-users' }, viewer.id);
    expect(site.canViewSpace(bob.id, space.id)).toBe(true);
    site.assignRole(space.id, { principalType: 'ACCESS_CLASS', principalId: 'all-licensed-users' }, null);
    expect([alice, bob, carol].map((u) => site.canViewSpace(u.id, space.id))).toEqual([false, false, true]);
    expect((await get(`/api/v2/spaces/${space.id}`, alice)).status).toBe(404);
    await agreesWithOracle();
  });

  it('generates folders, includes and role-mode spaces only when asked, each from a generator of its own', async () => {
    const plain = await startSimulator({ seed: 9, spaces: 3, pagesPerSpace: 12, permissions: 'restricted' });
    const rich = await startSimulator({
      seed: 9,
      spaces: 3,
      pagesPerSpace: 12,
      permissions: 'restricted',
      foldersPerSpace: 2,
      includes: true,
      roleModeSpaces: 2,
    });
    try {
      expect(plain.site.folders).toEqual([]);
      expect(plain.site.pages.some((p) => p.includes || p.excerpt || p.attachmentLinks)).toBe(false);
      expect(plain.site.spaces.some((s) => s.roleAssignments)).toBe(false);
      expect(rich.site.folders.length).toBe(6);
      expect(rich.site.pages.some((p) => p.includes?.some((i) => i.macro === 'excerpt-include'))).toBe(true);
      expect(rich.site.spaces.filter((s) => s.roleAssignments).length).toBe(2);
      // The same pages, titles, versions and restrictions; only the tree (moves into folders) and the extras differ.
      const shape = (sim: RunningSimulator) =>
        sim.site.pages.map((p) => [p.id, p.title, p.version.number, JSON.stringify(p.restrictions)]);
      expect(shape(rich)).toEqual(shape(plain));
      for (const user of rich.site.users) {
        for (const node of rich.site.contents) {
          expect(rich.canView(user.id, node.id), node.id).toBe(
            rich.site.canViewSpace(user.id, node.spaceId) &&
              [node, ...rich.site.ancestors(node.id)].every(
                (n) =>
                  n.restrictions.read.userIds.length + n.restrictions.read.groupIds.length === 0 ||
                  n.restrictions.read.userIds.includes(user.id) ||
                  rich.site.groupsOf(user.id).some((g) => n.restrictions.read.groupIds.includes(g.id)),
              ),
          );
        }
      }
      await expect(startSimulator({ mode: 'dc', foldersPerSpace: 1 })).rejects.toThrow(/foldersPerSpace/);
    } finally {
      await Promise.all([plain.close(), rich.close()]);
    }
  });
});
