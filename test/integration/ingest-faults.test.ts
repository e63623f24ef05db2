// Under 429 bursts and 5% server errors, an ingest of 300 pages still completes with all 300 outputs, and the client
// waited out every Retry-After it was given before asking again.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator';
import { startIngest } from '../../src/client';
import { jobFor, type Stack, startStack, tempDir } from '../support/stack';
import { outputFiles } from '../support/outputs';

const RETRY_AFTER_SECONDS = 1;
let stack: Stack;
let sim: RunningSimulator;

beforeAll(async () => {
  stack = await startStack({
    simulator: {
      seed: 27,
      spaces: 3,
      pagesPerSpace: 100,
      faults: {
        rateLimitBursts: { everyRequests: 60, durationMs: 500, retryAfter: RETRY_AFTER_SECONDS },
        serverErrorRate: 0.05,
      },
    },
    // The worker runs in its own process: partitioning must not stall the simulator's clock of when it answered.
    worker: 'process',
  });
  ({ sim } = stack);
});
afterAll(() => stack?.stop());

it('ingests all 300 pages through 429 bursts and 5% 5xx, honouring Retry-After', { timeout: 600_000 }, async () => {
  // Bodies page by page: batched, 300 pages take a few dozen requests, too few for bursts every 60 requests to land.
  const cloudJob = jobFor(sim, tempDir('faults'), { pageSize: 50 });
  const job = { ...cloudJob, site: { ...cloudJob.site, batchBodies: false } };
  const result = await (await startIngest(stack.client, job)).result();
  expect(result).toMatchObject({ done: 300, failed: 0 });
  expect(outputFiles(job.outputDir)).toHaveLength(300);
  expect(sim.stats.rateLimited).toBeGreaterThan(0);
  expect(sim.faultCounters.serverErrors).toBeGreaterThan(0);

  // From the first 429 of a burst, the site's limiter holds every new request for Retry-After. Responses to requests
  // already under way when the burst began end within a few milliseconds (the simulator adds no latency here); any
  // other success before Retry-After has passed would be a request the client should have held back. The burst itself
  // lasts 500 ms, so a client that ignored Retry-After would succeed again well before 1 s.
  const { timeline } = sim.stats;
  const UNDER_WAY_MS = 100;
  const burstStarts = timeline.filter((r, i) => r.status === 429 && (i === 0 || timeline[i - 1].status !== 429));
  expect(burstStarts.length).toBeGreaterThan(0);
  for (const start of burstStarts) {
    const nextSuccess = timeline.find((r) => r.at > start.at + UNDER_WAY_MS && r.status < 400);
    if (nextSuccess) expect(nextSuccess.at - start.at).toBeGreaterThanOrEqual(RETRY_AFTER_SECONDS * 1000 - 50);
  }
});
