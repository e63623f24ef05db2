// Folders, whiteboards, databases and embeds are counted by type with the first page of a Cloud space's listing (one
// CQL search), for the report: none is ingested. Data Center has none of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeConfluencePools, createConfluenceClient, resolveAuth } from '../../src/connectors/confluence/client';
import { listContent } from '../../src/connectors/confluence/indexer';
import { emptyProgress, Tally } from '../../src/pipeline/progress';
import { startSimulator, type RunningSimulator } from '../../simulator';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({
    seed: 24,
    spaces: 2,
    pagesPerSpace: 12,
    foldersPerSpace: 2,
    treeItemsPerSpace: 5,
    v1Removed: true,
  });
});
afterAll(async () => {
  await closeConfluencePools();
  await sim.close();
});

const client = () => {
  const { username, apiToken } = sim.credentials;
  const { site, secrets } = resolveAuth({ url: sim.url, cloud: true, username, apiToken });
  return createConfluenceClient(site, secrets);
};

describe('tree items in the report', () => {
  it('counts each type of a space once, with the first page of its pages', async () => {
    const c = client();
    const [space] = (await c.listSpaces({ limit: 10 })).items;
    const source = { kind: 'space' as const, space, type: 'page' as const };
    const first = await listContent(c, { source, includeArchived: false, limit: 5 });
    const expected: Record<string, number> = {};
    for (const n of sim.site.nodesOf(space.id)) {
      if (n.type !== 'page' && n.type !== 'blogpost') expected[n.type] = (expected[n.type] ?? 0) + 1;
    }
    expect(first.treeItems).toEqual(expected);
    expect(Object.keys(expected).sort()).toEqual(['database', 'embed', 'folder', 'whiteboard']);
    expect(first.items.every((r) => r.contentType === 'page')).toBe(true);
    const next = await listContent(c, { source, includeArchived: false, limit: 5, cursor: first.next });
    expect(next.treeItems).toBeUndefined();
  });

  it('keeps them per space in the run tally', () => {
    const tally = new Tally(emptyProgress('2026-01-01T00:00:00Z'));
    tally.treeItems('ENG', { whiteboard: 2, folder: 1 });
    expect(tally.state.spaces.find((s) => s.key === 'ENG')?.notIngested).toEqual({ whiteboard: 2, folder: 1 });
  });
});
