// `durable-ingest explain` as a user runs it, over an output's checkpoint and report: no site, no Temporal.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { defaultCheckpointPath, openCheckpoint } from '../../src/checkpoint';
import { EXIT } from '../../src/cli/outcome';
import { REPORT_FILE, type RunReport } from '../../src/pipeline/activities/report';
import { emptyProgress } from '../../src/pipeline/progress';
import { pageCommit } from '../support/checkpointRecords';
import { runCli } from '../support/cli';
import { tempDir } from '../support/stack';

const SITE = 'https://x.atlassian.net';

it('names where an ingested page is and why a failed one is not, by id, URL or title', async () => {
  const out = tempDir('explain');
  const checkpoint = openCheckpoint(defaultCheckpointPath(out));
  await checkpoint.commit(pageCommit(SITE, '42', 3, { title: 'Runbook', committedAt: '2026-12-01T10:00:00.000Z' }));
  await checkpoint.close();
  const report: RunReport = {
    ...emptyProgress('2026-12-02T09:00:00.000Z'),
    failures: [{ id: '5', title: 'Broken', spaceKey: 'ENG', reason: 'partition failed: bad table' }],
    failed: 1,
    workflowId: 'w',
    site: SITE,
    finishedAt: '2026-12-02T10:00:00.000Z',
    seconds: 1,
    listsTruncated: false,
  };
  writeFileSync(path.join(out, REPORT_FILE), JSON.stringify(report));

  const ingested = await runCli(['explain', '--output-dir', out, `${SITE}/wiki/spaces/ENG/pages/42/Runbook`]);
  expect(ingested.code).toBe(EXIT.done);
  expect(ingested.stdout).toContain(
    'page 42 "Runbook" (space ENG) is ingested: version 3, written 2026-12-01T10:00:00.000Z',
  );

  const failed = await runCli(['explain', '--output-dir', out, 'Broken']);
  expect(failed.stdout.trim()).toBe('the last run (2026-12-02T10:00:00.000Z) failed it: partition failed: bad table');

  const nowhere = await runCli(['explain', '--output-dir', path.join(out, 'nothing'), '42']);
  expect(nowhere.code).toBe(EXIT.badInput);
  expect(nowhere.stderr).toMatch(/has no _ingest-report.json to name the site: give it with --url/);
});
