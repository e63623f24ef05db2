// The worker's batched page reads over real HTTP: asks made together become one CQL search per 50 pages (a full batch
// goes out at once), each caller gets its own page, a rate limit is surfaced instead of becoming a request per page,
// and only a 500 (an answer too large to build) halves a batch.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type SimPage } from '../../simulator';
import { closeConfluencePools, createConfluenceClient, resolveAuth } from '../../src/connectors/confluence/client';
import { ConfluenceError } from '../../src/connectors/confluence/client/errors';
import { BATCH_POLICY, ContentBatcher } from '../../src/connectors/confluence/contentBatch';
import { AloneReads } from '../../src/connectors/confluence/readsAlone';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 12, spaces: 2, pagesPerSpace: 60 });
});
afterEach(() => sim.setFaults({}));
afterAll(async () => {
  await closeConfluencePools();
  await sim.close();
});

function batcher(policy = BATCH_POLICY): ContentBatcher {
  const { site, secrets } = resolveAuth({
    url: sim.url,
    cloud: true,
    username: sim.credentials.username,
    apiToken: sim.credentials.apiToken,
  });
  // No retries in-process: a rate limit reaches the caller at once.
  return new ContentBatcher(createConfluenceClient(site, secrets, { retry: { attempts: 1 } }), policy);
}

/** What the batcher is asked for a simulated page: its id and the version its listing gave. */
function listed(page: SimPage): { id: string; version: number } {
  return { id: page.id, version: page.version.number };
}

it('sends a batch as soon as 50 pages wait, each caller getting its own page', async () => {
  const pages = sim.site.pages.slice(0, 100);
  sim.stats.reset();
  // A window no test would wait out: only full batches can go.
  const read = batcher({ ...BATCH_POLICY, maxWaitMs: 600_000 });
  const got = await Promise.all(pages.map((p) => read.page(listed(p))));
  expect(got.map((p) => [p?.ref.id, p?.ref.version, p?.html.length ? 'html' : 'none'])).toEqual(
    pages.map((p) => [p.id, p.version.number, 'html']),
  );
  expect(sim.stats.byRoute.get('GET /rest/api/content/search')).toBe(2);
});

it('sends a smaller batch when its window ends, with the facts the resolver asks for next', async () => {
  const pages = sim.site.pages.slice(100, 120);
  sim.stats.reset();
  const read = batcher();
  const got = await Promise.all(pages.map((p) => read.page(listed(p))));
  expect(got.map((p) => p?.ref.id)).toEqual(pages.map((p) => p.id));
  expect(sim.stats.total).toBe(1);
  // Their permission facts came with them: asking now costs nothing.
  expect(await read.restrictions(pages[7].id)).toEqual({ read: [], update: [] });
  expect(sim.stats.total).toBe(1);
});

it('sends a batch once no ask has joined it for quietMs, without waiting out its window', async () => {
  const pages = sim.site.pages.slice(40, 46);
  sim.stats.reset();
  const read = batcher({ ...BATCH_POLICY, maxWaitMs: 600_000, quietMs: 200 });
  const asked: Promise<unknown>[] = [];
  // Asks 50 ms apart (under quietMs) keep joining the batch: one request for all of them.
  for (const page of pages) {
    asked.push(read.page(listed(page)));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const got = await Promise.all(asked);
  expect(got.every(Boolean)).toBe(true);
  expect(sim.stats.byRoute.get('GET /rest/api/content/search')).toBe(1);
});

it('holds a quiet batch while another is being read: the lull of a wave does not split the next into more requests', async () => {
  sim.setFaults({ latencyMs: 400 });
  const read = batcher({ ...BATCH_POLICY, maxWaitMs: 600_000, quietMs: 50, quietPages: 3 });
  const answeredAt = async (ids: string[]) => {
    await Promise.all(ids.map((id) => read.page(listed(sim.site.page(id)!))));
    return Date.now();
  };
  const first = answeredAt(sim.site.pages.slice(50, 53).map((p) => p.id));
  // Asked while the first batch is on its way: quiet after 50 ms, but sent only once the first answer is in.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const second = answeredAt(sim.site.pages.slice(53, 56).map((p) => p.id));
  const [firstAt, secondAt] = await Promise.all([first, second]);
  expect(secondAt - firstAt).toBeGreaterThanOrEqual(350);
});

it('keeps a small batch of a busy worker open for more pages until its window ends', async () => {
  const read = batcher({ ...BATCH_POLICY, maxWaitMs: 800, quietMs: 50, quietPages: 3 });
  await Promise.all(sim.site.pages.slice(60, 63).map((p) => read.page(listed(p))));
  // A batch just went out: two pages are not worth a request of their own at the first lull.
  const asked = Date.now();
  await Promise.all(sim.site.pages.slice(63, 65).map((p) => read.page(listed(p))));
  expect(Date.now() - asked).toBeGreaterThanOrEqual(750);
});

it('halves on a 500 only: each page of a batch that got a 503 is read alone, counted so', async () => {
  const pages = sim.site.pages.slice(80, 90);
  // The site's proxy answers 503 to everything for a while (no in-process retries here: attempts 1).
  sim.setFaults({ outage: { afterRequests: 0, seconds: 5 } });
  const read = batcher();
  const log = new AloneReads();
  const got = await Promise.allSettled(pages.map((p) => read.page(listed(p), log)));
  expect(got.map((p) => p.status)).toEqual(pages.map(() => 'rejected'));
  // One search, then one read per page: halving 10 pages down to single ones would have searched 19 times.
  expect(sim.faultCounters.outage503).toBe(1 + pages.length);
  expect(log.counts).toEqual({ 'batch-failed-503': { body: pages.length } });
});

for (const mode of ['cloud', 'dc'] as const) {
  it(`follows the search's pages when the server answers fewer results than asked (${mode})`, async () => {
    const capped = await startSimulator({ mode, seed: 12, spaces: 1, pagesPerSpace: 60, v1MaxLimit: 20 });
    try {
      const { username, apiToken, password } = capped.credentials;
      const { site, secrets } = resolveAuth(
        mode === 'cloud'
          ? { url: capped.url, cloud: true, username, apiToken }
          : { url: capped.url, cloud: false, username, password },
      );
      const ids = capped.site.pages.slice(0, 50).map((p) => p.id);
      const found = await createConfluenceClient(site, secrets).getContentBatch(ids, {
        bodies: true,
        maxBytes: BATCH_POLICY.maxBytes,
      });
      expect([...found.keys()]).toEqual(ids);
      expect(capped.stats.byRoute.get('GET /rest/api/content/search')).toBe(3);
    } finally {
      await capped.close();
    }
  });
}

it('surfaces a rate-limited batch as the rate limit, for every caller, without reading the pages one by one', async () => {
  sim.setFaults({
    rateLimitBursts: { everyRequests: 1, durationMs: 600_000, retryAfter: 3600 },
    only: '/content/search',
  });
  sim.stats.reset();
  const read = batcher();
  const asked = sim.site.pages.slice(0, 5).map((p) => read.page(listed(p)).catch((err: unknown) => err));
  for (const outcome of await Promise.all(asked)) {
    expect(outcome).toBeInstanceOf(ConfluenceError);
    expect((outcome as ConfluenceError).kind).toBe('rate-limit');
  }
  expect(sim.stats.total).toBe(1);
});
