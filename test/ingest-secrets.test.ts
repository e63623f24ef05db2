// Secrets stay in the worker: no history of an ingest holds the API token.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/simulator';
import { startDevServer, type DevServer } from '../src/temporal/devServer';
import { createWorker } from '../src/worker';
import { startIngest } from '../src/client';
import { IngestInputSchema } from '../src/config';
import { allHistoriesText } from './support/history';
import { outputFiles } from './support/outputs';

let sim: RunningSimulator;
let server: DevServer;

beforeAll(async () => {
  [sim, server] = await Promise.all([startSimulator({ seed: 3, spaces: 2, pagesPerSpace: 5 }), startDevServer()]);
});
afterAll(async () => {
  await Promise.all([sim?.close(), server?.stop()]);
});

it('keeps the API token out of every workflow history', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
  const input = IngestInputSchema.parse({
    site: { url: sim.url, cloud: true, auth: 'api-token', username: sim.credentials.username },
    outputDir: path.join(dir, 'out'),
    workDir: path.join(dir, 'work'),
    pageSize: 2,
  });
  const secrets = { apiToken: sim.credentials.apiToken };
  const worker = await createWorker({ connection: server.nativeConnection, deps: { secretsFor: () => secrets } });
  const result = await worker.runUntil(async () => (await startIngest(server.client, input)).result());
  expect(result.done).toBe(10);
  expect(outputFiles(input.outputDir)).toHaveLength(10);

  const { workflows, text } = await allHistoriesText(server.client);
  expect(workflows).toBe(11);
  expect(text).toContain(sim.credentials.username);
  expect(text).not.toContain(sim.credentials.apiToken);
  expect(text).not.toContain(Buffer.from(`${sim.credentials.username}:${sim.credentials.apiToken}`).toString('base64'));
});
