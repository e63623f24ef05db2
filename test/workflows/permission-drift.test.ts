// The ingest's side of permission drift, with stubbed activities: written pages are checked every run; those whose
// permissions changed are counted by reason, and those whose outputs carry other pages' permissions are ingested
// again. --permissions-only checks and repairs, and ingests nothing.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fakeJob, fakeSite } from '../support/stubActivities';
import { startWorkflowEnv, stubbedIngest } from '../support/workflowEnv';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startWorkflowEnv();
});
afterAll(() => env?.teardown());

const dirFor = (name: string) => `/stub/${name}-${randomUUID()}`;

it('counts changed permissions by reason, and ingests again only pages that carry other pages', async () => {
  const site = fakeSite({ ENG: 6 });
  const [a, b, c, d] = site.pages.map((p) => p.id);
  const ingest = await stubbedIngest(env, {
    site,
    unchanged: [a, b, c, d],
    drift: {
      [a]: { reasons: ['restriction'] },
      [b]: { reasons: ['move'] },
      [c]: { reasons: ['included-or-linked'], again: true },
    },
  });
  const result = await ingest.run(async () => (await ingest.start(fakeJob(site, dirFor('drift')))).result());

  expect(result).toMatchObject({ listed: 6, done: 3, failed: 0, permissionsChangedCount: 3 });
  expect(result.permissionsChangedBy).toEqual({ restriction: 1, move: 1, 'included-or-linked': 1 });
  // The two new pages and the one that carries another page's text; the rewritten ones are not downloaded.
  expect([...ingest.record.downloads].sort()).toEqual([c, ...site.pages.slice(4).map((p) => p.id)].sort());
  const checked = ingest.record.inputsOf('syncPermissions').flatMap((i) => i.pages.map((p) => p.id));
  expect(checked.sort()).toEqual([a, b, c, d].sort());
});

it('--permissions-only checks every listed page and ingests none, counting the new ones for the content run', async () => {
  const site = fakeSite({ ENG: 5 });
  const [a, b] = site.pages.map((p) => p.id);
  const ingest = await stubbedIngest(env, { site, unchanged: [a, b], drift: { [a]: { reasons: ['space-grant'] } } });
  const job = fakeJob(site, dirFor('permissions-only'), { permissionsOnly: true });
  const result = await ingest.run(async () => (await ingest.start(job)).result());

  expect(result).toMatchObject({ listed: 5, done: 0, failed: 0, permissionsChangedCount: 1, leftForContentRun: 3 });
  expect(ingest.record.downloads).toEqual([]);
  const checked = ingest.record.inputsOf('syncPermissions').flatMap((i) => i.pages.map((p) => p.id));
  expect(checked.sort()).toEqual(site.pages.map((p) => p.id).sort());
});
