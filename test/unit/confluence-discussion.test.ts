// Labels and comments through the client, in both deployments, against the simulator over HTTP: every listing's
// refs carry their labels at one request per listing page, a page's comments come back whole (threads, replies at
// any depth, footer and inline), comment versions for a batch of pages come from one search, and a restricted
// page's comments are as hidden as the page; a site that refuses that search gets each page's comments read instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from '../support/clients';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { closeConfluencePools } from '../../src/connectors/confluence/client';
import { listContent } from '../../src/connectors/confluence/indexer';

const sims: Partial<Record<'cloud' | 'dc', RunningSimulator>> = {};

beforeAll(async () => {
  for (const mode of ['cloud', 'dc'] as const) {
    sims[mode] = await startSimulator({
      mode,
      seed: 31,
      spaces: 2,
      pagesPerSpace: 40,
      blogpostsPerSpace: 3,
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

describe.each(['cloud', 'dc'] as const)('%s', (mode) => {
  const sim = () => sims[mode]!;
  const labelsOf = (id: string) =>
    sim()
      .site.labelsOf(id)
      .map((l) => l.name);

  it('lists refs with their labels, at one extra request per listing page on Cloud and none on Data Center', async () => {
    const space = sim().site.spaces[0];
    sim().stats.reset();
    const listing = await clientFor(sim()).listPages(
      { id: space.id, key: space.key, name: space.name },
      { limit: 100 },
    );
    expect(listing.items.length).toBeGreaterThan(30);
    for (const ref of listing.items) expect(ref.labels, ref.id).toEqual(labelsOf(ref.id));
    expect(listing.items.some((r) => (r.labels ?? []).length > 0)).toBe(true);
    expect(sim().stats.total).toBe(mode === 'cloud' ? 2 : 1);
  });

  it.runIf(mode === 'cloud')("reads each page's labels on its own when the batched search is refused", async () => {
    const space = sim().site.spaces[0];
    sim().setFaults({
      rateLimitBursts: { everyRequests: 1, durationMs: 1, retryAfter: '9223372036854775807' },
      only: '/content/search',
    });
    try {
      sim().stats.reset();
      const listing = await clientFor(sim()).listPages(
        { id: space.id, key: space.key, name: space.name },
        { limit: 10 },
      );
      for (const ref of listing.items) expect(ref.labels, ref.id).toEqual(labelsOf(ref.id));
      expect(sim().stats.routeCount('/labels')).toBe(listing.items.length);
    } finally {
      sim().setFaults({});
    }
  });

  it('reads labels that do not fit the batched read from the page itself', async () => {
    const page = sim().site.pages.find((p) => p.type === 'page' && p.status === 'current')!;
    const many = Array.from({ length: 230 }, (_, i) => `tag-${String(i).padStart(3, '0')}`);
    sim().site.setLabels(page.id, many);
    try {
      const { found } = await clientFor(sim()).getPagesByIds([page.id]);
      expect(found[0].labels).toEqual(many);
      expect((await clientFor(sim()).getPage(page.id)).ref.labels).toEqual(many);
    } finally {
      sim().site.setLabels(page.id, []);
    }
  });

  it("returns a page's every comment: footer and inline threads, and replies at every depth", async () => {
    const page = sim().site.pages.find((p) =>
      sim()
        .site.commentsOf(p.id)
        .some((c) => c.parentId && sim().site.comment(c.parentId)?.parentId),
    )!;
    const expected = sim().site.commentsOf(page.id);
    const comments = await clientFor(sim()).listComments(page.id);
    expect(comments.map((c) => c.id).sort()).toEqual(expected.map((c) => c.id).sort());
    for (const c of comments) {
      const sc = sim().site.comment(c.id)!;
      expect(c).toMatchObject({
        pageId: page.id,
        location: sc.location,
        version: sc.version.number,
        modifiedAt: sc.version.createdAt,
      });
      expect(c.parentId).toBe(sc.parentId ?? undefined);
      expect(c.html).toContain(sc.text);
    }
  });

  it('pages through a page with more comments than one request carries', async () => {
    const page = sim().site.pages.find((p) => p.type === 'page' && sim().site.commentsOf(p.id).length === 0)!;
    const root = sim().site.addComment({ pageId: page.id, location: 'footer', text: 'First.' });
    for (let i = 0; i < 130; i++)
      sim().site.addComment({ pageId: page.id, location: 'footer', text: `Reply ${i}.`, parentId: root.id });
    for (let i = 0; i < 110; i++) sim().site.addComment({ pageId: page.id, location: 'inline', text: `Note ${i}.` });
    const comments = await clientFor(sim()).listComments(page.id);
    expect(comments).toHaveLength(241);
    expect(new Set(comments.map((c) => c.id)).size).toBe(241);
  });

  it('gives the comment versions of a batch of pages from one search, replies included', async () => {
    // Under 100 comments in all: one page of search results.
    const pages = sim()
      .site.pages.filter((p) => p.status === 'current' && sim().site.commentsOf(p.id).length < 10)
      .slice(0, 20);
    const edited = sim().site.comments.find((c) => pages.some((p) => p.id === c.pageId) && c.parentId)!;
    sim().site.editComment(edited.id, 'Edited reply.');
    sim().stats.reset();
    const versions = await clientFor(sim()).commentVersionsOf(pages.map((p) => p.id));
    expect(sim().stats.total).toBe(1);
    for (const p of pages) {
      const want = sim()
        .site.commentsOf(p.id)
        .map((c) => ({ id: c.id, version: c.version.number }));
      expect(sortById(versions.get(p.id) ?? []), p.id).toEqual(sortById(want));
    }
  });

  it("answers 404 for a restricted page's comments to a user who cannot see the page", async () => {
    const { site } = sim();
    const hidden = site.pages.find(
      (p) => site.commentsOf(p.id).length > 0 && site.users.some((u) => !site.canView(u.id, p.id)),
    )!;
    const outsider = site.users.find((u) => !site.canView(u.id, hidden.id))!;
    await expect(clientFor(sim(), outsider).listComments(hidden.id)).rejects.toMatchObject({ kind: 'not-found' });
    expect((await clientFor(sim(), outsider).commentVersionsOf([hidden.id])).get(hidden.id)).toEqual([]);
  });

  it('leaves out pages by label at the index step, saying why, and gives each kept ref a content version', async () => {
    const space = sim().site.spaces[1];
    const source = {
      kind: 'space' as const,
      space: { id: space.id, key: space.key, name: space.name },
      type: 'page' as const,
    };
    const input = { source, includeArchived: false, limit: 100, includeComments: true };
    const all = await listContent(clientFor(sim()), input);
    const filtered = await listContent(clientFor(sim()), {
      ...input,
      labelFilter: { labels: ['runbook', 'faq'], excludeLabels: ['draft'] },
    });
    const keep = (id: string) =>
      ['runbook', 'faq'].some((l) => labelsOf(id).includes(l)) && !labelsOf(id).includes('draft');
    expect(filtered.items.map((r) => r.id)).toEqual(all.items.map((r) => r.id).filter(keep));
    expect(filtered.filteredOut?.map((f) => f.ref.id)).toEqual(all.items.map((r) => r.id).filter((id) => !keep(id)));
    expect(filtered.filteredOut?.every((f) => /^left out by --(exclude-)?labels: /.test(f.reason))).toBe(true);
    expect(filtered.items.every((r) => /^[0-9a-f]{32}$/.test(r.contentVersion ?? ''))).toBe(true);
  });

  it('reads comment versions page by page, and says why, when the site refuses the comment search', async () => {
    const space = sim().site.spaces[0];
    const source = {
      kind: 'space' as const,
      space: { id: space.id, key: space.key, name: space.name },
      type: 'page' as const,
    };
    const input = { source, includeArchived: false, limit: 20, includeComments: true };
    const searched = await listContent(clientFor(sim()), input);
    sim().setFaults({ refuseCql: 'type\\s*=\\s*comment' });
    try {
      const perPage = await listContent(clientFor(sim()), input);
      expect(perPage.commentSearchRefused).toMatch(/400/);
      expect(perPage.items.map((r) => [r.id, r.contentVersion])).toEqual(
        searched.items.map((r) => [r.id, r.contentVersion]),
      );
    } finally {
      sim().setFaults({});
    }
    expect(searched.commentSearchRefused).toBeUndefined();
  });
});

function sortById<T extends { id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.id.localeCompare(b.id));
}
