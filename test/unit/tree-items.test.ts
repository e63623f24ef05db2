// Folders, whiteboards, databases and embeds of a Cloud space's tree, against the simulator over HTTP (v1 removals
// answering 410): those a run does not ingest are counted and named with the space's first listing (one CQL search);
// whiteboards, databases and embeds that --content-types names are listed, and downloaded as small documents of their
// metadata, with permissions resolved as a page's are. Data Center has none of them.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimNode, type SimUser, startSimulator, type RunningSimulator } from '../../simulator';
import {
  closeConfluencePools,
  createConfluenceClient,
  type PageRef,
  resolveAuth,
} from '../../src/connectors/confluence/client';
import { PermissionsSchema, SelectionSchema } from '../../src/connectors/confluence/config';
import { downloadPage } from '../../src/connectors/confluence/download';
import { listContent } from '../../src/connectors/confluence/indexer';
import { contentSources, treeTypesNotIngested } from '../../src/connectors/confluence/sources';
import { emptyProgress, listsTruncated, Tally } from '../../src/pipeline/progress';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({
    seed: 24,
    spaces: 2,
    pagesPerSpace: 12,
    foldersPerSpace: 2,
    treeItemsPerSpace: 5,
    users: 6,
    permissions: 'restricted',
    v1Removed: true,
  });
});
afterAll(async () => {
  await closeConfluencePools();
  await sim.close();
});

const auth = () => {
  const { username, apiToken } = sim.credentials;
  return resolveAuth({ url: sim.url, cloud: true, username, apiToken });
};
const client = () => {
  const { site, secrets } = auth();
  return createConfluenceClient(site, secrets);
};
const firstSpace = async () => (await client().listSpaces({ limit: 10 })).items[0];
const visibleToIngest = (n: SimNode) => sim.site.canView(sim.site.users[0].id, n.id);

describe('tree items a run does not ingest', () => {
  it('are counted and named by type with the first listing of a space, and only then', async () => {
    const c = client();
    const space = await firstSpace();
    const source = { kind: 'space' as const, space, type: 'page' as const };
    const notIngested = treeTypesNotIngested(SelectionSchema.parse({ contentTypes: ['page', 'embed'] }));
    expect(notIngested).toEqual(['folder', 'whiteboard', 'database']);
    const first = await listContent(c, { source, includeArchived: false, limit: 5, notIngested });
    const expected: Record<string, number> = {};
    const items = sim.site.nodesOf(space.id).filter((n) => notIngested.some((t) => t === n.type));
    for (const n of items.filter(visibleToIngest)) expected[n.type] = (expected[n.type] ?? 0) + 1;
    expect(first.treeItems).toEqual(expected);
    expect(Object.keys(expected).sort()).toEqual(['database', 'folder', 'whiteboard']);
    expect(first.treeItemsNamed?.map((i) => i.id).sort()).toEqual(
      items
        .filter(visibleToIngest)
        .map((n) => n.id)
        .sort(),
    );
    expect(first.items.every((r) => r.contentType === 'page')).toBe(true);
    const next = await listContent(c, { source, includeArchived: false, limit: 5, cursor: first.next });
    expect(next.treeItems).toBeUndefined();
  });

  it('are kept per space in the run tally, each named with why', () => {
    const tally = new Tally(emptyProgress('2026-01-01T00:00:00Z'));
    tally.treeItems('ENG', { whiteboard: 2, folder: 1 }, [{ id: '7', type: 'whiteboard', title: 'Plan' }]);
    expect(tally.state.spaces.find((s) => s.key === 'ENG')?.notIngested).toEqual({ whiteboard: 2, folder: 1 });
    expect(tally.state.notIngestedItems).toEqual([
      {
        id: '7',
        type: 'whiteboard',
        title: 'Plan',
        spaceKey: 'ENG',
        reason: expect.stringMatching(/^whiteboard is not in --content-types/),
      },
    ]);
    // Three counted, one named: the report says its lists are cut.
    expect(listsTruncated(tally.state)).toBe(true);
  });
});

describe('a tree item by id (explain --ask-site)', () => {
  it('is found with its type, title and space in one search; a page, or one the account cannot see, is none', async () => {
    const c = client();
    const second = (await c.listSpaces({ limit: 10 })).items[1];
    const nodes = sim.site.nodesOf(second.id).filter(visibleToIngest);
    for (const type of ['folder', 'whiteboard', 'database', 'embed'] as const) {
      const node = nodes.find((n) => n.type === type)!;
      const before = sim.stats.total;
      expect(await c.getTreeItem?.(node.id)).toEqual({ id: node.id, type, title: node.title, spaceKey: second.key });
      expect(sim.stats.total - before).toBe(1);
    }
    const page = nodes.find((n) => n.type === 'page')!;
    expect(await c.getTreeItem?.(page.id)).toBeUndefined();
    const hidden = nodes.find((n) => n.type === 'whiteboard')!;
    sim.site.setRestriction(hidden.id, 'read', { userIds: [sim.site.users[1].id], groupIds: [] });
    expect(visibleToIngest(hidden)).toBe(false);
    expect(await c.getTreeItem?.(hidden.id)).toBeUndefined();
  });
});

