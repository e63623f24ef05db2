// Re-runs are cheap: nothing changed means no page bodies fetched; five edited pages means exactly those five again.
// Pages deleted from the site are reported, and their outputs removed only with --delete-missing.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../simulator';
import { startIngest } from '../../src/client';
import type { Element } from '../../src/core/elements';
import { bodyRequests, jobFor, type Stack, startStack, tempDir } from '../support/stack';
import { outputFiles } from '../support/outputs';

let stack: Stack;
let sim: RunningSimulator;
const job = () => jobFor(sim, tempDir('incremental'));
let ingested: ReturnType<typeof job>;

beforeAll(async () => {
  stack = await startStack({ simulator: { seed: 24, spaces: 3, pagesPerSpace: 30 }, worker: 'in-process' });
  ({ sim } = stack);
});
afterAll(() => stack?.stop());

it('skips unchanged pages and re-ingests exactly the edited ones', { timeout: 600_000 }, async () => {
  ingested = job();
  const run = async () => (await startIngest(stack.client, ingested)).result();
  expect((await run()).done).toBe(90);

  sim.stats.reset();
  const unchanged = await run();
  expect(unchanged).toMatchObject({ done: 0, skipped: 90, failed: 0 });
  expect(bodyRequests(sim)).toBe(0);

  const edited = sim.site.pages
    .filter((p) => p.type === 'page')
    .slice(10, 15)
    .map((p) => sim.site.editPage(p.id));
  sim.stats.reset();
  const changed = await run();
  expect(changed).toMatchObject({ done: 5, skipped: 85, failed: 0 });
  expect([...sim.stats.pageBodyRequests.keys()].sort()).toEqual(edited.map((p) => p.id).sort());
  for (const page of edited) {
    const space = sim.site.space(page.spaceId)!;
    const elements = JSON.parse(
      readFileSync(path.join(ingested.outputDir, space.key, `${page.id}.html.json`), 'utf8'),
    ) as Element[];
    expect(elements[0].metadata.data_source?.version).toBe(String(page.version.number));
  }
});

it('reports deleted pages, and removes their outputs and checkpoint rows with --delete-missing', {
  timeout: 600_000,
}, async () => {
  const outputOf = (page: { id: string; spaceId: string }) =>
    path.join(ingested.outputDir, sim.site.space(page.spaceId)!.key, `${page.id}.html.json`);
  const deleted = sim.site.pages.filter((p) => p.type === 'page').slice(20, 22);
  for (const page of deleted) sim.site.deletePage(page.id);
  const deletedIds = deleted.map((p) => p.id).sort();

  const reported = await (await startIngest(stack.client, ingested)).result();
  expect(reported).toMatchObject({ done: 0, failed: 0, missingCount: 2 });
  expect(reported.missing.map((m) => m.id).sort()).toEqual(deletedIds);
  expect(deleted.every((p) => existsSync(outputOf(p)))).toBe(true);

  const removed = await (await startIngest(stack.client, { ...ingested, deleteMissing: true })).result();
  expect(removed).toMatchObject({ done: 0, failed: 0, missingCount: 2 });
  expect(deleted.some((p) => existsSync(outputOf(p)))).toBe(false);
  expect(outputFiles(ingested.outputDir)).toHaveLength(88);

  const after = await (await startIngest(stack.client, ingested)).result();
  expect(after).toMatchObject({ done: 0, skipped: 88, missingCount: 0 });
});
