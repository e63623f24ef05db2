// Content selection and permission inputs in both deployments: blog posts, archived pages, page ids, CQL, personal
// spaces, attachments and downloads, ancestors, restrictions, space permissions, and per-user visibility.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeConfluencePools,
  type ConfluenceError,
  type PageRef,
  type SpaceRef,
} from '../../src/connectors/confluence/client';
import { clientFor } from '../support/clients';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { attachmentBytes } from '../../simulator/files';
import type { SimPage, SimUser } from '../../simulator';

const sims: Partial<Record<'cloud' | 'dc', RunningSimulator>> = {};

beforeAll(async () => {
  for (const mode of ['cloud', 'dc'] as const) {
    sims[mode] = await startSimulator({
      mode,
      seed: 17,
      spaces: 2,
      pagesPerSpace: 40,
      blogpostsPerSpace: 6,
      archivedPerSpace: 4,
      personalSpaces: 2,
      permissions: 'restricted',
      // Cloud answers 410 for the v1 reads Atlassian removed: a client that falls back on them fails here.
      v1Removed: true,
    });
  }
});

afterAll(async () => {
  await closeConfluencePools();
  await Promise.all(Object.values(sims).map((s) => s?.close()));
});

async function drain<T>(read: (cursor?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    all.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return all;
}

const sorted = (ids: string[]) => [...ids].sort();

describe.each(['cloud', 'dc'] as const)('%s', (mode) => {
  const sim = () => sims[mode]!;
  const me = () => sim().site.users[0];
  const globalSpace = (): SpaceRef => {
    const s = sim().site.spaces.find((x) => x.type === 'global' && sim().site.canViewSpace(me().id, x.id))!;
    return { id: s.id, key: s.key, name: s.name };
  };
  const expected = (user: SimUser, pred: (p: SimPage) => boolean) =>
    sim()
      .site.pagesOf(globalSpace().id)
      .filter((p) => pred(p) && sim().canView(user.id, p.id))
      .map((p) => p.id);

  it('lists pages, blog posts and, when asked, archived content', async () => {
    const client = clientFor(sim());
    const space = globalSpace();
    const pages = await drain((cursor) => client.listPages(space, { cursor, limit: 10 }));
    const blogs = await drain((cursor) => client.listPages(space, { cursor, limit: 10, type: 'blogpost' }));
    const withArchived = await drain((cursor) => client.listPages(space, { cursor, limit: 10, includeArchived: true }));
    const u = me();
    expect(sorted(pages.map((p) => p.id))).toEqual(
      sorted(expected(u, (p) => p.type === 'page' && p.status === 'current')),
    );
    expect(sorted(blogs.map((p) => p.id))).toEqual(
      sorted(expected(u, (p) => p.type === 'blogpost' && p.status === 'current')),
    );
    expect(sorted(withArchived.map((p) => p.id))).toEqual(sorted(expected(u, (p) => p.type === 'page')));
    expect(blogs.length).toBeGreaterThan(0);
    expect(withArchived.length).toBeGreaterThan(pages.length);
    expect(new Set(blogs.map((b) => b.contentType))).toEqual(new Set(['blogpost']));
    const { ref, html } = await client.getPage(blogs[0].id, 'blogpost');
    expect([ref.id, ref.contentType, html.length > 0]).toEqual([blogs[0].id, 'blogpost', true]);
  });

  it('resolves page ids (pages and blog posts) and reports unknown ones', async () => {
    const client = clientFor(sim());
    const [page] = expected(me(), (p) => p.type === 'page' && p.status === 'current');
    const [blog] = expected(me(), (p) => p.type === 'blogpost');
    const { found, missing } = await client.getPagesByIds([blog, '987654321', page]);
    expect(found.map((r) => [r.id, r.contentType])).toEqual([
      [blog, 'blogpost'],
      [page, 'page'],
    ]);
    expect(found[1].spaceKey).toBe(globalSpace().key);
    expect(missing).toEqual(['987654321']);
  });

  it('searches with CQL across cursor or offset pages', async () => {
    const client = clientFor(sim());
    const space = globalSpace();
    const hits = await drain((cursor) => client.search(`space = "${space.key}" and type = page`, { cursor, limit: 7 }));
    expect(sorted(hits.map((h) => h.id))).toEqual(
      sorted(expected(me(), (p) => p.type === 'page' && p.status === 'current')),
    );
    expect(hits.every((h) => h.spaceKey === space.key && h.contentType === 'page')).toBe(true);
    const bad = (await client.search('space = = nope', { limit: 5 }).catch((e: unknown) => e)) as ConfluenceError;
    expect([bad.kind, bad.retryable]).toEqual(['bad-request', false]);
    expect(bad.message).toMatch(/--cql/);
  });

  it('resolves personal spaces by their ~key and reports unknown keys', async () => {
    const client = clientFor(sim());
    const personal = sim().site.spaces.filter((s) => s.type === 'personal' && sim().site.canViewSpace(me().id, s.id));
    expect(personal.length).toBeGreaterThan(0);
    const { found, missing } = await client.resolveSpaces([personal[0].key, 'NOSUCH', globalSpace().key]);
    expect(found.map((s) => s.key)).toEqual([personal[0].key, globalSpace().key]);
    expect(missing).toEqual(['NOSUCH']);
  });

  it('lists attachments and downloads their bytes', async () => {
    const client = clientFor(sim());
    const page = sim()
      .site.pagesOf(globalSpace().id)
      .find((p) => p.attachments.length > 1 && p.status === 'current' && sim().canView(me().id, p.id))!;
    const atts = await drain((cursor) => client.listAttachments(page.id, { cursor, limit: 1 }));
    expect(sorted(atts.map((a) => a.title))).toEqual(sorted(page.attachments.map((a) => a.title)));
    const att = page.attachments.find((a) => a.title === atts[0].title)!;
    const { body } = await client.download(atts[0].downloadUrl);
    expect(body.equals(attachmentBytes(att, sim().options.seed))).toBe(true);
  });

  it('returns ancestors root first', async () => {
    const client = clientFor(sim());
    const deep = sim()
      .site.pagesOf(globalSpace().id)
      .find((p) => sim().site.ancestors(p.id).length >= 2 && sim().canView(me().id, p.id))!;
    const chain = await client.getAncestors(deep.id);
    expect(chain.map((a) => a.id)).toEqual(
      sim()
        .site.ancestors(deep.id)
        .map((p) => p.id),
    );
  });

  it('reads page restrictions with Cloud account/group ids or Data Center user keys/group names', async () => {
    const client = clientFor(sim());
    const page = sim().site.pages.find(
      (p) =>
        p.restrictions.read.userIds.length + p.restrictions.read.groupIds.length > 0 && sim().canView(me().id, p.id),
    )!;
    const { read } = await client.getRestrictions(page.id);
    const users = page.restrictions.read.userIds
      .map((id) => sim().site.user(id)!)
      .map((u) => (mode === 'cloud' ? u.id : u.userKey));
    const groups = page.restrictions.read.groupIds
      .map((id) => sim().site.group(id)!)
      .map((g) => (mode === 'cloud' ? g.id : g.name));
    expect(sorted(read.filter((p) => p.type === 'user').map((p) => p.id))).toEqual(sorted(users));
    expect(sorted(read.filter((p) => p.type === 'group').map((p) => p.id))).toEqual(sorted(groups));
  });

  it('lists space permissions on Cloud; says "not available" (undefined) on Data Center', async () => {
    const client = clientFor(sim());
    const space = globalSpace();
    const first = await client.listSpacePermissions(space, { limit: 5 });
    if (mode === 'dc') {
      expect(first).toBeUndefined();
      return;
    }
    const all = await drain(async (cursor) => (await client.listSpacePermissions(space, { cursor, limit: 5 }))!);
    expect(all.length).toBe(sim().site.space(space.id)!.permissions.length);
  });

  it('shows another user only what the oracle lets them see, and 404s the rest', async () => {
    const other = sim().site.users.find(
      (u) =>
        u !== me() &&
        sim().site.canViewSpace(u.id, globalSpace().id) &&
        expected(u, () => true).length < expected(me(), () => true).length,
    );
    expect(other).toBeDefined();
    const client = clientFor(sim(), other);
    const pages: PageRef[] = await drain((cursor) => client.listPages(globalSpace(), { cursor, limit: 25 }));
    expect(sorted(pages.map((p) => p.id))).toEqual(
      sorted(expected(other!, (p) => p.type === 'page' && p.status === 'current')),
    );
    const hidden = sim()
      .site.pagesOf(globalSpace().id)
      .find((p) => !sim().canView(other!.id, p.id))!;
    const err = (await client.getPage(hidden.id).catch((e: unknown) => e)) as ConfluenceError;
    expect(err.kind).toBe('not-found');
  });
});

it.each(['cloud', 'dc'] as const)('%s: reads a restriction list longer than one page of principals', async (mode) => {
  const sim = await startSimulator({ mode, seed: 2, spaces: 1, pagesPerSpace: 3, users: 260 });
  try {
    const page = sim.site.pages[0];
    const everyone = sim.site.users.map((u) => u.id);
    sim.site.setRestriction(page.id, 'read', { userIds: everyone, groupIds: [] });
    const { read, update } = await clientFor(sim).getRestrictions(page.id);
    expect(read.length).toBe(260);
    expect(new Set(read.map((p) => p.id)).size).toBe(260);
    expect(update).toEqual([]);
    expect(sim.stats.routeCount('/restriction/byOperation/{operation}')).toBeGreaterThan(0);
  } finally {
    await sim.close();
  }
});
