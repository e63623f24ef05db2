// Batched bodies change how pages are read, never what is written: a restricted site ingested with per-page bodies and
// with batched bodies gives the same outputs apart from date_processed, permissions included (Cloud and Data Center).
// Search lags behind edits: a page the batch returns at an older version than the listing is read alone, fresh, and
// the run report counts it by why. Very large batched answers fail with 500: the batch halves itself and every page is
// still written.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimulatorOptionsInput } from '../../simulator';
import type { Element } from '../../src/core/elements';
import { startIngest } from '../../src/client';
import { IngestInputSchema, type IngestInput } from '../../src/pipeline/config';
import { closeConfluencePools } from '../../src/connectors/confluence/client';
import { outputFiles, readJson } from '../support/outputs';
import { REPORT_FILE, type RunReport } from '../../src/pipeline/activities/report';
import { type Stack, startStack, tempDir } from '../support/stack';

const SITE: SimulatorOptionsInput = {
  seed: 31,
  spaces: 2,
  pagesPerSpace: 30,
  blogpostsPerSpace: 2,
  users: 6,
  permissions: 'restricted',
};

type Mode = 'cloud' | 'dc';

/**
 * The stack's worker signs in as the simulator's first user: with its API token on Cloud, its password on Data Center.
 */
const DC_PASSWORD = 'batch-bodies-password';

async function stackFor(mode: Mode, simulator: SimulatorOptionsInput = {}): Promise<Stack> {
  const dc = mode === 'dc';
  return startStack({
    simulator: { mode, ...SITE, ...simulator, ...(dc ? { credentials: { password: DC_PASSWORD } } : {}) },
    ...(dc ? { secrets: { password: DC_PASSWORD } } : {}),
  });
}

function jobOf(sim: RunningSimulator, outputDir: string, batchBodies?: boolean): IngestInput {
  const site =
    sim.mode === 'cloud'
      ? { url: sim.url, cloud: true, auth: 'api-token', username: sim.credentials.username, batchBodies }
      : { url: sim.url, cloud: false, auth: 'password', username: sim.credentials.username, batchBodies };
  return IngestInputSchema.parse({
    site,
    selection: { maxNumOfDocsFromEachSpace: 100_000, includeBlogposts: true },
    outputDir,
  });
}

async function ingest(stack: Stack, job: IngestInput): Promise<{ done: number; failed: number }> {
  const result = await (await startIngest(stack.client, job)).result();
  return { done: result.done, failed: result.failed };
}

/** Every output file's elements, with the one field that must differ between two runs (when each ran) taken out. */
function outputsOf(dir: string): Record<string, unknown> {
  const all: Record<string, unknown> = {};
  for (const file of outputFiles(dir).sort()) {
    all[file] = readJson<Element[]>(path.join(dir, file)).map((e) => {
      const { date_processed: _, ...dataSource } = e.metadata.data_source ?? {};
      return { ...e, metadata: { ...e.metadata, data_source: dataSource } };
    });
  }
  return all;
}

/** Requests to a page's own endpoint: its body on Cloud (v2), its body or its ancestors on Data Center (v1). */
function singlePageReads(sim: RunningSimulator): number {
  const routes =
    sim.mode === 'cloud' ? ['GET /api/v2/pages/{id}', 'GET /api/v2/blogposts/{id}'] : ['GET /rest/api/content/{id}'];
  return routes.reduce((sum, route) => sum + (sim.stats.byRoute.get(route) ?? 0), 0);
}

afterAll(() => closeConfluencePools());

