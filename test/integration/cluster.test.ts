// Two hosts, as an operator runs them: two `durable-ingest worker` processes, each with its own local --work-dir, one
// PostgreSQL checkpoint, the output dir shared. One worker is SIGKILLed mid-run and its work dir deleted (the host is
// gone); the other finishes every page and every extracted file (chunked, embedded with the local model), each written
// once, and the run reports no failure.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openCheckpoint } from '../../src/checkpoint';
import type { Element } from '../../src/core/elements';
import { startIngest } from '../../src/client';
import type { IngestInput } from '../../src/pipeline/config';
import { ensureModel } from '../support/model';
import { readJson, walk } from '../support/outputs';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { jobFor, killHard, type Stack, startStack, tempDir, waitForDone } from '../support/stack';

let stack: Stack;
let postgres: TestPostgres;

beforeAll(async () => {
  ensureModel();
  [stack, postgres] = await Promise.all([
    // Seed 2: pages with PNG images, PDFs and a text file; latency so that pages are still under way at the kill.
    startStack({ simulator: { seed: 2, spaces: 2, pagesPerSpace: 12, faults: { latencyMs: 40 } }, worker: 'none' }),
    startPostgres(),
  ]);
});
afterAll(async () => {
  await stack?.stop();
  await postgres?.stop();
});

it('finishes every page and file exactly once when one of two workers dies mid-run with its work dir', async () => {
  const dir = tempDir('cluster');
  const workDirs = [path.join(dir, 'host-a'), path.join(dir, 'host-b')];
  const [doomed, survivor] = workDirs.map((workDir) =>
    stack.startWorkerProcess({ args: ['--work-dir', workDir], env: { DURABLE_INGEST_CHECKPOINT_URL: postgres.url } }),
  );
  const { sim } = stack;
  const job = jobFor(sim, dir, {
    maxInFlight: 8,
    // How soon work held by the dead worker moves on: a step it had started times out, one sent to its queue is not
    // picked up.
    activityTimeoutSeconds: 10,
    extract: { images: true, files: true, includeAttachments: true, downloadDir: path.join(dir, 'downloads') },
    chunking: { strategy: 'by_title' },
    embedding: { provider: 'huggingface' },
  } as Partial<IngestInput>);
  const pages = sim.site.pages.length;

  const handle = await startIngest(stack.client, job);
  await waitForDone(handle, 6);
  await killHard(doomed);
  rmSync(workDirs[0], { recursive: true, force: true });
  const result = await handle.result();

  expect(result.failures).toEqual([]);
  expect(survivor.exitCode).toBeNull();
  expect(result).toMatchObject({ listed: pages, done: pages, failed: 0 });
  const outputs = walk(job.outputDir).filter((f) => f.endsWith('.json') && !f.startsWith('_'));
  const pageOutputs = outputs.filter((f) => f.endsWith('.html.json'));
  const fileOutputs = outputs.filter((f) => !f.endsWith('.html.json'));
  expect(pageOutputs).toHaveLength(pages);
  const spaceKey = (spaceId: string) => sim.site.spaces.find((s) => s.id === spaceId)!.key;
  // Files of a type no reader knows are reported with the reason, never silently dropped.
  const leftOut = new Set(result.skippedItems.map((item) => `${item.pageId}/${item.name}`));
  const files = sim.site.pages.flatMap((p) =>
    p.attachments
      .filter((a) => !leftOut.has(`${p.id}/${a.title}`))
      .map((a) => `${spaceKey(p.spaceId)}/${p.id}/${a.title}.json`),
  );
  expect(files.length).toBeGreaterThan(20);
  expect(fileOutputs.sort()).toEqual(files.sort());

  // Embedded on whichever worker ran the page: every element (of pages and files) carries its vector.
  const elements = outputs.flatMap((f) => readJson<Element[]>(path.join(job.outputDir, f)));
  expect(elements.length).toBeGreaterThan(pages);
  expect(elements.every((e) => e.embeddings?.length === 384)).toBe(true);

  const store = openCheckpoint(postgres.url, { scope: path.resolve(job.outputDir) });
  try {
    expect(await store.count(job.site.url)).toBe(pages);
  } finally {
    await store.close();
  }
}, 300_000);
