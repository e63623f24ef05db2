// `durable-ingest explain` as a user runs it, over an output's checkpoint and report (no Temporal): the page named by
// id, Cloud or Data Center URL or title, an ambiguous title told as such, `status --explain`, and --ask-site against a
// Data Center simulator (titles and ancestors from v1, the password from a file, never printed).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator';
import { defaultCheckpointPath, openCheckpoint } from '../../src/checkpoint';
import { EXIT } from '../../src/cli/outcome';
import { REPORT_FILE, type RunReport } from '../../src/pipeline/activities/report';
import { emptyProgress } from '../../src/pipeline/progress';
import { pageCommit } from '../support/checkpointRecords';
import { runCli } from '../support/cli';
import { tempDir } from '../support/stack';

const SITE = 'https://x.atlassian.net';

function writeReport(out: string, site: string, overrides: Partial<RunReport> = {}): void {
  const report: RunReport = {
    ...emptyProgress('2026-12-02T09:00:00.000Z'),
    workflowId: 'w',
    site,
    finishedAt: '2026-12-02T10:00:00.000Z',
    seconds: 1,
    listsTruncated: false,
    ...overrides,
  };
  writeFileSync(path.join(out, REPORT_FILE), JSON.stringify(report));
}

describe('without the site', () => {
  let out: string;

  beforeAll(async () => {
    out = tempDir('explain');
    const checkpoint = openCheckpoint(defaultCheckpointPath(out));
    await checkpoint.commit(pageCommit(SITE, '42', 3, { title: 'Runbook', committedAt: '2026-12-01T10:00:00.000Z' }));
    await checkpoint.commit(pageCommit(SITE, '43', 1, { title: 'Onboarding', spaceKey: 'ENG' }));
    await checkpoint.commit(pageCommit(SITE, '44', 1, { title: 'Onboarding', spaceKey: 'OPS' }));
    await checkpoint.close();
    const failures = [{ id: '5', title: 'Broken', spaceKey: 'ENG', reason: 'partition failed: bad table' }];
    writeReport(out, SITE, { failures, failed: 1 });
  });

  it('names where an ingested page is and why a failed one is not, by id, URL or title', async () => {
    const ingested = await runCli(['explain', '--output-dir', out, `${SITE}/wiki/spaces/ENG/pages/42/Runbook`]);
    expect(ingested.code).toBe(EXIT.done);
    expect(ingested.stdout).toContain(
      'page 42 "Runbook" (space ENG) is ingested: version 3, written 2026-12-01T10:00:00.000Z',
    );
    const byTitle = await runCli(['explain', '--output-dir', out, 'Runbook']);
    expect(byTitle.stdout).toBe(ingested.stdout);

    const failed = await runCli(['explain', '--output-dir', out, 'Broken']);
    expect(failed.stdout.trim()).toBe('the last run (2026-12-02T10:00:00.000Z) failed it: partition failed: bad table');
  });

  it('tells an ambiguous title as such, and a Data Center /display URL picks its space', async () => {
    const ambiguous = await runCli(['explain', '--output-dir', out, 'Onboarding']);
    expect([ambiguous.code, ambiguous.stderr.trim()]).toEqual([
      EXIT.badInput,
      'durable-ingest: the title "Onboarding" is ambiguous: pages 43 (space ENG), 44 (space OPS) have it; ' +
        'give the page id or its URL',
    ]);
    const inOps = await runCli(['explain', '--output-dir', out, `${SITE}/display/OPS/Onboarding`]);
    expect(inOps.stdout).toMatch(/^page 44 "Onboarding" \(space OPS\) is ingested/);
  });

  it('status --explain is explain; status wants a workflow id or --explain, not both', async () => {
    const explained = await runCli(['explain', '--output-dir', out, '42']);
    const status = await runCli(['status', '--explain', '42', '--output-dir', out]);
    expect([status.code, status.stdout]).toEqual([EXIT.done, explained.stdout]);
    const both = await runCli(['status', 'wf-1', '--explain', '42']);
    expect([both.code, both.stderr.trim()]).toEqual([
      EXIT.badInput,
      'durable-ingest: give a workflow id or --explain <page>, not both (got wf-1 and the page)',
    ]);
    const neither = await runCli(['status']);
    expect([neither.code, neither.stderr.trim()]).toEqual([
      EXIT.badInput,
      'durable-ingest: missing workflow id: give the id of an ingest, or --explain <page> to explain a page',
    ]);
  });

  it('refuses an output without a report, a broken report and a URL of no page, each in one line', async () => {
    const nowhere = await runCli(['explain', '--output-dir', path.join(out, 'nothing'), '42']);
    expect(nowhere.code).toBe(EXIT.badInput);
    expect(nowhere.stderr).toMatch(/has no _ingest-report.json to name the site: give it with --url/);
    const broken = tempDir('explain-broken');
    writeFileSync(path.join(broken, REPORT_FILE), '{"spaces": [');
    const unreadable = await runCli(['explain', '--output-dir', broken, '42']);
    expect([unreadable.code, unreadable.stderr]).toEqual([
      EXIT.badInput,
      `durable-ingest: ${path.join(broken, REPORT_FILE)} is not JSON (cut short, or written by hand?): delete it, ` +
        'or run the ingest again\n',
    ]);
    const space = await runCli(['explain', '--output-dir', out, `${SITE}/wiki/spaces/ENG/overview`]);
    expect([space.code, space.stderr]).toEqual([
      EXIT.badInput,
      `durable-ingest: ${SITE}/wiki/spaces/ENG/overview is not the URL of a page: give a page's URL ` +
        '(.../pages/ID/..., ...?pageId=ID or .../display/KEY/Title), its id or its title\n',
    ]);
  });
});

