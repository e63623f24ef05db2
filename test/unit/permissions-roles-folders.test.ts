// Cloud role-mode spaces and folders against the site itself: for every page and every user, the resolver's read
// grant must be exactly who opens the page over HTTP as themselves (and what the simulator's oracle says), with the
// space's access given by role assignments (a user, a group, one removed) and pages below restricted and nested
// folders. Also: the request cost of roles, a role change seen as a space-grant drift, an access class left out and
// reported, and a refused role endpoint taking the error path.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Secrets, Site } from '../../src/pipeline/config';
import { closeConfluencePools, createConfluenceClient, resolveAuth } from '../../src/connectors/confluence/client';
import { ConfluenceError } from '../../src/connectors/confluence/client/errors';
import { ContentBatcher } from '../../src/connectors/confluence/contentBatch';
import { pagePermissions } from '../../src/connectors/confluence/pagePermissions';
import type { PermissionSet } from '../../src/core/elements';
import {
  PermissionResolver,
  clientPermissionSource,
  driftReasons,
  type PagePermissions,
} from '../../src/connectors/confluence/permissions';
import { startSimulator, type RunningSimulator, type SimPage, type SimSpace, type SimUser } from '../../simulator';

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

afterAll(() => closeConfluencePools());

describe('Cloud role-mode spaces and folders: permissions_data matches what each user can open', () => {
  let sim: RunningSimulator;
  let site: Site;
  let secrets: Secrets;
  let roleSpace: SimSpace;

  const client = (s: Site = site) => createConfluenceClient(s, secrets, { retry: { baseDelayMs: 5 } });
  const resolver = (s: Site = site, batch?: ContentBatcher) => {
    const c = client(s);
    return new PermissionResolver(clientPermissionSource(s, c, ...(batch ? [batch] : [])), {
      maxNumMetadataPermissions: 10_000,
    });
  };
  const pageToResolve = (page: SimPage) => ({
    id: page.id,
    spaceId: page.spaceId,
    spaceKey: sim.site.space(page.spaceId)!.key,
    contentType: page.type,
  });
  const roleId = (name: string) => sim.site.roles.find((r) => r.name === name)!.id;
  const grants = (set: PermissionSet, user: SimUser) =>
    set.users.includes(user.id) || sim.site.groupsOf(user.id).some((g) => set.groups.includes(g.id));

  async function opens(user: SimUser, page: SimPage): Promise<boolean> {
    const url = `${sim.url}/wiki/api/v2/${page.type === 'page' ? 'pages' : 'blogposts'}/${page.id}`;
    const res = await fetch(url, { headers: { authorization: basic(user.email, user.apiToken) } });
    await res.arrayBuffer();
    if (res.status !== 200 && res.status !== 404) throw new Error(`GET ${url} as ${user.username}: ${res.status}`);
    return res.status === 200;
  }

  /** Every page resolved at once (as a worker's downloads ask), compared with every user's own view of it. */
  async function mismatches(r: PermissionResolver): Promise<{ wrong: string[]; open: number; closed: number }> {
    const checked = await Promise.all(
      sim.site.pages.map(async (page) => ({
        page,
        resolved: await r.resolve(pageToResolve(page)),
        results: await Promise.all(sim.site.users.map(async (user) => ({ user, visible: await opens(user, page) }))),
      })),
    );
    const wrong: string[] = [];
    let open = 0;
    let closed = 0;
    for (const { page, resolved, results } of checked) {
      const read = resolved.permissionsData[0].read;
      for (const { user, visible } of results) {
        if (visible !== sim.canView(user.id, page.id))
          wrong.push(`page ${page.id}, ${user.username}: oracle disagrees`);
        if (visible) open++;
        else closed++;
        const granted = grants(read, user);
        if (granted !== visible)
          wrong.push(`page ${page.id} "${page.title}", ${user.username}: ${granted ? 'over-grant' : 'under-grant'}`);
      }
    }
    return { wrong, open, closed };
  }

  /**
   * A space in role mode: the ingest account Admin, a user Viewer, a group Collaborator, and a user whose Viewer role
   * was removed. Below it a restricted folder, a nested restricted folder, and pages in both; a restricted folder in a
   * legacy space too.
   */
  function buildScenario(): void {
    const s = sim.site;
    const [me, u1, u2, u3] = s.users;
    const [groupA, groupB] = s.groups.filter((g) => !g.name.startsWith('confluence-') && g.memberIds.length > 0);
    roleSpace = s.spaces[0];
    s.setSpaceRoleMode(roleSpace.id, [
      { principal: { principalType: 'USER', principalId: me.id }, roleId: roleId('Admin') },
      { principal: { principalType: 'USER', principalId: u1.id }, roleId: roleId('Viewer') },
      { principal: { principalType: 'GROUP', principalId: groupA.id }, roleId: roleId('Collaborator') },
      { principal: { principalType: 'USER', principalId: u2.id }, roleId: roleId('Viewer') },
    ]);
    s.assignRole(roleSpace.id, { principalType: 'USER', principalId: u2.id }, null);
    const top = s.addFolder({ spaceId: roleSpace.id, title: 'Restricted folder' });
    s.setRestriction(top.id, 'read', { userIds: [me.id, u1.id, u3.id], groupIds: [groupB.id] });
    const inTop = s.addPage({ spaceId: roleSpace.id, parentId: top.id, title: 'In the folder' });
    s.addPage({ spaceId: roleSpace.id, parentId: inTop.id, title: 'Below a page in the folder' });
    const nested = s.addFolder({ spaceId: roleSpace.id, parentId: inTop.id, title: 'Nested folder' });
    s.setRestriction(nested.id, 'read', { userIds: [me.id, u3.id], groupIds: [groupA.id] });
    const deep = s.addPage({ spaceId: roleSpace.id, parentId: nested.id, title: 'In the nested folder' });
    s.addPage({ spaceId: roleSpace.id, parentId: deep.id, title: 'Below the nested folder' });
    const legacy = s.spaces.find((sp) => !sp.roleAssignments && s.users.every((u) => s.canViewSpace(u.id, sp.id)))!;
    const folder = s.addFolder({ spaceId: legacy.id, title: 'Legacy space folder' });
    s.setRestriction(folder.id, 'read', { userIds: [me.id, u2.id], groupIds: [groupA.id] });
    s.addPage({ spaceId: legacy.id, parentId: folder.id, title: 'In the legacy space folder' });
  }

  beforeAll(async () => {
    sim = await startSimulator({
      mode: 'cloud',
      seed: 23,
      spaces: 3,
      pagesPerSpace: 10,
      blogpostsPerSpace: 1,
      users: 8,
      permissions: 'restricted',
      roleModeSpaces: 2,
      // The v1 reads Atlassian removed answer 410, as on a current Cloud site.
      v1Removed: true,
      foldersPerSpace: 1,
    });
    buildScenario();
    ({ site, secrets } = resolveAuth({
      url: sim.url,
      cloud: true,
      username: sim.credentials.username,
      apiToken: sim.credentials.apiToken,
    }));
  });
  afterAll(() => sim.close());

  it('grants read to exactly those who open each page, roles and folders included; roles read once per run', async () => {
    const before = { roles: sim.stats.routeCount('/space-roles'), assigned: sim.stats.routeCount('/role-assignments') };
    const { wrong, open, closed } = await mismatches(resolver());
    expect(wrong).toEqual([]);
    expect(open).toBeGreaterThan(0);
    expect(closed).toBeGreaterThan(0);
    // Once per run for the site's roles, once per role-mode space for its assignments; none for the legacy space.
    expect(sim.stats.routeCount('/space-roles') - before.roles).toBe(1);
    const roleModeSpaces = sim.site.spaces.filter((s) => s.roleAssignments).length;
    expect(roleModeSpaces).toBe(2);
    expect(sim.stats.routeCount('/role-assignments') - before.assigned).toBe(roleModeSpaces);
  });

  it('reads folder ancestors and restrictions from their own endpoints when the batched search answers nothing', async () => {
    // Every batched answer is over a 1-byte cap: each page's ancestors and restrictions are read alone.
    const alone = new ContentBatcher(client(), {
      maxPages: 50,
      maxWaitMs: 10,
      quietMs: 10,
      quietPages: 1,
      maxBytes: 1,
    });
    const { wrong } = await mismatches(resolver(site, alone));
    expect(wrong).toEqual([]);
  });

  it('grants update and delete from the roles, within read', async () => {
    const pages = sim.site.pages.filter((p) => p.spaceId === roleSpace.id);
    const r = resolver();
    const resolved = await Promise.all(
      pages.map(async (page) => ({ page, ...(await r.resolve(pageToResolve(page))) })),
    );
    const wrong: string[] = [];
    for (const { page, permissionsData, spacePermissionsSource } of resolved) {
      expect(spacePermissionsSource).toBe('space-role-assignments');
      const [{ read }, { update }, { delete: remove }] = permissionsData;
      for (const user of sim.site.users) {
        const has = (key: string, target: string) => sim.site.hasSpacePermission(user.id, page.spaceId, key, target);
        const canView = sim.canView(user.id, page.id);
        const updateRestriction = page.restrictions.update;
        const passesUpdate =
          updateRestriction.userIds.length + updateRestriction.groupIds.length === 0 ||
          updateRestriction.userIds.includes(user.id) ||
          sim.site.groupsOf(user.id).some((g) => updateRestriction.groupIds.includes(g.id));
        const canEdit =
          canView &&
          (has('create', page.type) || has('update', page.type) || has('administer', 'space')) &&
          passesUpdate;
        const canDelete = canView && has('delete', page.type);
        const got = { update: grants(update, user), delete: grants(remove, user) };
        if (got.update !== canEdit || got.delete !== canDelete)
          wrong.push(`page ${page.id}, ${user.username}: ${JSON.stringify(got)}`);
        if ((got.update || got.delete) && !grants(read, user)) wrong.push(`page ${page.id}: outside read`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('sees a role change as a space-grant drift', async () => {
    const page = sim.site.pages.find((p) => p.spaceId === roleSpace.id)!;
    const first = await resolver().resolve(pageToResolve(page));
    const u2 = { principalType: 'USER' as const, principalId: sim.site.users[2].id };
    sim.site.assignRole(roleSpace.id, u2, roleId('Viewer'));
    try {
      const after = await resolver().resolve(pageToResolve(page));
      expect(driftReasons(first.fingerprint, after.fingerprint)).toEqual(['space-grant']);
    } finally {
      sim.site.assignRole(roleSpace.id, u2, null);
    }
  });

  it('leaves a role held by an access class out, and says so: never wider', async () => {
    const page = sim.site.pages.find((p) => p.spaceId === roleSpace.id && p.restrictions.read.userIds.length === 0)!;
    const first = await resolver().resolve(pageToResolve(page));
    const everyone = { principalType: 'ACCESS_CLASS' as const, principalId: 'all-licensed-users' };
    sim.site.assignRole(roleSpace.id, everyone, roleId('Viewer'));
    try {
      const after: PagePermissions = await resolver().resolve(pageToResolve(page));
      // More users may now see the page; "all licensed users" is no user or group list, so nobody is added.
      const read = after.permissionsData[0].read;
      expect(sim.site.users.filter((u) => sim.canView(u.id, page.id) && !grants(read, u)).length).toBeGreaterThan(0);
      expect(sim.site.users.filter((u) => grants(read, u) && !sim.canView(u.id, page.id))).toEqual([]);
      expect(after.permissionsData).toEqual(first.permissionsData);
      expect(after.narrowed).toEqual([
        'role Viewer is held by ACCESS_CLASS all-licensed-users, not a user or group: left out',
      ]);
      expect(first.narrowed).toBeUndefined();
    } finally {
      sim.site.assignRole(roleSpace.id, everyone, null);
    }
  });

  describe('a refused role endpoint', () => {
    let proxy: Server;
    let proxied: Site;

    beforeAll(async () => {
      // The site behind a proxy that refuses the space roles (403), as a tenant might for this account.
      const target = new URL(sim.url);
      proxy = createServer((req, res) => {
        if (req.url?.includes('/space-roles')) {
          res.writeHead(403, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ statusCode: 403, message: 'Not permitted to view space roles' }));
          return;
        }
        const upstream = request(
          { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        req.pipe(upstream);
      });
      await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
      const { port } = proxy.address() as AddressInfo;
      ({ site: proxied } = resolveAuth({
        url: `http://127.0.0.1:${port}`,
        cloud: true,
        username: sim.credentials.username,
        apiToken: sim.credentials.apiToken,
      }));
    });
    afterAll(() => new Promise<void>((done) => proxy.close(() => done())));

    it('fails the resolve (no wider grant); --on-permission-error omit writes the page without grants', async () => {
      const page = sim.site.pages.find((p) => p.spaceId === roleSpace.id)!;
      await expect(resolver(proxied).resolve(pageToResolve(page))).rejects.toSatisfy(
        (err) => err instanceof ConfluenceError && err.kind === 'forbidden',
      );
      const ref = { ...pageToResolve(page), title: page.title, version: 1, url: `${sim.url}/x`, labels: [] };
      const result = await pagePermissions(client(proxied), {
        site: proxied,
        ref,
        permissions: { enabled: true, maxNumMetadataPermissions: 100, onError: 'omit', run: 'refused' },
      });
      expect(result.permissionsData).toBeUndefined();
      expect(result.unavailable?.action).toBe('omit');
      expect(result.unavailable?.reason).toContain('space-roles');
      // A legacy space needs no role endpoint: its pages resolve as before.
      const legacy = sim.site.pages.find((p) => !sim.site.space(p.spaceId)!.roleAssignments)!;
      await expect(resolver(proxied).resolve(pageToResolve(legacy))).resolves.toBeDefined();
    });
  });
});