for (const mode of ['cloud', 'dc'] as const) {
  describe(`batched bodies (${mode})`, () => {
    let stack: Stack;
    const dir = tempDir(`batch-bodies-${mode}`);
    beforeAll(async () => {
      // Edits reach search two minutes after they are made: long after the test's second ingest.
      stack = await stackFor(mode, { searchLagMs: 120_000 });
    });
    afterAll(() => stack?.stop());

    it('writes the same outputs as per-page bodies, permissions included, for a fraction of the requests', {
      timeout: 240_000,
    }, async () => {
      const { sim } = stack;
      const pages = sim.site.pages.filter((p) => p.status === 'current').length;

      sim.stats.reset();
      expect(await ingest(stack, jobOf(sim, path.join(dir, 'per-page'), false))).toEqual({ done: pages, failed: 0 });
      expect(singlePageReads(sim)).toBeGreaterThanOrEqual(pages);
      const perPageRequests = sim.stats.total;

      sim.stats.reset();
      expect(await ingest(stack, jobOf(sim, path.join(dir, 'batched')))).toEqual({ done: pages, failed: 0 });
      // Each page's body was served once, in a batch, and no page was read on its own.
      expect([sim.stats.pageBodyRequests.size, Math.max(...sim.stats.pageBodyRequests.values())]).toEqual([pages, 1]);
      expect(singlePageReads(sim)).toBe(0);
      expect(sim.stats.total).toBeLessThan(perPageRequests / 3);

      const batched = outputsOf(path.join(dir, 'batched'));
      expect(Object.keys(batched)).toHaveLength(pages);
      expect(JSON.stringify(batched)).toContain('permissions_data');
      expect(batched).toEqual(outputsOf(path.join(dir, 'per-page')));
    });
    it('halves batches whose answers are too large to serve, down to single pages, and writes every page the same', {
      timeout: 300_000,
    }, async () => {
      const { sim } = stack;
      const pages = sim.site.pages.filter((p) => p.status === 'current').length;
      // About twelve pages of this site's bodies and permissions, then less than one page: larger answers are 500s.
      for (const [maxAnswerBytes, name] of [
        [150_000, 'halved'],
        [5_000, 'alone'],
      ] as const) {
        sim.setFaults({ maxAnswerBytes, only: '/content/search' });
        sim.stats.reset();
        try {
          expect(await ingest(stack, jobOf(sim, path.join(dir, name)))).toEqual({ done: pages, failed: 0 });
        } finally {
          sim.setFaults({});
        }
        expect(sim.stats.byStatus.get(500)).toBeGreaterThan(0);
        if (name === 'halved') expect(singlePageReads(sim)).toBe(0);
        else expect(singlePageReads(sim)).toBeGreaterThanOrEqual(pages);
        expect(outputsOf(path.join(dir, name))).toEqual(outputsOf(path.join(dir, 'per-page')));
      }
    });

    it('reads alone, and fresh, the pages search still shows at an older version or not at all, and counts them', {
      timeout: 240_000,
    }, async () => {
      const { sim } = stack;
      const out = path.join(dir, 'lagging');
      expect((await ingest(stack, jobOf(sim, out))).failed).toBe(0);
      expect(readJson<RunReport>(path.join(out, REPORT_FILE)).readsOutsideBatch).toBeUndefined();
      const [first, second] = sim.site.pages.filter((p) => p.type === 'page' && p.parentId !== null);
      const edited = [first, second].map((p) => sim.site.editPage(p.id, { title: `${p.title} (edited)` }));
      const added = sim.site.addPage({
        spaceId: first.spaceId,
        title: 'Written after the first ingest',
        parentId: first.id,
      });

      sim.stats.reset();
      expect(await ingest(stack, jobOf(sim, out))).toMatchObject({ failed: 0 });
      // The edited pages came back from the batch at their old version and were read again alone; the new page, alone.
      expect(Object.fromEntries(sim.stats.pageBodyRequests)).toEqual({ [first.id]: 2, [second.id]: 2, [added.id]: 1 });
      for (const page of [...edited, added]) {
        const space = sim.site.space(page.spaceId)!.key;
        const [title] = readJson<Element[]>(path.join(out, space, `${page.id}.html.json`));
        expect([title.text, title.metadata.data_source?.version]).toEqual([page.title, String(page.version.number)]);
      }
      // The report says why: Data Center reads each in one request with its ancestors and restrictions; Cloud reads
      // those from their own endpoints (a stale answer's restrictions may have been read already, as an ancestor's).
      const { readsOutsideBatch, readsOutsideBatchCount } = readJson<RunReport>(path.join(out, REPORT_FILE));
      if (mode === 'dc') {
        expect(readsOutsideBatch).toEqual({ 'older-version': { page: 2 }, 'not-in-answer': { page: 1 } });
        expect([singlePageReads(sim), sim.stats.routeCount('/restriction'), readsOutsideBatchCount]).toEqual([3, 0, 3]);
      } else {
        expect(readsOutsideBatch).toMatchObject({
          'older-version': { body: 2, ancestors: 2 },
          'not-in-answer': { body: 1, ancestors: 1, restrictions: 1 },
        });
      }
    });
  });
}
