// The simulator's CQL search as batched reads use it: Confluence's reduced limit for expanded bodies, cursor (Cloud)
// and
// start (Data Center) pages, eventual consistency (edits show up after a lag) and a 500 for very large answers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSimulator, type RunningSimulator } from '..';

interface SearchPage {
  results: { id: string; title: string; version?: { number: number }; body?: { view?: { value: string } } }[];
  limit: number;
  size: number;
  _links: { next?: string };
}

const sims: RunningSimulator[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function start(
  mode: 'cloud' | 'dc',
  extra: Parameters<typeof startSimulator>[0] = {},
): Promise<RunningSimulator> {
  const sim = await startSimulator({ mode, seed: 4, spaces: 1, pagesPerSpace: 80, ...extra });
  sims.push(sim);
  return sim;
}

function authOf(sim: RunningSimulator): string {
  const { username, apiToken, password } = sim.credentials;
  return `Basic ${Buffer.from(`${username}:${sim.mode === 'cloud' ? apiToken : password}`).toString('base64')}`;
}

function searchUrl(sim: RunningSimulator, query: Record<string, string>): string {
  const v1 = sim.mode === 'cloud' ? `${sim.url}/wiki/rest/api` : `${sim.url}/rest/api`;
  return `${v1}/content/search?${new URLSearchParams(query)}`;
}

async function search(sim: RunningSimulator, url: string): Promise<{ status: number; body: SearchPage }> {
  const res = await fetch(url, { headers: { authorization: authOf(sim) } });
  return { status: res.status, body: (await res.json()) as SearchPage };
}

/** Every page of a search, following the cursor of `next` (Cloud) or advancing `start` (Data Center). */
async function searchAll(
  sim: RunningSimulator,
  query: Record<string, string>,
): Promise<{ ids: string[]; pages: SearchPage[] }> {
  const pages: SearchPage[] = [];
  const base = sim.mode === 'cloud' ? `${sim.url}/wiki/rest/api` : `${sim.url}/rest/api`;
  let url: string | undefined = searchUrl(sim, query);
  for (let start = 0; url; ) {
    const { status, body } = await search(sim, url);
    expect(status).toBe(200);
    pages.push(body);
    start += body.size;
    if (sim.mode === 'cloud')
      url = body._links.next ? `${base}${body._links.next.replace(/^\/rest\/api/, '')}` : undefined;
    else url = body.size > 0 ? searchUrl(sim, { ...query, start: String(start) }) : undefined;
  }
  return { ids: pages.flatMap((p) => p.results.map((r) => r.id)), pages };
}

const idsIn = (sim: RunningSimulator, n: number) => sim.site.pages.slice(0, n).map((p) => p.id);

for (const mode of ['cloud', 'dc'] as const) {
  describe(`simulator CQL search (${mode})`, () => {
    it('cuts a search that expands bodies to 50 results a page and pages the rest, each result once', async () => {
      const sim = await start(mode);
      const ids = idsIn(sim, 80);
      const cql = `id in (${ids.join(',')})`;
      const withBodies = await searchAll(sim, { cql, limit: '80', expand: 'body.view,version' });
      expect(withBodies.pages[0].limit).toBe(50);
      expect(withBodies.pages[0].size).toBe(50);
      expect(withBodies.ids).toEqual(ids);
      expect(withBodies.pages[0].results[0].body?.view?.value).toContain('<');
      const plain = await searchAll(sim, { cql, limit: '80', expand: 'version' });
      expect(plain.pages[0].size).toBe(80);
    });

    it('shows an edit, and a new page, only after the search lag; the page itself is fresh at once', async () => {
      // The lag is measured on the simulator's clock (Date.now): the test moves it instead of sleeping.
      vi.useFakeTimers({ toFake: ['Date'] });
      const sim = await start(mode, { searchLagMs: 1500 });
      const page = sim.site.pages[3];
      const [before, titleBefore] = [page.version.number, page.title];
      sim.site.editPage(page.id, { title: 'Edited after indexing' });
      const added = sim.site.addPage({ spaceId: page.spaceId, title: 'Brand new page' });
      const cql = `id in (${page.id},${added.id})`;
      const lagging = await search(sim, searchUrl(sim, { cql, expand: 'version,body.view' }));
      expect(lagging.body.results.map((r) => [r.id, r.version?.number, r.title])).toEqual([
        [page.id, before, titleBefore],
      ]);
      const v1 = sim.mode === 'cloud' ? `${sim.url}/wiki/rest/api` : `${sim.url}/rest/api`;
      const own = (await (
        await fetch(`${v1}/content/${page.id}?expand=version`, { headers: { authorization: authOf(sim) } })
      ).json()) as SearchPage['results'][0];
      expect([own.version?.number, own.title]).toEqual([before + 1, 'Edited after indexing']);

      vi.setSystemTime(Date.now() + 1499);
      const stillLagging = await search(sim, searchUrl(sim, { cql, expand: 'version' }));
      expect(stillLagging.body.results.map((r) => r.version?.number)).toEqual([before]);
      vi.setSystemTime(Date.now() + 1);
      const caughtUp = await search(sim, searchUrl(sim, { cql, expand: 'version' }));
      expect(caughtUp.body.results.map((r) => [r.id, r.version?.number, r.title])).toEqual([
        [page.id, before + 1, 'Edited after indexing'],
        [added.id, 1, 'Brand new page'],
      ]);
    });

    it('answers 500 when an answer would be larger than maxAnswerBytes, and serves smaller ones', async () => {
      const sim = await start(mode, { faults: { maxAnswerBytes: 60_000 } });
      const ids = idsIn(sim, 40);
      const big = await search(
        sim,
        searchUrl(sim, { cql: `id in (${ids.join(',')})`, limit: '40', expand: 'body.view' }),
      );
      expect(big.status).toBe(500);
      const small = await search(sim, searchUrl(sim, { cql: `id in (${ids[0]})`, expand: 'body.view' }));
      expect([small.status, small.body.size]).toEqual([200, 1]);
    });
  });
}

it('cuts a Cloud search expanding export_view or styled_view to 25 results, as its spec says', async () => {
  const sim = await start('cloud');
  const cql = `id in (${idsIn(sim, 40).join(',')})`;
  for (const format of ['export_view', 'styled_view']) {
    const { body } = await search(sim, searchUrl(sim, { cql, limit: '40', expand: `body.${format}` }));
    expect([body.limit, body.size]).toEqual([25, 25]);
  }
});
