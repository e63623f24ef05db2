// --max-requests-per-second: the worker keeps under a site's limit instead of bouncing off it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator';
import { startIngest } from '../../src/client';
import { jobFor, killHard, type Stack, startStack, tempDir } from '../support/stack';

const SITE_LIMIT = 10;
let stack: Stack;
let sim: RunningSimulator;

beforeAll(async () => {
  stack = await startStack({
    simulator: { seed: 29, spaces: 1, pagesPerSpace: 30, faults: { requestsPerSecond: SITE_LIMIT, burstSize: 3 } },
    worker: 'none',
  });
  ({ sim } = stack);
});
afterAll(() => stack?.stop());

async function ingestWith(maxRequestsPerSecond: number | undefined) {
  const base = jobFor(sim, tempDir('ceiling'));
  // Bodies page by page: enough requests (one a page) for the site's limit to matter; batched, 30 pages take a few.
  const job = { ...base, site: { ...base.site, maxRequestsPerSecond, batchBodies: false } };
  sim.stats.reset();
  // The worker runs in its own process (a new one per run: its site limiter must not carry over), so the simulator's
  // token bucket sees requests when they were sent.
  const worker = stack.startWorkerProcess();
  const result = await (await startIngest(stack.client, job)).result().finally(() => killHard(worker));
  const { timeline } = sim.stats;
  return {
    result,
    requests: timeline.length,
    rateLimited: sim.stats.rateLimited,
    seconds: (timeline.at(-1)!.at - timeline[0].at) / 1000,
  };
}

it('paces requests under the ceiling: (almost) no 429s where an unpaced run gets many', {
  timeout: 300_000,
}, async () => {
  const unpaced = await ingestWith(undefined);
  const paced = await ingestWith(SITE_LIMIT * 0.6);
  expect(unpaced.result).toMatchObject({ done: 30, failed: 0 });
  expect(paced.result).toMatchObject({ done: 30, failed: 0 });

  expect(unpaced.rateLimited).toBeGreaterThan(10);
  // Scheduling jitter on a loaded machine can bunch two paced requests into the bucket's burst: allow one stray 429.
  expect(paced.rateLimited).toBeLessThanOrEqual(1);
  expect(paced.requests / paced.seconds).toBeLessThanOrEqual(SITE_LIMIT);
  expect(paced.requests / paced.seconds).toBeGreaterThanOrEqual(SITE_LIMIT * 0.3);
});
