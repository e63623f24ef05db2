// Rate limits and faults from the simulator: Retry-After honoured (seconds and HTTP dates), waits too long for a
// worker handed to Temporal, blocked users failed at once, and reads that survive 429 bursts, 5xx, resets and cut JSON.
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ApplicationFailure } from '@temporalio/common';
import { afterAll, describe, expect, it } from 'vitest';
import {
  closeConfluencePools,
  type ConfluenceError,
  createConfluenceClient,
  resolveAuth,
  toActivityFailure,
  type ClientOptions,
  type ConfluenceClient,
} from '../../src/connectors/confluence/client';
import { startSimulator, type RunningSimulator, type SimulatorOptionsInput } from '../../simulator';
import { until } from '../support/until';

const started: RunningSimulator[] = [];

afterAll(async () => {
  await closeConfluencePools();
  await Promise.all(started.map((s) => s.close()));
});

async function cloudSite(
  options: SimulatorOptionsInput,
  clientOptions: ClientOptions = {},
): Promise<{ sim: RunningSimulator; client: ConfluenceClient }> {
  const sim = await startSimulator({ mode: 'cloud', seed: 21, spaces: 1, pagesPerSpace: 10, ...options });
  started.push(sim);
  const { site, secrets } = resolveAuth({
    url: sim.url,
    cloud: true,
    username: sim.credentials.username,
    apiToken: sim.credentials.apiToken,
  });
  return { sim, client: createConfluenceClient(site, secrets, clientOptions) };
}

async function firstPageIds(client: ConfluenceClient, n: number): Promise<string[]> {
  const [space] = (await client.listSpaces({ limit: 1 })).items;
  return (await client.listPages(space, { limit: n })).items.map((p) => p.id);
}

const ONLY_PAGE_BODIES = '^/api/v2/pages/\\d+$';

