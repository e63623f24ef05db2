// A parent terminated halfway, started again with the same selection, finishes and re-ingests at most what was in flight.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Worker } from '@temporalio/worker';
import { startSimulator, type RunningSimulator } from '../simulator';
import { startDevServer, type DevServer } from '../src/temporal/devServer';
import { createWorker } from '../src/worker';
import { startIngest } from '../src/client';
import { bodyRequests, jobFor, tempDir, waitForDone } from './support/stack';
import { outputFiles } from './support/outputs';

let sim: RunningSimulator;
let server: DevServer;
let worker: Worker;

beforeAll(async () => {
  [sim, server] = await Promise.all([startSimulator({ seed: 22, spaces: 2, pagesPerSpace: 100 }), startDevServer()]);
  worker = await createWorker({ connection: server.nativeConnection, deps: { secretsFor: () => ({ apiToken: sim.credentials.apiToken }) } });
});
afterAll(async () => {
  await Promise.all([sim?.close(), server?.stop()]);
});

it('resumes from the checkpoint after the parent workflow is terminated', { timeout: 600_000 }, async () => {
  const job = jobFor(sim, tempDir('chaos-terminate'), { maxInFlight: 8, pageSize: 25 });
  await worker.runUntil(async () => {
    const first = await startIngest(server.client, job);
    await waitForDone(first, 100);
    await first.terminate('chaos test');

    const result = await (await startIngest(server.client, job)).result();
    expect(result.done + result.skipped).toBe(200);
    expect(result.skipped).toBeGreaterThanOrEqual(100);
  });
  expect(outputFiles(job.outputDir)).toHaveLength(200);
  // Every page once, plus at most the window that was in flight when the parent died.
  expect(bodyRequests(sim)).toBeLessThanOrEqual(200 + job.maxInFlight);
});