describe('whiteboards, databases and embeds that --content-types names', () => {
  it('are sources of each Cloud space after its pages, and none on Data Center', () => {
    const selection = SelectionSchema.parse({ includeBlogposts: true, contentTypes: ['page', 'whiteboard', 'embed'] });
    const space = { id: '1', key: 'ENG', name: 'Eng' };
    const types = (cloud: boolean) => contentSources(selection, [space], cloud).map((s) => 'type' in s && s.type);
    expect(types(true)).toEqual(['page', 'blogpost', 'whiteboard', 'embed']);
    expect(types(false)).toEqual(['page', 'blogpost']);
    // A job from before --content-types lists pages, as it did.
    const old = { ...selection, contentTypes: undefined } as unknown as typeof selection;
    expect(contentSources(old, [space], true).map((s) => 'type' in s && s.type)).toEqual(['page', 'blogpost']);
  });

  it('are listed by type, with their versions and UI links', async () => {
    const space = await firstSpace();
    for (const type of ['whiteboard', 'database', 'embed'] as const) {
      const listing = await client().listPages(space, { limit: 100, type });
      const expected = sim.site.nodesOf(space.id).filter((n) => n.type === type && visibleToIngest(n));
      expect(listing.items.map((r) => r.id).sort()).toEqual(expected.map((n) => n.id).sort());
      for (const ref of listing.items) {
        const node = sim.site.node(ref.id)!;
        expect(ref).toMatchObject({ contentType: type, version: node.version.number, spaceKey: space.key });
        expect(ref.url).toContain(`/${ref.id}`);
      }
    }
  });

  it('become documents of their metadata, readable by exactly who can open them', async () => {
    const space = await firstSpace();
    const embed = sim.site.nodesOf(space.id).find((n) => n.type === 'embed' && n.parentId && visibleToIngest(n))!;
    const ref = (await client().listPages(space, { limit: 100, type: 'embed' })).items.find((r) => r.id === embed.id)!;
    const downloaded = await download(ref);
    if (!('document' in downloaded)) throw new Error(`skipped: ${downloaded.skipped}`);
    const { document, html } = downloaded;
    expect(html).toContain(`<h1>${embed.title}</h1>`);
    expect(html).toContain(`It links to ${(embed as { embedUrl?: string }).embedUrl}.`);
    const parent = sim.site.node(embed.parentId!)!;
    expect(html).toContain(`It sits under ${parent.type} ${parent.id}.`);
    expect(document.sourceIdentifiers.filename).toBe(`${embed.id}.html`);
    const source = document.metadata;
    expect(source.record_locator).toMatchObject({ space_id: space.key, document_id: embed.id, content_type: 'embed' });
    expect(source.version).toBe(String(embed.version.number));
    expect(source.date_created).toBe(embed.createdAt);
    expect(readers(source.permissions_data?.[0])).toEqual(oracle(embed.id));
  });

  it('take the restrictions of their ancestors and their own: a restricted whiteboard grants only its readers', async () => {
    const space = await firstSpace();
    const whiteboard = sim.site.nodesOf(space.id).find((n) => n.type === 'whiteboard' && visibleToIngest(n))!;
    const [, reader] = sim.site.users;
    sim.site.setRestriction(whiteboard.id, 'read', { userIds: [sim.site.users[0].id, reader.id], groupIds: [] });
    const ref = (await client().listPages(space, { limit: 100, type: 'whiteboard' })).items.find(
      (r) => r.id === whiteboard.id,
    )!;
    const chain = await client().getAncestors(whiteboard.id, 'whiteboard');
    expect(chain.map((a) => a.id)).toEqual(sim.site.ancestors(whiteboard.id).map((a) => a.id));
    const downloaded = await download(ref);
    if (!('document' in downloaded)) throw new Error(`skipped: ${downloaded.skipped}`);
    const granted = readers(downloaded.document.metadata.permissions_data?.[0]);
    expect(granted).toEqual(oracle(whiteboard.id));
    expect(granted.length).toBeLessThanOrEqual(2);
  });
});

function download(ref: PageRef) {
  const { site } = auth();
  const workFile = (name: string) => path.join(os.tmpdir(), 'tree-items', name);
  const permissions = PermissionsSchema.parse({ run: `tree-items-${ref.id}-${Date.now()}` });
  return downloadPage(client(), { site, ref, workFile, permissions });
}

/** The users an element's read set grants, groups expanded. */
function readers(read: Record<string, { users: string[]; groups: string[] }> | undefined): string[] {
  const set = read?.read;
  if (!set) return [];
  const viaGroups = set.groups.flatMap((id) => sim.site.group(id)?.memberIds ?? []);
  return [...new Set([...set.users, ...viaGroups])].sort();
}

/** The users the simulator lets open the content. */
function oracle(id: string): string[] {
  return sim.site.users
    .filter((u: SimUser) => sim.site.canView(u.id, id))
    .map((u) => u.id)
    .sort();
}