describe('Retry-After', () => {
  it('waits at least the seconds the server asked for, then succeeds', async () => {
    const { sim, client } = await cloudSite({});
    const [a, b] = await firstPageIds(client, 2);
    sim.setFaults({ only: ONLY_PAGE_BODIES, rateLimitBursts: { everyRequests: 2, durationMs: 1000, retryAfter: 1 } });
    await client.getPage(a);
    const t0 = Date.now();
    const { ref } = await client.getPage(b); // the 2nd matching request opens a burst: 429, Retry-After: 1
    const waited = Date.now() - t0;
    expect(ref.id).toBe(b);
    expect(sim.faultCounters.burst429).toBe(1);
    expect(waited).toBeGreaterThanOrEqual(1000);
  });

  it('waits until an HTTP-date Retry-After', async () => {
    const { sim, client } = await cloudSite({});
    const [a] = await firstPageIds(client, 1);
    const retryAt = (Math.floor(Date.now() / 1000) + 2) * 1000;
    sim.setFaults({
      only: ONLY_PAGE_BODIES,
      rateLimitBursts: { everyRequests: 1, durationMs: 300, retryAfter: new Date(retryAt).toUTCString() },
    });
    const firstTry = client.getPage(a);
    // everyRequests: 1 would reject every retry too: let the retry through once the first 429 is out.
    await until(() => sim.faultCounters.burst429 === 1, 'the first 429');
    sim.setFaults({});
    await firstTry;
    expect(sim.faultCounters.burst429).toBe(1);
    expect(Date.now()).toBeGreaterThanOrEqual(retryAt);
  });

  it('hands a wait longer than maxWaitMs to Temporal as nextRetryDelay, and holds the site meanwhile', async () => {
    const { sim, client } = await cloudSite({}, { retry: { maxWaitMs: 5_000 } });
    const [a] = await firstPageIds(client, 1);
    sim.setFaults({
      only: ONLY_PAGE_BODIES,
      rateLimitBursts: { everyRequests: 1, durationMs: 120_000, retryAfter: 120 },
    });
    const t0 = Date.now();
    const failure = (await new MockActivityEnvironment()
      .run(async () => {
        try {
          return await client.getPage(a);
        } catch (err) {
          throw toActivityFailure(err);
        }
      })
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect([failure.type, failure.nonRetryable, failure.nextRetryDelay]).toEqual([
      'ConfluenceRateLimit',
      false,
      120_000,
    ]);
    const before = sim.stats.total;
    const again = (await client.listSpaces({ limit: 1 }).catch((e: unknown) => e)) as ConfluenceError;
    expect(again.kind).toBe('rate-limit');
    expect(again.retryAfterMs).toBeGreaterThan(100_000);
    expect(sim.stats.total).toBe(before);
  });
});

it('fails a Data Center user blocked with Retry-After 9223372036854775807 at once, non-retryable', async () => {
  const sim = await startSimulator({
    mode: 'dc',
    seed: 4,
    spaces: 1,
    pagesPerSpace: 3,
    faults: { rateLimitBursts: { everyRequests: 1, retryAfter: '9223372036854775807' } },
  });
  started.push(sim);
  const { site, secrets } = resolveAuth({ url: sim.url, token: sim.credentials.pat });
  const t0 = Date.now();
  const err = (await createConfluenceClient(site, secrets)
    .listSpaces({ limit: 5 })
    .catch((e: unknown) => e)) as ConfluenceError;
  expect(Date.now() - t0).toBeLessThan(2_000);
  expect([err.kind, err.retryable, err.retryAfterMs]).toEqual(['rate-limit', false, undefined]);
  expect(err.message).toMatch(/9223372036854775807 s .*blocked.*ask a Confluence admin/);
  expect((toActivityFailure(err) as ApplicationFailure).nonRetryable).toBe(true);
});

it('reads 300 pages and their bodies under 429 bursts, 5% 5xx, resets and truncated JSON', async () => {
  const { sim, client } = await cloudSite({ pagesPerSpace: 300 }, { retry: { baseDelayMs: 20, attempts: 8 } });
  sim.setFaults({
    serverErrorRate: 0.05,
    resetRate: 0.02,
    truncateRate: 0.02,
    rateLimitBursts: { everyRequests: 150, durationMs: 200, retryAfter: 1 },
  });
  const [space] = (await client.listSpaces({ limit: 1 })).items;
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listPages(space, { cursor, limit: 25 });
    ids.push(...page.items.map((p) => p.id));
    cursor = page.next;
  } while (cursor);
  expect(new Set(ids).size).toBe(300);
  const bodies = await Promise.all(ids.map((id) => client.getPage(id)));
  expect(bodies.filter((b) => b.html.length > 0).length).toBe(300);
  const c = sim.faultCounters;
  expect(c.serverErrors).toBeGreaterThan(0);
  expect(c.resets).toBeGreaterThan(0);
  expect(c.truncated).toBeGreaterThan(0);
  expect(c.burst429).toBeGreaterThan(0);
});

it('stays under a Data Center token bucket by following its headers, with few refusals', async () => {
  const sim = await startSimulator({
    mode: 'dc',
    seed: 8,
    spaces: 1,
    pagesPerSpace: 40,
    faults: { requestsPerSecond: 20, burstSize: 5 },
  });
  started.push(sim);
  const { site, secrets } = resolveAuth({ url: sim.url, token: sim.credentials.pat });
  const client = createConfluenceClient(site, secrets);
  const [space] = (await client.listSpaces({ limit: 1 })).items;
  const refs = (await client.listPages(space, { limit: 40 })).items;
  const t0 = Date.now();
  const bodies = await Promise.all(refs.map((r) => client.getPage(r.id)));
  expect(bodies.length).toBe(40);
  // 40 calls at 20/s after a burst of 5 take at least (40 - 5) / 20 s, however they are spread.
  expect(Date.now() - t0).toBeGreaterThanOrEqual(1_500);
  // The first refusal carries FillRate/Interval-Seconds; from then on request starts are spaced to that rate
  // (halving concurrency alone does not bound a rate: it was refused ~30 times that way).
  expect(sim.faultCounters.rps429).toBeLessThan(10);
});
