// Points-based quotas: the headers Confluence Cloud sends (beta and enforced, Atlassian's examples) and the IETF drafts
// read into budgets; a client against a simulator with a points quota paces itself instead of running into 429s.
import { afterAll, describe, expect, it } from 'vitest';
import { closeConfluencePools, createConfluenceClient, resolveAuth } from '../../src/connectors/confluence/client';
import { readBudgets } from '../../src/connectors/confluence/client/rate-policy';
import { startSimulator, type RunningSimulator } from '../../simulator';

describe('readBudgets', () => {
  it('reads a beta policy with no remaining (well within the quota)', () => {
    const budgets = readBudgets({
      'beta-ratelimit-policy': '"global-app-quota";q=65000;w=3600',
      'beta-ratelimit': '"global-app-quota";t=3200',
    });
    expect(budgets).toEqual([
      { policy: 'global-app-quota', limit: 65000, windowSeconds: 3600, remaining: undefined, resetMs: 3_200_000 },
    ]);
  });

  it('reads several quotas in one header, near the limit', () => {
    const budgets = readBudgets({
      'beta-ratelimit-policy': '"global-app-quota";q=65000;w=3600,"confluence-burst-based";q=100;w=1',
      'beta-ratelimit': '"global-app-quota";r=11000;t=600, "confluence-burst-based";r=90;t=1',
    });
    expect(budgets).toEqual([
      { policy: 'global-app-quota', limit: 65000, windowSeconds: 3600, remaining: 11000, resetMs: 600_000 },
      { policy: 'confluence-burst-based', limit: 100, windowSeconds: 1, remaining: 90, resetMs: 1000 },
    ]);
  });

  it('reads an exhausted quota without its policy, and enforced headers beside beta ones', () => {
    expect(readBudgets({ 'beta-ratelimit': '"global-app-quota";r=0;t=50', 'beta-retry-after': '50' })).toEqual([
      { policy: 'global-app-quota', remaining: 0, resetMs: 50_000 },
    ]);
    const mixed = readBudgets({
      'ratelimit-policy': '"global-app-quota";q=65000;w=3600',
      ratelimit: '"global-app-quota";t=200',
      'beta-ratelimit-policy': '"confluence-burst-based";q=100;w=1',
      'beta-ratelimit': '"confluence-burst-based";r=90;t=1',
    });
    expect(mixed.map((b) => [b.policy, b.limit, b.remaining])).toEqual([
      ['confluence-burst-based', 100, 90],
      ['global-app-quota', 65000, undefined],
    ]);
  });

  it('reads the IETF drafts: an unnamed policy and the draft-7 dictionary', () => {
    expect(readBudgets({ 'ratelimit-policy': '100;w=60', ratelimit: 'limit=100, remaining=50, reset=30' })).toEqual([
      { policy: 'default', limit: 100, windowSeconds: 60, remaining: 50, resetMs: 30_000 },
    ]);
  });

  it('reads the X-Beta-RateLimit-* twins, with an ISO 8601 reset', () => {
    const now = Date.parse('2026-03-26T16:25:00Z');
    const budgets = readBudgets(
      {
        'x-beta-ratelimit-limit': '350',
        'x-beta-ratelimit-remaining': '0',
        'x-beta-ratelimit-reset': '2026-03-26T16:26:00Z',
      },
      now,
    );
    expect(budgets).toEqual([{ policy: 'x-beta-ratelimit', limit: 350, remaining: 0, resetMs: 60_000 }]);
  });

  it('ignores what it cannot read', () => {
    expect(readBudgets({ ratelimit: '"q";r=abc;t=-1', 'ratelimit-policy': 'garbage' })).toEqual([
      { policy: 'default', limit: undefined, windowSeconds: undefined },
      { policy: 'q', remaining: undefined },
    ]);
  });
});

describe('pacing a points quota', () => {
  const started: RunningSimulator[] = [];
  afterAll(async () => {
    await closeConfluencePools();
    await Promise.all(started.map((s) => s.close()));
  });

  async function readAll(beta: boolean) {
    const sim = await startSimulator({ mode: 'cloud', seed: 24, spaces: 1, pagesPerSpace: 60 });
    started.push(sim);
    const { site, secrets } = resolveAuth({
      url: sim.url,
      cloud: true,
      username: sim.credentials.username,
      apiToken: sim.credentials.apiToken,
    });
    const client = createConfluenceClient(site, secrets, { pool: { maxConcurrency: 4 } });
    const [space] = (await client.listSpaces({ limit: 1 })).items;
    const ids = (await client.listPages(space, { limit: 60 })).items.map((p) => p.id);
    sim.setFaults({ pointsQuota: { points: 20, windowSeconds: 1, beta } });
    sim.stats.reset();
    const t0 = Date.now();
    await Promise.all(ids.map((id) => client.getPage(id)));
    return { sim, ms: Date.now() - t0, requests: sim.stats.total };
  }

  it('spends an enforced quota so it lasts until the reset: no 429s', { timeout: 30_000 }, async () => {
    const { sim, requests, ms } = await readAll(false);
    expect(requests).toBeGreaterThanOrEqual(60);
    expect(sim.faultCounters.overQuota).toBe(0);
    // 60 points at 20 a second cannot take less than two windows.
    expect(ms).toBeGreaterThanOrEqual(2000);
  });

  it('keeps to a beta quota too, which would refuse nothing', { timeout: 30_000 }, async () => {
    const { sim, requests } = await readAll(true);
    expect(requests).toBeGreaterThanOrEqual(60);
    expect(sim.faultCounters.overQuota).toBe(0);
  });
});
