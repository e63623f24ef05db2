// Re-runs are cheap: nothing changed means no page bodies fetched; five edited pages means exactly those five again.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Worker } from '@temporalio/worker';
import { startSimulator, type RunningSimulator } from '../src/simulator';
import { startDevServer, type DevServer } from '../src/temporal/devServer';
import { createWorker } from '../src/worker';
import { startIngest } from '../src/client';
import type { Element } from '../src/partition/elements';
import { bodyRequests, jobFor, tempDir } from './support/stack';

let sim: RunningSimulator;
let server: DevServer;
let worker: Worker;

beforeAll(async () => {
  [sim, server] = await Promise.all([startSimulator({ seed: 24, spaces: 3, pagesPerSpace: 30 }), startDevServer()]);
  worker = await createWorker({ connection: server.nativeConnection, deps: { secretsFor: () => ({ apiToken: sim.credentials.apiToken }) } });
});
afterAll(async () => {
  await Promise.all([sim?.close(), server?.stop()]);
});

it('skips unchanged pages and re-ingests exactly the edited ones', { timeout: 600_000 }, async () => {
  const job = jobFor(sim, tempDir('incremental'));
  const run = async () => (await startIngest(server.client, job)).result();
  await worker.runUntil(async () => {
    expect((await run()).done).toBe(90);

  sim.stats.reset();
  const unchanged = await run();
  expect(unchanged).toMatchObject({ done: 0, skipped: 90, failed: 0 });
  expect(bodyRequests(sim)).toBe(0);

  const edited = sim.site.pages.filter((p) => p.type === 'page').slice(10, 15).map((p) => sim.site.editPage(p.id));
  sim.stats.reset();
  const changed = await run();
  expect(changed).toMatchObject({ done: 5, skipped: 85, failed: 0 });
  expect([...sim.stats.pageBodyRequests.keys()].sort()).toEqual(edited.map((p) => p.id).sort());
  for (const page of edited) {
    const space = sim.site.space(page.spaceId)!;
    const elements = JSON.parse(readFileSync(path.join(job.outputDir, space.key, `${page.id}.html.json`), 'utf8')) as Element[];
    expect(elements[0].metadata.data_source?.version).toBe(String(page.version.number));
  }
  });
});
