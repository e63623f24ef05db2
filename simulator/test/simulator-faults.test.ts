// Seeded fault injection: rate-limit bursts, token bucket, 5xx, resets, slow and truncated bodies, latency, revoked
// credentials and outages.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSimulator, type RunningSimulator, type SimulatorOptionsInput } from '..';

const started: RunningSimulator[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(started.splice(0).map((s) => s.close()));
});

/**
 * Bursts, the token bucket and outages end by the simulator's clock (Date.now): a test that sees them end moves that
 * clock on instead of sleeping, and nothing else in the test can move it meanwhile. Call before the simulator starts.
 */
function stopTheClock(): void {
  vi.useFakeTimers({ toFake: ['Date'] });
}

function advanceClock(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

async function start(options: SimulatorOptionsInput): Promise<RunningSimulator> {
  const sim = await startSimulator({ spaces: 1, pagesPerSpace: 5, ...options });
  started.push(sim);
  return sim;
}

function request(sim: RunningSimulator, path = '/wiki/api/v2/spaces'): Promise<Response> {
  const { username, apiToken, password } = sim.credentials;
  const secret = sim.mode === 'cloud' ? apiToken : password;
  const url = sim.mode === 'cloud' ? `${sim.url}${path}` : `${sim.url}/rest/api/space`;
  return fetch(url, { headers: { authorization: `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}` } });
}

async function statuses(sim: RunningSimulator, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await request(sim);
    await res.arrayBuffer();
    out.push(res.status);
  }
  return out;
}

