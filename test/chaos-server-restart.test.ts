// The dev server restarted mid-run on the same database file: the worker reconnects and the same run completes.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../simulator';
import { freePort, startDevServer, type DevServer } from '../src/temporal/devServer';
import { startIngest } from '../src/client';
import { handleOf, jobFor, killHard, startWorkerProcess, tempDir, waitForDone } from './support/stack';
import { outputFiles } from './support/outputs';

let sim: RunningSimulator;
let server: DevServer;

beforeAll(async () => {
  sim = await startSimulator({ seed: 23, spaces: 2, pagesPerSpace: 100 });
});
afterAll(async () => {
  await Promise.all([sim?.close(), server?.stop()]);
});

it('completes the run after the dev server restarts with its db file', { timeout: 600_000 }, async () => {
  const dir = tempDir('chaos-restart');
  const serverOptions = { dbFilename: path.join(dir, 'temporal.db'), port: await freePort() };
  server = await startDevServer(serverOptions);
  const job = jobFor(sim, dir, { pageSize: 25, activityTimeoutSeconds: 15 });
  const worker = startWorkerProcess(server.address, sim);
  try {
    const handle = await startIngest(server.client, job);
    await waitForDone(handle, 60);
    await server.stop();
    server = await startDevServer(serverOptions);

    const result = await handleOf(server.client, handle.workflowId).result();
    expect(result.done + result.skipped).toBe(200);
    expect(result.failed).toBe(0);
  } finally {
    await killHard(worker);
  }
  expect(outputFiles(job.outputDir)).toHaveLength(200);
});
