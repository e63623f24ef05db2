// Issue 22: permissions change on a living site without new page versions (restrictions, moves, space grants, groups,
// roles), text and files drawn from other pages, folders, and the ingest account losing a page. After each change the
// oracle agrees with what every user can fetch over HTTP, and every endpoint shows the change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type SimPage, type SimUser } from '..';

const basic = (u: SimUser) => `Basic ${Buffer.from(`${u.email}:${u.apiToken}`).toString('base64')}`;

describe('simulator: a living site (issue 22)', () => {
  let sim: RunningSimulator;
  const get = (path: string, u: SimUser = sim.site.users[0]) =>
    fetch(`${sim.url}/wiki${path}`, { headers: { authorization: basic(u) } });
  const body = async <T>(path: string, u?: SimUser): Promise<T> => {
    const res = await get(path, u);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const view = async (id: string, u: SimUser) =>
    (await body<{ body: { view: { value: string } } }>(`/api/v2/pages/${id}?body-format=view`, u)).body.view.value;
  const search = async (cql: string, expand: string, u?: SimUser) =>
    (
      await body<{ results: Record<string, unknown>[] }>(
        `/rest/api/content/search?cql=${encodeURIComponent(cql)}&expand=${expand}&limit=100`,
        u,
      )
    ).results;

  /** Every user, every page and folder: v2 and v1 answer 200 exactly when the oracle says so, else 404. */
  async function agreesWithOracle(): Promise<void> {
    for (const user of sim.site.users) {
      await Promise.all(
        sim.site.contents.map(async (node) => {
          const expected = sim.canView(user.id, node.id) ? 200 : 404;
          const v2 = await get(`/api/v2/${node.type === 'folder' ? 'folders' : `${node.type}s`}/${node.id}`, user);
          const v1 = await get(`/rest/api/content/${node.id}`, user);
          await Promise.all([v2.arrayBuffer(), v1.arrayBuffer()]);
          expect([v2.status, v1.status], `${user.displayName} -> ${node.type} ${node.id}`).toEqual([
            expected,
            expected,
          ]);
        }),
      );
    }
  }

  const versionOf = (p: SimPage) => ({ ...p.version });

  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, spaces: 2, pagesPerSpace: 14, users: 5 });
  });
  afterAll(() => sim.close());

  it('applies a restriction, a move, a space grant and a group change without a new version, everywhere at once', async () => {
    const { site } = sim;
    const [, alice, bob] = site.users;
    const space = site.spaces[0];
    const tree = site.pagesOf(space.id).filter((p) => p.type === 'page');
    const page = tree.find((p) => p.parentId !== null && site.children(p.id).length === 0)!;
    const target = tree.find((p) => p.parentId === null)!;
    const before = versionOf(page);
    const group = site.groups.find((g) => g.name !== 'confluence-users' && g.name !== 'confluence-administrators')!;

    site.setGroupMembers(group.id, [alice.id]);
    site.setRestriction(page.id, 'read', { userIds: [site.users[0].id], groupIds: [group.id] });
    site.movePage(page.id, target.id);
    expect(site.canView(alice.id, page.id)).toBe(true);
    expect(site.canView(bob.id, page.id)).toBe(false);

    const v2 = await body<{ parentId: string; version: { number: number; createdAt: string } }>(
      `/api/v2/pages/${page.id}`,
    );
    expect(v2.parentId).toBe(target.id);
    expect(v2.version).toMatchObject({ number: before.number, createdAt: before.createdAt });
    expect((await body<{ results: { id: string }[] }>(`/api/v2/pages/${page.id}/ancestors`)).results).toEqual([
      { id: target.id, type: 'page' },
    ]);
    const expand = 'ancestors,version,restrictions.read.restrictions.user,restrictions.read.restrictions.group';
    const [hit] = await search(`id = ${page.id}`, expand);
    expect((hit.ancestors as { id: string }[]).map((a) => a.id)).toEqual([target.id]);
    expect((hit.version as { number: number }).number).toBe(before.number);
    const read = (hit.restrictions as { read: { restrictions: { group: { results: { id: string }[] } } } }).read;
    expect(read.restrictions.group.results.map((g) => g.id)).toEqual([group.id]);
    expect((await search(`ancestor = ${target.id}`, 'version')).map((r) => r.id)).toContain(page.id);
    expect((await search(`parent = ${target.id}`, 'version', bob)).map((r) => r.id)).not.toContain(page.id);

    site.setSpacePermission(space.id, { userIds: [site.users[0].id, alice.id], groupIds: [] });
    expect(site.canViewSpace(bob.id, space.id)).toBe(false);
    const grants = await body<{ results: { principal: { type: string; id: string }; operation: { key: string } }[] }>(
      `/api/v2/spaces/${space.id}/permissions?limit=250`,
    );
    const readers = grants.results.filter((g) => g.operation.key === 'read').map((g) => g.principal.id);
    expect(readers.sort()).toEqual([site.users[0].id, alice.id].sort());
    expect((await get(`/api/v2/spaces/${space.id}`, bob)).status).toBe(404);
    expect(site.page(page.id)!.version).toEqual(before);
    await agreesWithOracle();
  });

  it('renders Include Page and Excerpt Include with the reader rights, and a restricted source as Confluence error', async () => {
    const { site } = sim;
    const [ingest, alice, , carol] = site.users;
    const space = site.spaces[1];
    const pages = site.pagesOf(space.id).filter((p) => p.type === 'page' && site.children(p.id).length === 0);
    const [includer, source, excerptSource] = pages;
    site.addInclude(includer.id, { macro: 'include', sourcePageId: source.id });
    site.addInclude(includer.id, { macro: 'excerpt-include', sourcePageId: excerptSource.id });
    expect(excerptSource.excerpt).toBe(true);

    const storage = (
      await body<{ body: { storage: { value: string } } }>(`/api/v2/pages/${includer.id}?body-format=storage`)
    ).body.storage.value;
    expect(storage).toContain(`<ac:structured-macro ac:name="include"`);
    expect(storage).toContain(`ri:content-title="${source.title}"`);
    expect(storage).toContain(`<ac:structured-macro ac:name="excerpt-include"`);
    const sourceStorage = (
      await body<{ body: { storage: { value: string } } }>(`/api/v2/pages/${excerptSource.id}?body-format=storage`)
    ).body.storage.value;
    expect(sourceStorage).toMatch(/^<ac:structured-macro ac:name="excerpt"/);

    const sourceView = await view(source.id, alice);
    const includerView = await view(includer.id, alice);
    expect(includerView).toContain(`data-macro-name="include">${sourceView}</div>`);
    expect(includerView).toContain('data-macro-name="excerpt-include"');

    const version = versionOf(site.page(includer.id)!);
    site.setRestriction(source.id, 'read', { userIds: [ingest.id, carol.id], groupIds: [] });
    const hidden = await view(includer.id, alice);
    expect(hidden).not.toContain(sourceView);
    expect(hidden).toContain('Unable to render {include}</span> The included page could not be found.');
    expect(await view(includer.id, carol)).toContain(await view(source.id, carol));
    const [hit] = await search(`id = ${includer.id}`, 'body.view,version', alice);
    expect((hit.body as { view: { value: string } }).view.value).toContain('Unable to render {include}');
    expect(site.page(includer.id)!.version).toEqual(version);
    await agreesWithOracle();
  });

  it('serves a linked attachment only to those who see the page that holds it', async () => {
    const { site } = sim;
    const [ingest, alice] = site.users;
    const holder = site.pages.find((p) => p.attachments.length > 0 && site.canView(alice.id, p.id))!;
    const linker = site.pages.find((p) => p.type === 'page' && p.id !== holder.id && site.canView(alice.id, p.id))!;
    const att = holder.attachments[0];
    site.addAttachmentLink(linker.id, att.id);
    const path = `/download/attachments/${holder.id}/${encodeURIComponent(att.title)}`;
    expect(await view(linker.id, alice)).toContain(`href="/wiki${path}?`);
    expect((await get(path, alice)).status).toBe(200);
    site.setRestriction(holder.id, 'read', { userIds: [ingest.id], groupIds: [] });
    expect(site.canView(alice.id, linker.id)).toBe(true);
    expect((await get(path, alice)).status).toBe(404);
    expect((await get(`/api/v2/attachments/${att.id}`, alice)).status).toBe(404);
    expect((await get(path, ingest)).status).toBe(200);
  });

  it('hides a page restricted away from the ingest account from the ingest account too', async () => {
    const { site } = sim;
    const [ingest, alice] = site.users;
    const page = site.pages.find((p) => p.type === 'page' && p.parentId !== null && site.canView(alice.id, p.id))!;
    site.setRestriction(page.id, 'read', { userIds: [alice.id], groupIds: [] });
    expect(site.canView(ingest.id, page.id)).toBe(false);
    expect((await get(`/api/v2/pages/${page.id}`, ingest)).status).toBe(404);
    expect((await get(`/rest/api/content/${page.id}?expand=restrictions.read.restrictions.user`, ingest)).status).toBe(
      404,
    );
    expect((await get(`/rest/api/content/${page.id}/restriction/byOperation`, ingest)).status).toBe(404);
    expect((await search(`id = ${page.id}`, 'version', ingest)).length).toBe(0);
    expect((await search(`id = ${page.id}`, 'version', alice)).length).toBe(1);
    await agreesWithOracle();
  });
});
