// --max-requests-per-second: the worker keeps under a site's limit instead of bouncing off it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/simulator';
import { startDevServer, type DevServer } from '../src/temporal/devServer';
import { startIngest } from '../src/client';
import { jobFor, killHard, startWorkerProcess, tempDir } from './support/stack';

const SITE_LIMIT = 10;
let sim: RunningSimulator;
let server: DevServer;

beforeAll(async () => {
  [sim, server] = await Promise.all([
    startSimulator({ seed: 29, spaces: 1, pagesPerSpace: 30, faults: { requestsPerSecond: SITE_LIMIT, burstSize: 3 } }),
    startDevServer(),
  ]);
});
afterAll(async () => {
  await Promise.all([sim?.close(), server?.stop()]);
});

it('paces requests under the ceiling: no 429s, and at least half the allowed rate used', { timeout: 300_000 }, async () => {
  const base = jobFor(sim, tempDir('ceiling'));
  const job = { ...base, site: { ...base.site, maxRequestsPerSecond: SITE_LIMIT * 0.7 } };
  sim.stats.reset();
  // The worker runs in its own process, so the simulator's token bucket sees requests when the client sent them.
  const worker = startWorkerProcess(server.address, sim);
  const result = await (await startIngest(server.client, job)).result().finally(() => killHard(worker));
  expect(result).toMatchObject({ done: 30, failed: 0 });
  expect(sim.stats.rateLimited).toBe(0);

  const { timeline } = sim.stats;
  const seconds = (timeline.at(-1)!.at - timeline[0].at) / 1000;
  expect(timeline.length / seconds).toBeLessThanOrEqual(SITE_LIMIT);
  expect(timeline.length / seconds).toBeGreaterThanOrEqual(SITE_LIMIT * 0.5);
});
