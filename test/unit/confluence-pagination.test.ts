// Pagination never truncates: a space of 1,234 pages read 25 at a time yields exactly 1,234 distinct refs.
import { afterAll, describe, expect, it } from 'vitest';
import {
  closeConfluencePools,
  createConfluenceClient,
  resolveAuth,
  type AuthInput,
  type ConfluenceClient,
} from '../../src/connectors/confluence/client';
import { startSimulator, type RunningSimulator } from '../../simulator';

const PAGES = 1234;
const started: RunningSimulator[] = [];

afterAll(async () => {
  await closeConfluencePools();
  await Promise.all(started.map((s) => s.close()));
});

async function readAll(client: ConfluenceClient, limit: number): Promise<{ ids: string[]; calls: number }> {
  const [space] = (await client.listSpaces({ limit: 10 })).items;
  const ids: string[] = [];
  let cursor: string | undefined;
  let calls = 0;
  do {
    const page = await client.listPages(space, { cursor, limit });
    ids.push(...page.items.map((r) => r.id));
    cursor = page.next;
    calls++;
  } while (cursor);
  return { ids, calls };
}

async function simulated(mode: 'cloud' | 'dc'): Promise<RunningSimulator> {
  const sim = await startSimulator({ mode, seed: 11, spaces: 1, pagesPerSpace: PAGES });
  started.push(sim);
  return sim;
}

describe(`a space of ${PAGES} pages, limit 25`, () => {
  it('Cloud (v2 cursors) yields every page exactly once', async () => {
    const sim = await simulated('cloud');
    const auth: AuthInput = {
      url: sim.url,
      cloud: true,
      username: sim.credentials.username,
      apiToken: sim.credentials.apiToken,
    };
    const { site, secrets } = resolveAuth(auth);
    const { ids, calls } = await readAll(createConfluenceClient(site, secrets), 25);
    expect(ids.length).toBe(PAGES);
    expect(new Set(ids).size).toBe(PAGES);
    expect(calls).toBe(Math.ceil(PAGES / 25));
  });

  it('Data Center (v1 offsets, unreliable next links) yields every page exactly once', async () => {
    const sim = await simulated('dc');
    const { site, secrets } = resolveAuth({
      url: sim.url,
      username: sim.credentials.username,
      password: sim.credentials.password,
    });
    const { ids, calls } = await readAll(createConfluenceClient(site, secrets), 25);
    expect(ids.length).toBe(PAGES);
    expect(new Set(ids).size).toBe(PAGES);
    // One extra call: the empty page that ends an offset listing.
    expect(calls).toBe(Math.ceil(PAGES / 25) + 1);
  });

  it('Data Center silently capping a larger limit still yields every page', async () => {
    const sim = started.find((s) => s.mode === 'dc') ?? (await simulated('dc'));
    const { site, secrets } = resolveAuth({ url: sim.url, token: sim.credentials.pat });
    const { ids } = await readAll(createConfluenceClient(site, secrets), 250);
    expect(sim.options.v1MaxLimit).toBeLessThan(250);
    expect(ids.length).toBe(PAGES);
    expect(new Set(ids).size).toBe(PAGES);
  });
});
