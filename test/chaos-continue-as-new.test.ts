// With the server suggesting continue-as-new early, a 1,000-page ingest continues-as-new several times and loses nothing.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Worker } from '@temporalio/worker';
import { startSimulator, type RunningSimulator } from '../simulator';
import { startDevServer, type DevServer } from '../src/temporal/devServer';
import { createWorker } from '../src/worker';
import { startIngest } from '../src/client';
import { jobFor, tempDir } from './support/stack';
import { outputFiles } from './support/outputs';

let sim: RunningSimulator;
let server: DevServer;
let worker: Worker;

beforeAll(async () => {
  [sim, server] = await Promise.all([
    startSimulator({ seed: 25, spaces: 4, pagesPerSpace: 250 }),
    startDevServer({ extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=400'] }),
  ]);
  worker = await createWorker({ connection: server.nativeConnection, deps: { secretsFor: () => ({ apiToken: sim.credentials.apiToken }) } });
});
afterAll(async () => {
  await Promise.all([sim?.close(), server?.stop()]);
});

it('continues-as-new several times and ingests all 1,000 pages once', { timeout: 900_000 }, async () => {
  const job = jobFor(sim, tempDir('chaos-can'), { pageSize: 50 });
  const handle = await startIngest(server.client, job);
  const result = await worker.runUntil(handle.result());
  expect(result.continuedAsNew).toBeGreaterThanOrEqual(2);
  expect(result).toMatchObject({ done: 1000, failed: 0, listed: 1000 });
  expect(outputFiles(job.outputDir)).toHaveLength(1000);

  let runs = 0;
  for await (const run of server.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) {
    runs++;
    expect(run.historyLength).toBeLessThan(10_000);
  }
  expect(runs).toBe(result.continuedAsNew + 1);
});