describe('simulator faults', () => {
  it('opens a 429 burst every N requests with Retry-After and the Cloud rate-limit headers', async () => {
    stopTheClock();
    const sim = await start({ faults: { rateLimitBursts: { everyRequests: 4, durationMs: 1000, retryAfter: 1 } } });
    expect(await statuses(sim, 3)).toEqual([200, 200, 200]);
    const limited = await request(sim);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Date.parse(limited.headers.get('x-ratelimit-reset')!)).toBeGreaterThan(Date.now() - 1000);
    expect(limited.headers.get('ratelimit-reason')).toBeTruthy();
    expect(((await limited.json()) as { errors: { status: number }[] }).errors[0].status).toBe(429);
    expect((await request(sim)).status).toBe(429);
    advanceClock(999);
    expect((await request(sim)).status).toBe(429);
    advanceClock(1);
    expect((await request(sim)).status).toBe(200);
    expect(sim.faultCounters.burst429).toBe(3);
    expect(sim.stats.rateLimited).toBe(3);
  });

  it('limits requests per second with a token bucket and announces it with Data Center headers', async () => {
    stopTheClock();
    const sim = await start({ mode: 'dc', faults: { requestsPerSecond: 1, burstSize: 2 } });
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => request(sim)));
    const codes = results.map((r) => r.status).sort();
    expect(codes).toEqual([200, 200, 429, 429, 429]);
    const limited = results.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-ratelimit-fillrate')).toBe('1');
    expect(limited.headers.get('x-ratelimit-interval-seconds')).toBe('1');
    advanceClock(1000);
    expect((await request(sim)).status).toBe(200);
    expect((await request(sim)).status).toBe(429);
    expect(sim.faultCounters.rps429).toBe(4);
  });

  it('passes a literal Retry-After through, such as the blocked-user value Data Center sends', async () => {
    const sim = await start({
      mode: 'dc',
      faults: { rateLimitBursts: { everyRequests: 1, retryAfter: '9223372036854775807' } },
    });
    const res = await request(sim);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('9223372036854775807');
  });

  it('answers a seeded share of requests with 5xx, deterministically for a seed', async () => {
    const faults = { serverErrorRate: 0.3 };
    const [a, b, c] = await Promise.all([
      start({ seed: 9, faults }),
      start({ seed: 9, faults }),
      start({ seed: 10, faults }),
    ]);
    const [sa, sb, sc] = await Promise.all([statuses(a, 60), statuses(b, 60), statuses(c, 60)]);
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    const errors = sa.filter((s) => s >= 500);
    expect(errors.length).toBeGreaterThan(6);
    expect(errors.length).toBeLessThan(36);
    expect(new Set(errors).size).toBeGreaterThan(1);
    expect(errors.every((s) => [500, 502, 503, 504].includes(s))).toBe(true);
    expect(a.faultCounters.serverErrors).toBe(errors.length);
  });

  it('resets connections, truncates JSON and trickles bodies when asked', async () => {
    const sim = await start({ faults: { resetRate: 1 } });
    await expect(request(sim)).rejects.toThrow();
    expect(sim.faultCounters.resets).toBe(1);

    sim.setFaults({ truncateRate: 1 });
    const truncated = await request(sim);
    expect(truncated.status).toBe(200);
    const text = await truncated.text();
    expect(Buffer.byteLength(text)).toBe(Number(truncated.headers.get('content-length')));
    expect(() => JSON.parse(text)).toThrow();
    expect(sim.faultCounters.truncated).toBe(1);

    sim.setFaults({ slowBodyRate: 1, slowBodyMs: 240 });
    const t0 = Date.now();
    const slow = await request(sim);
    const body = (await slow.json()) as { results: unknown[] };
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180);
    expect(body.results.length).toBe(1);
    expect(sim.faultCounters.slowBodies).toBe(1);
  });

  it('adds latency, applies faults only to matching paths, and can be switched off at run time', async () => {
    const sim = await start({ faults: { latencyMs: 120 } });
    const t0 = Date.now();
    expect((await request(sim)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);

    const page = sim.site.pages[0];
    sim.setFaults({ serverErrorRate: 1, only: '^/api/v2/pages/\\d+$' });
    expect((await request(sim)).status).toBe(200);
    expect((await request(sim, `/wiki/api/v2/pages/${page.id}`)).status).toBeGreaterThanOrEqual(500);

    sim.setFaults({});
    const delayed = sim.faultCounters.delayed;
    expect((await request(sim, `/wiki/api/v2/pages/${page.id}`)).status).toBe(200);
    expect(sim.faultCounters.delayed).toBe(delayed);
  });

  it("revokes the credentials after N requests: every later request answers 401, in the API's own envelope", async () => {
    const sim = await start({ faults: { revokeAfterRequests: 2 } });
    expect(await statuses(sim, 2)).toEqual([200, 200]);
    const refused = await request(sim);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { errors: { status: number }[] }).errors[0].status).toBe(401);
    expect(await statuses(sim, 3)).toEqual([401, 401, 401]);
    expect(sim.faultCounters.revoked401).toBe(4);

    // Counted from when it is set, and lifted when the settings no longer ask for it.
    sim.setFaults({ revokeAfterRequests: 1 });
    expect(await statuses(sim, 2)).toEqual([200, 401]);
    sim.setFaults({});
    expect(await statuses(sim, 1)).toEqual([200]);
  });

  it('goes down after N requests for T seconds: the proxy answers 503 with an HTML page and no Retry-After, then the site is back', async () => {
    stopTheClock();
    const sim = await start({ mode: 'dc', faults: { outage: { afterRequests: 1, seconds: 0.5 } } });
    expect(await statuses(sim, 1)).toEqual([200]);
    const down = await request(sim);
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toBe('text/html');
    expect(down.headers.get('retry-after')).toBeNull();
    expect(await down.text()).toContain('503 Service Unavailable');
    expect(await statuses(sim, 2)).toEqual([503, 503]);
    advanceClock(499);
    expect(await statuses(sim, 1)).toEqual([503]);
    advanceClock(1);
    expect(await statuses(sim, 2)).toEqual([200, 200]);
    expect(sim.faultCounters.outage503).toBe(4);
  });

  it('rejects bad fault settings with a one-line error naming the field', async () => {
    const sim = await start({});
    expect(() => sim.setFaults({ serverErrorRate: 2 })).toThrow(/^Invalid fault option serverErrorRate: /);
    await expect(startSimulator({ faults: { only: '(' } })).rejects.toThrow(/^Invalid simulator option faults\.only: /);
  });
});