describe('--ask-site on Data Center', () => {
  let dc: RunningSimulator;
  let out: string;
  let passwordFile: string;

  beforeAll(async () => {
    dc = await startSimulator({ mode: 'dc', seed: 5, spaces: 1, pagesPerSpace: 6 });
    out = tempDir('explain-dc');
    writeReport(out, dc.url, {
      spaces: [{ key: 'ENG', listed: 6, done: 6, skipped: 0, failed: 0, listingDone: true }],
    });
    const checkpoint = openCheckpoint(defaultCheckpointPath(out));
    await checkpoint.commit(pageCommit(dc.url, '1', 1, { title: 'Not this one' }));
    await checkpoint.close();
    passwordFile = path.join(out, 'password');
    writeFileSync(passwordFile, dc.credentials.password, { mode: 0o600 });
  });
  afterAll(() => dc?.close());

  function askSite(page: string) {
    const signIn = ['--username', dc.credentials.username, '--password-file', passwordFile];
    return runCli(['explain', '--output-dir', out, '--ask-site', ...signIn, page]);
  }

  it('finds by /display URL a page the output never had, with its ancestors by title', async () => {
    const space = dc.site.spaceByKey('ENG')!;
    const page = dc.site.pagesOf(space.id).find((p) => p.parentId && dc.site.ancestors(p.id).length > 0)!;
    const chain = dc.site.ancestors(page.id).map((a) => `${a.id} "${a.title}"`);
    const url = `${dc.url}/display/ENG/${encodeURIComponent(page.title).replace(/%20/g, '+')}`;
    const run = await askSite(url);
    expect(run.code, run.stderr).toBe(EXIT.done);
    expect(run.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^page ${page.id} is neither recorded in this output`)),
      `the site now, as user ${dc.credentials.username}: page ${page.id} "${page.title}" in space ENG, version ` +
        `${page.version.number}, under ${chain.join(' > ')}`,
      "not view-restricted: its space's permissions decide who sees it",
      expect.stringMatching(/^labels: .* \(give the run’s --labels\/--exclude-labels to check them\)$/),
      'so: the account sees it: the next run that selects it ingests it',
    ]);
    expect(run.stdout + run.stderr).not.toContain(dc.credentials.password);
  });

  it('a viewpage.action URL of an id the account cannot see', async () => {
    const run = await askSite(`${dc.url}/pages/viewpage.action?pageId=999999`);
    expect(run.stdout.trim().split('\n').slice(-2)).toEqual([
      `the site now, as user ${dc.credentials.username}: 999999 is not visible to this account: restricted from it, ` +
        'or deleted (Confluence answers both alike)',
      'so: no run as this account can ingest it: grant the account view of the page, its ancestors and its space, ' +
        'or check the id',
    ]);
  });
});
