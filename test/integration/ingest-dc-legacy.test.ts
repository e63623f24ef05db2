// A Data Center 8.5 site, as a user ingests it: `space/{key}/permissions` answers 404 there, so every page's space
// grants come from the space's expand=permissions; pages are written with permissions_data and the run report names
// that source for each space.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../simulator';
import type { Element } from '../../src/core/elements';
import { REPORT_FILE, type RunReport } from '../../src/pipeline/activities/report';
import { runCli } from '../support/cli';
import { outputFiles, readJson } from '../support/outputs';

let sim: RunningSimulator;
let work: string;

beforeAll(async () => {
  sim = await startSimulator({
    mode: 'dc',
    dcVersion: '8.5',
    seed: 9,
    spaces: 2,
    pagesPerSpace: 4,
    users: 6,
    permissions: 'restricted',
  });
  work = mkdtempSync(path.join(os.tmpdir(), 'ingest-dc85-'));
});
afterAll(async () => sim?.close());

it('ingests a Data Center 8.5 site with permissions read from expand=permissions, and says so', {
  timeout: 180_000,
}, async () => {
  const out = path.join(work, 'out');
  const run = await runCli(['confluence', '--no-cloud', '--output-dir', out, '--work-dir', path.join(work, 'blobs')], {
    CONFLUENCE_URL: sim.url,
    CONFLUENCE_USERNAME: sim.credentials.username,
    CONFLUENCE_PASSWORD: sim.credentials.password,
  });
  const pages = sim.site.pages.length;
  expect(run.stderr).toContain(`${pages} of ${pages} pages ingested`);
  expect(run.code).toBe(0);

  const me = sim.site.users[0];
  for (const file of outputFiles(out)) {
    const pageId = path.basename(file, '.html.json');
    const [{ read }] = readJson<Element[]>(path.join(out, file))[0].metadata.data_source!.permissions_data!;
    // The ingest account can open every page it wrote, so it must be granted read, directly or through a group.
    const granted =
      read.users.includes(me.userKey) || sim.site.groupsOf(me.id).some((g) => read.groups.includes(g.name));
    expect(granted, `page ${pageId}`).toBe(true);
  }
  expect(outputFiles(out)).toHaveLength(pages);

  const report = readJson<RunReport>(path.join(out, REPORT_FILE));
  expect(report).toMatchObject({ done: pages, failed: 0 });
  expect(report.spaces.map((s) => [s.key, s.permissionsSource]).sort()).toEqual(
    sim.site.spaces.map((s) => [s.key, 'space-expand-permissions']).sort(),
  );
  for (const space of sim.site.spaces)
    expect(run.stderr).toContain(`space ${space.key}: space permissions read from its expand=permissions`);
  // The missing endpoint was asked at most once per space (their first pages run side by side), not once per page.
  expect(sim.stats.routeCount('(unknown route)')).toBeLessThanOrEqual(2);
});
