// Pages read outside their batch on Data Center, over real HTTP: what search cannot give fresh (a page it has not
// indexed yet, or indexed before an edit) is read alone in one request with its ancestors and restrictions, not three;
// the page whose ask sent a batch out being cancelled does not abort the batch for the others; every read alone is
// counted with why.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type RunningSimulator, type SimPage, startSimulator } from '../../simulator';
import { closeConfluencePools, createConfluenceClient, resolveAuth } from '../../src/connectors/confluence/client';
import type { ConfluenceClient } from '../../src/connectors/confluence/client/clientTypes';
import { BATCH_POLICY, ContentBatcher } from '../../src/connectors/confluence/contentBatch';
import { AloneReads } from '../../src/connectors/confluence/readsAlone';

let sim: RunningSimulator;
let client: ConfluenceClient;
/** The cancellation signal of the "activity" a request is made for, as the worker's Context.current() gives it. */
const activity = new AsyncLocalStorage<AbortSignal>();
/** Batches go out at the first lull, whatever their size. */
const POLICY = { ...BATCH_POLICY, quietPages: 1 };

beforeAll(async () => {
  // Search sees an edit or a new page ten minutes after it is made: never within this file.
  sim = await startSimulator({ mode: 'dc', seed: 24, spaces: 1, pagesPerSpace: 30, users: 205, searchLagMs: 600_000 });
  const { username, password } = sim.credentials;
  const { site, secrets } = resolveAuth({ url: sim.url, cloud: false, username, password });
  client = createConfluenceClient(site, secrets, { retry: { attempts: 1 }, signal: () => activity.getStore() });
});
afterEach(() => sim.setFaults({}));
afterAll(async () => {
  await closeConfluencePools();
  await sim.close();
});

function listed(page: SimPage): { id: string; version: number; contentType: 'page' } {
  return { id: page.id, version: page.version.number, contentType: 'page' };
}

/** Downloads the pages as the download step does: each body, then the facts its permissions need. */
async function download(read: ContentBatcher, pages: SimPage[], log: AloneReads) {
  return Promise.all(
    pages.map(async (page) => {
      const body = await read.page(listed(page), log);
      const [ancestors, restrictions] = await Promise.all([
        read.ancestors(page.id, 'page', log),
        read.restrictions(page.id, log),
      ]);
      return { version: body.ref.version, ancestors: ancestors.map((a) => a.id), restrictions };
    }),
  );
}

function aloneRequests() {
  return {
    search: sim.stats.routeCount('/content/search'),
    content: sim.stats.byRoute.get('GET /rest/api/content/{id}') ?? 0,
    restrictions: sim.stats.routeCount('/restriction/byOperation'),
  };
}

it('reads a page search has not indexed, or indexed before an edit, alone in one request with its facts', async () => {
  const [edited, parent, ...rest] = sim.site.pages.filter((p) => p.type === 'page' && p.parentId !== null);
  sim.site.editPage(edited.id, { title: `${edited.title} (edited)` });
  const added = sim.site.addPage({ spaceId: parent.spaceId, parentId: parent.id, title: 'Written just now' });
  const pages = [edited, added, ...rest.slice(0, 4)];
  const expected = pages.map((p) => ({
    version: p.version.number,
    ancestors: sim.site.ancestors(p.id).map((a) => a.id),
    restrictions: { read: [], update: [] },
  }));

  sim.stats.reset();
  const log = new AloneReads();
  expect(await download(new ContentBatcher(client, POLICY), pages, log)).toEqual(expected);
  // One search for the six, and one read for each page it could not give fresh: body, ancestors and restrictions.
  expect(aloneRequests()).toEqual({ search: 1, content: 2, restrictions: 0 });
  expect(log.counts).toEqual({ 'older-version': { page: 1 }, 'not-in-answer': { page: 1 } });

  // Each from an endpoint of its own, as Cloud reads them (and as Data Center did before): three requests a page.
  const apart: ConfluenceClient = Object.assign(Object.create(client), {
    getPageWithFacts: undefined,
    getFacts: undefined,
  });
  sim.stats.reset();
  const before = new AloneReads();
  expect(await download(new ContentBatcher(apart, POLICY), pages, before)).toEqual(expected);
  expect(aloneRequests()).toEqual({ search: 1, content: 4, restrictions: 2 });
  const threeReads = { body: 1, ancestors: 1, restrictions: 1 };
  expect(before.counts).toEqual({ 'older-version': threeReads, 'not-in-answer': threeReads });
});

it('reads a batch for all its pages though the ask that sent it out is cancelled', async () => {
  const pages = sim.site.pages.filter((p) => p.type === 'page').slice(10, 14);
  sim.setFaults({ latencyMs: 300 });
  sim.stats.reset();
  const read = new ContentBatcher(client, POLICY);
  const log = new AloneReads();
  const asked = pages.map((page) => {
    const cancel = new AbortController();
    const body = activity.run(cancel.signal, () => read.page(listed(page), log));
    return { cancel, body };
  });
  // The last ask is the one whose lull sends the batch out; its step is cancelled while the search is on its way.
  await sleep(POLICY.quietMs + 150);
  asked[asked.length - 1].cancel.abort();
  const bodies = await Promise.all(asked.slice(0, -1).map((a) => a.body));
  expect(bodies.map((b) => b.ref.id)).toEqual(pages.slice(0, -1).map((p) => p.id));
  expect([aloneRequests(), log.counts]).toEqual([{ search: 1, content: 0, restrictions: 0 }, {}]);
});

it('reads a restriction list as long as the expansion page alone, in full, counted so', async () => {
  const page = sim.site.pages.filter((p) => p.type === 'page' && p.parentId !== null)[8];
  // 201 users: the search's expansion lists 200 (its page) and more may follow.
  page.restrictions.read = { userIds: sim.site.users.slice(0, 201).map((u) => u.id), groupIds: [] };
  sim.stats.reset();
  const log = new AloneReads();
  const read = new ContentBatcher(client, POLICY);
  expect((await read.restrictions(page.id, log)).read).toHaveLength(201);
  expect(log.counts).toEqual({ 'restrictions-past-expansion': { facts: 1 } });
  // The search, the page's facts (its list cut at 200 again), then the list page by page: 100, 100 and 1.
  expect(aloneRequests()).toEqual({ search: 1, content: 1, restrictions: 3 });
});
