// Live docs are pages (v2 `subtype: "live"`): a space's listing carries them like any page, so they are ingested.
import { afterAll, expect, it } from 'vitest';
import { closeConfluencePools, createConfluenceClient, resolveAuth } from '../../src/connectors/confluence/client';
import { startSimulator } from '../../simulator';

afterAll(() => closeConfluencePools());

it('lists live docs among the pages of a space', async () => {
  const sim = await startSimulator({ seed: 24, spaces: 1, pagesPerSpace: 10, liveDocsPerSpace: 3 });
  try {
    const { username, apiToken } = sim.credentials;
    const { site, secrets } = resolveAuth({ url: sim.url, cloud: true, username, apiToken });
    const client = createConfluenceClient(site, secrets);
    const [space] = (await client.listSpaces({ limit: 10 })).items;
    const listed = (await client.listPages(space, { limit: 250 })).items.map((r) => r.id);
    const live = sim.site.pages.filter((p) => p.subtype === 'live').map((p) => p.id);
    expect(live).toHaveLength(3);
    expect(listed).toEqual(expect.arrayContaining(live));
    expect(listed).toHaveLength(sim.site.pagesOf(space.id).filter((p) => p.type === 'page').length);
  } finally {
    await sim.close();
  }
});
