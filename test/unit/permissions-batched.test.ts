// Ancestors and restrictions of the pages a worker resolves at once are read in one CQL search each batch: the same
// permissions as one request per page and kind (every page of a restricted site, Cloud and Data Center), for far fewer
// requests.
import { afterAll, expect, it } from 'vitest';
import { startSimulator, type SimPage } from '../../simulator';
import { closeConfluencePools, createConfluenceClient, resolveAuth } from '../../src/connectors/confluence/client';
import { clientPermissionSource, PermissionResolver } from '../../src/connectors/confluence/permissions';

afterAll(() => closeConfluencePools());

for (const mode of ['cloud', 'dc'] as const) {
  it(`gives every page the same permissions batched as one by one, with fewer requests (${mode})`, async () => {
    const sim = await startSimulator({
      mode,
      seed: 9,
      spaces: 2,
      pagesPerSpace: 30,
      users: 6,
      permissions: 'restricted',
    });
    try {
      const admin = sim.site.users[0];
      const auth =
        mode === 'cloud'
          ? resolveAuth({ url: sim.url, cloud: true, username: admin.email, apiToken: admin.apiToken })
          : resolveAuth({ url: sim.url, cloud: false, username: admin.username, password: admin.password });
      const client = createConfluenceClient(auth.site, auth.secrets);
      const batched = clientPermissionSource(auth.site, client);
      // Batched reads switched off: every page through its own ancestors and restrictions endpoints.
      const unbatched = {
        ...batched,
        ancestors: (id: string) => client.getAncestors(id),
        restrictions: (id: string) => client.getRestrictions(id),
      };
      const resolver = (source = batched) => new PermissionResolver(source, { maxNumMetadataPermissions: 10_000 });
      const pages = sim.site.pages.filter((p) => p.status === 'current');
      const refOf = (p: SimPage) => ({
        id: p.id,
        spaceId: p.spaceId,
        spaceKey: sim.site.space(p.spaceId)!.key,
        contentType: p.type,
      });

      sim.stats.reset();
      const oneByOne = resolver(unbatched);
      const alone = [];
      for (const page of pages) alone.push(await oneByOne.resolve(refOf(page)));
      const perPage = () =>
        sim.stats.routeCount('/restriction/byOperation') +
        sim.stats.routeCount('/ancestors') +
        sim.stats.routeCount('expand=ancestors');
      const aloneRequests = perPage() + sim.stats.routeCount('/content/search');

      sim.stats.reset();
      const shared = resolver();
      const together = await Promise.all(pages.map((page) => shared.resolve(refOf(page))));
      const batchedReads = perPage() + sim.stats.routeCount('/content/search');

      expect(together).toEqual(alone);
      expect(aloneRequests).toBeGreaterThanOrEqual(pages.length);
      expect(batchedReads).toBeLessThan(pages.length / 4);
    } finally {
      await sim.close();
    }
  });
}
