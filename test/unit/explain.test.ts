// `explain` over fixture checkpoint records, reports and site answers: which page an argument names, and each way a
// page can be absent, or present, named in plain lines.
import { describe, expect, it } from 'vitest';
import type { CheckpointRecord } from '../../src/checkpoint';
import type { PageRef } from '../../src/connectors/confluence/client';
import { explainPage } from '../../src/cli/explain';
import { type SiteContext, type SiteView, siteLines } from '../../src/cli/explainSite';
import { onlyCandidate, pageTargetOf, titleCandidates } from '../../src/cli/explainTarget';
import type { RunReport } from '../../src/pipeline/activities/report';
import { emptyProgress, notIngestedReason } from '../../src/pipeline/progress';

const record: CheckpointRecord = {
  site: 'https://x.atlassian.net',
  id: '42',
  version: 7,
  spaceKey: 'ENG',
  title: 'Runbook',
  outputPaths: ['/out/ENG/42.html.json'],
  digest: 'a'.repeat(64),
  committedAt: '2026-12-01T10:00:00.000Z',
  runId: 'run-1',
  permissionsVersion: 'abc',
};

const LAST_RUN = 'the last run (2026-12-02T10:00:00.000Z)';

function report(overrides: Partial<RunReport> = {}): RunReport {
  return {
    ...emptyProgress('2026-12-02T09:00:00.000Z'),
    spaces: [{ key: 'ENG', listed: 3, done: 1, skipped: 2, failed: 0, listingDone: true }],
    workflowId: 'w',
    site: 'https://x.atlassian.net',
    finishedAt: '2026-12-02T10:00:00.000Z',
    seconds: 1,
    listsTruncated: false,
    ...overrides,
  };
}

describe('which page the argument names', () => {
  it('an id, a Cloud page, blog post, whiteboard, database or embed URL, a Data Center pageId URL', () => {
    expect(pageTargetOf('42')).toEqual({ id: '42' });
    expect(pageTargetOf('https://x.atlassian.net/wiki/spaces/ENG/pages/42/Runbook')).toEqual({ id: '42' });
    expect(pageTargetOf('https://x.atlassian.net/wiki/spaces/ENG/pages/42')).toEqual({ id: '42' });
    expect(pageTargetOf('https://x.atlassian.net/wiki/spaces/ENG/blog/2026/12/01/43/News')).toEqual({ id: '43' });
    expect(pageTargetOf('https://x.atlassian.net/wiki/spaces/ENG/whiteboard/44')).toEqual({ id: '44' });
    expect(pageTargetOf('https://x.atlassian.net/wiki/spaces/ENG/database/46')).toEqual({ id: '46' });
    expect(pageTargetOf('https://x.atlassian.net/wiki/spaces/ENG/embed/47')).toEqual({ id: '47' });
    expect(pageTargetOf('https://dc.example.com/confluence/pages/viewpage.action?pageId=45')).toEqual({ id: '45' });
  });

  it('a Data Center /display URL: its space and title (+ and %-escapes decoded), pages and blog posts', () => {
    expect(pageTargetOf('https://dc.example.com/confluence/display/ENG/On+call+%26+pager')).toEqual({
      spaceKey: 'ENG',
      title: 'On call & pager',
    });
    expect(pageTargetOf('https://dc.example.com/display/ENG/2026/12/01/Release+notes')).toEqual({
      spaceKey: 'ENG',
      title: 'Release notes',
    });
  });

  it('anything else is a title; a URL of no page and a broken escape are refused, naming the fix', () => {
    expect(pageTargetOf('  Runbook ')).toEqual({ title: 'Runbook' });
    expect(() => pageTargetOf('https://x.atlassian.net/wiki/spaces/ENG/overview')).toThrow(
      /^https:\/\/x.atlassian.net\/wiki\/spaces\/ENG\/overview is not the URL of a page: give a page's URL \(/,
    );
    expect(() => pageTargetOf('https://dc.example.com/display/ENG/Bad%E0%A4')).toThrow(
      /has a malformed %-escape: copy the page's URL again, or give its id$/,
    );
  });

  it('a title: the records and report pages that have it, in the space asked; one, none or ambiguous', () => {
    const failures = [{ id: '9', title: 'Runbook', spaceKey: 'OPS', reason: 'x' }];
    const skippedItems = [{ pageId: '42', name: 'Runbook', reason: 'y' }];
    const both = titleCandidates({ title: 'Runbook' }, [record], report({ failures, skippedItems }));
    expect(both).toEqual([
      { id: '42', spaceKey: 'ENG' },
      { id: '9', spaceKey: 'OPS' },
    ]);
    expect(titleCandidates({ title: 'Runbook', spaceKey: 'OPS' }, [record], report({ failures }))).toEqual([
      { id: '9', spaceKey: 'OPS' },
    ]);
    expect(onlyCandidate({ title: 'Runbook' }, both.slice(0, 1), 'here', 'fix')).toBe('42');
    expect(() => onlyCandidate({ title: 'Runbook' }, both, 'here', 'fix')).toThrow(
      'the title "Runbook" is ambiguous: pages 42 (space ENG), 9 (space OPS) have it; give the page id or its URL',
    );
    expect(() => onlyCandidate({ title: 'Gone', spaceKey: 'ENG' }, [], 'in out', 'give the id')).toThrow(
      'no page titled "Gone" in space ENG in out: give the id',
    );
  });
});

describe('what the output says', () => {
  it('an ingested page: where its outputs are, which version, when, its grants, and what the last run did', () => {
    expect(explainPage('42', record, report())).toEqual([
      'page 42 "Runbook" (space ENG) is ingested: version 7, written 2026-12-01T10:00:00.000Z by run run-1',
      'outputs: /out/ENG/42.html.json',
      'its outputs carry the permissions recorded with it',
      `${LAST_RUN} listed space ENG and kept the page as written (unchanged, or past its per-space limit)`,
    ]);
    const written = { ...record, committedAt: '2026-12-02T09:30:00.000Z' };
    expect(explainPage('42', written, report()).at(-1)).toBe(`${LAST_RUN} listed it and wrote this version`);
    expect(explainPage('42', record, report({ spaces: [] })).at(-1)).toBe(
      `${LAST_RUN} did not list space ENG (outside its selection): the page stays as written`,
    );
  });

  it('a page gone from the listing, kept: not visible to the account, its grants revoked', () => {
    const lines = explainPage(
      '42',
      { ...record, permissionsVersion: 'unproven' },
      report({ missing: [{ id: '42', title: 'Runbook', spaceKey: 'ENG' }], missingCount: 1 }),
    );
    expect(lines).toContain(
      'its outputs grant no one (revoked: gone from a listing, or its readers could not be proven)',
    );
    expect(lines.at(-1)).toBe(
      `${LAST_RUN} did not list it: deleted, or no longer visible to the ingest account; ` +
        'its outputs were kept, granting no one (--delete-missing removes them)',
    );
  });

  it('a failed page, with the reason; one the label filter left out; one skipped for its permissions', () => {
    const failures = [{ id: '5', title: 'T', spaceKey: 'ENG', reason: 'partition failed: bad table' }];
    expect(explainPage('5', undefined, report({ failures }))).toEqual([
      `${LAST_RUN} failed it: partition failed: bad table`,
    ]);
    const skippedItems = [
      { pageId: '6', name: 'Draft', reason: 'left out by --exclude-labels: labelled draft' },
      { pageId: '7', name: 'Secret', reason: 'permissions unreadable: 403 on GET /restriction' },
    ];
    expect(explainPage('6', undefined, report({ skippedItems, skippedItemCount: 2 }))).toEqual([
      `${LAST_RUN} left out Draft: left out by --exclude-labels: labelled draft`,
    ]);
    expect(explainPage('7', undefined, report({ skippedItems, skippedItemCount: 2 }))).toEqual([
      `${LAST_RUN} left out Secret: permissions unreadable: 403 on GET /restriction`,
    ]);
  });

  it('a whiteboard, database or embed of a type the run does not ingest, by id, URL or title', () => {
    const notIngestedItems = [
      {
        id: '77',
        type: 'whiteboard' as const,
        title: 'Roadmap',
        spaceKey: 'ENG',
        reason: notIngestedReason('whiteboard'),
      },
    ];
    const last = report({
      notIngestedItems,
      spaces: [
        { key: 'ENG', listed: 0, done: 0, skipped: 0, failed: 0, listingDone: true, notIngested: { whiteboard: 1 } },
      ],
    });
    expect(pageTargetOf('https://x.atlassian.net/wiki/spaces/ENG/whiteboard/77')).toEqual({ id: '77' });
    expect(titleCandidates({ title: 'Roadmap' }, [], last)).toEqual([{ id: '77', spaceKey: 'ENG' }]);
    expect(titleCandidates({ title: 'Roadmap', spaceKey: 'OPS' }, [], last)).toEqual([]);
    expect(explainPage('77', undefined, last)).toEqual([
      'the last run (2026-12-02T10:00:00.000Z) did not ingest whiteboard 77 "Roadmap" (space ENG), of a type not ' +
        'ingested: whiteboard is not in --content-types (the API gives its metadata, not its content: add whiteboard ' +
        'to ingest that)',
    ]);
  });

  it('a page no run has listed: the tree items the run counted are no guess, its truncated lists are', () => {
    const notIngested = { whiteboard: 2, database: 1 };
    const spaces = [{ key: 'ENG', listed: 3, done: 3, skipped: 0, failed: 0, listingDone: true, notIngested }];
    const named = (['whiteboard', 'whiteboard', 'database'] as const).map((type, i) => ({
      id: String(80 + i),
      type,
      title: `T${i}`,
      spaceKey: 'ENG',
      reason: notIngestedReason(type),
    }));
    const unknown =
      'page 77 is neither recorded in this output nor named by its last report: no run into it has listed the page ' +
      '(outside the selection, or not visible to the ingest account: --ask-site asks the site)';
    expect(explainPage('77', undefined, report({ spaces, notIngestedItems: named }))).toEqual([unknown]);
    expect(
      explainPage('77', undefined, report({ spaces, notIngestedItems: named.slice(1), listsTruncated: true })),
    ).toEqual([
      `${LAST_RUN} named only its first 1,000 failures, left-out items and tree items not ingested: this page may ` +
        'be among the rest',
    ]);
  });

  it('a run that stopped early may not have reached the page, and says why it stopped', () => {
    const stopped = { type: 'ConfluenceAuth', reason: 'the site rejected the credentials' };
    expect(explainPage('77', undefined, report({ stopped }))).toEqual([
      'the last run stopped (the site rejected the credentials) before its end: it may not have reached this page; ' +
        'a re-run continues from there',
    ]);
  });
});

const page: PageRef = {
  id: '42',
  title: 'Runbook',
  spaceId: '1',
  spaceKey: 'ENG',
  version: 8,
  url: 'https://x.atlassian.net/wiki/spaces/ENG/pages/42',
  contentType: 'page',
  labels: ['draft', 'ops'],
  createdAt: '2026-11-01T00:00:00.000Z',
};
const NOW = 'the site now, as user a@x.com:';
const noFilter = { labels: [], excludeLabels: [] };
const view = (v: Partial<SiteView>): SiteView => ({ who: 'user a@x.com', ancestors: [], restricted: [], ...v });
const ctx = (c: Partial<SiteContext>): SiteContext => ({ report: report(), filter: noFilter, ...c });

describe('what the site says (--ask-site)', () => {
  it('a visible page: version, space, ancestors, restrictions, labels, and the output behind it', () => {
    const restricted = [
      { id: '20', title: 'Ops', read: [{ type: 'group' as const, id: 'g' }] },
      { id: '42', title: 'Runbook', read: [{ type: 'user' as const, id: 'u' }] },
    ];
    const ancestors = [{ id: '10', title: 'Home' }, { id: '20', title: 'Ops' }, { id: '30' }];
    expect(siteLines('42', view({ page, ancestors, restricted }), ctx({ record }))).toEqual([
      `${NOW} page 42 "Runbook" in space ENG, version 8, under 10 "Home" > 20 "Ops" > 30`,
      'view-restricted through ancestor 20 "Ops", to 1 group; itself, to 1 user: only who passes every restriction ' +
        '(and the space) sees it',
      'labels: draft, ops (give the run’s --labels/--exclude-labels to check them)',
      'so: the site has version 8 and the output version 7: the next run ingests it again',
    ]);
    expect(siteLines('42', view({ page: { ...page, version: 7 } }), ctx({ record })).slice(1)).toEqual([
      "not view-restricted: its space's permissions decide who sees it",
      'labels: draft, ops (give the run’s --labels/--exclude-labels to check them)',
      'so: the output holds its current version',
    ]);
  });

  it('the label filters given: the one that leaves the page out, or that they keep it', () => {
    const filter = { labels: [], excludeLabels: ['draft'] };
    expect(siteLines('42', view({ page }), ctx({ filter })).slice(2)).toEqual([
      'labels: draft, ops; left out by --exclude-labels: labelled draft',
      'so: a run with these label filters leaves it out',
    ]);
    expect(siteLines('42', view({ page }), ctx({ filter: { labels: ['ops'], excludeLabels: [] } }))[2]).toBe(
      'labels: draft, ops; the label filters given keep it',
    );
  });

  it('not visible to the account: restricted or deleted, and what becomes of an output that has it', () => {
    const reason = 'restricted from it, or deleted (Confluence answers both alike)';
    const hidden = `${NOW} 42 is not visible to this account: ${reason}`;
    expect(siteLines('42', view({}), ctx({ record }))).toEqual([
      hidden,
      'so: the next run will not list it: its outputs are then kept granting no one (--delete-missing removes them)',
    ]);
    expect(siteLines('42', view({}), ctx({}))[1]).toBe(
      'so: no run as this account can ingest it: grant the account view of the page, its ancestors and its space, ' +
        'or check the id',
    );
  });

  it('of a type not ingested: a whiteboard left out by the last run, a folder, a blog post without the flag', () => {
    const whiteboard = { id: '44', type: 'whiteboard' as const, title: 'Plan', spaceKey: 'ENG' };
    const spaces = [
      { key: 'ENG', listed: 3, done: 3, skipped: 0, failed: 0, listingDone: true, notIngested: { whiteboard: 2 } },
    ];
    expect(siteLines('44', view({ item: whiteboard }), ctx({ report: report({ spaces }) }))).toEqual([
      `${NOW} 44 is a whiteboard "Plan" in space ENG, not a page`,
      'so: whiteboard is not in --content-types (the API gives its metadata, not its content: add whiteboard to ' +
        'ingest that)',
    ]);
    // Left out by the last run even when the output holds it from an earlier one.
    expect(siteLines('44', view({ item: whiteboard }), ctx({ record, report: report({ spaces }) }))[1]).toBe(
      `so: ${notIngestedReason('whiteboard')}`,
    );
    expect(siteLines('45', view({ item: { ...whiteboard, id: '45', type: 'folder' } }), ctx({}))).toEqual([
      `${NOW} 45 is a folder "Plan" in space ENG, not a page`,
      'so: a folder is a node of the page tree, not a document (the pages in it are ingested)',
    ]);
    const embed = { ...whiteboard, type: 'embed' as const, title: 'Dashboard' };
    expect(siteLines('44', view({ item: embed }), ctx({}))[0]).toMatch(/^.* 44 is an embed "Dashboard" in space ENG/);
    const post = { ...page, contentType: 'blogpost' as const };
    expect(siteLines('42', view({ page: post }), ctx({})).at(-1)).toBe(
      'so: blog posts are ingested only with --include-blogposts',
    );
  });

  it('a whiteboard, database or embed of a type the run ingests (--content-types): held, failed, or to select', () => {
    const database = { id: '46', type: 'database' as const, title: 'Assets', spaceKey: 'ENG' };
    expect(siteLines('46', view({ item: database }), ctx({ record })).at(-1)).toBe(
      'so: the output holds it, as a document of its metadata (database in --content-types)',
    );
    const failures = [{ id: '46', title: 'Assets', spaceKey: 'ENG', reason: 'x' }];
    expect(siteLines('46', view({ item: database }), ctx({ report: report({ failures }) })).at(-1)).toBe(
      'so: the next run tries it again',
    );
    expect(siteLines('46', view({ item: { ...database, spaceKey: 'OPS' } }), ctx({})).at(-1)).toBe(
      'so: the last run did not list space OPS: select it (--spaces, --cql or --page-ids) to ingest it',
    );
    expect(siteLines('46', view({ item: database }), ctx({})).at(-1)).toBe(
      'so: the account sees it: a run that selects it with database in --content-types ingests it',
    );
  });

  it('a page no run has written: outside the listed spaces, made since the run, failed, or just selectable', () => {
    const other = { ...page, spaceKey: 'OPS' };
    expect(siteLines('42', view({ page: other }), ctx({})).at(-1)).toBe(
      'so: the last run did not list space OPS: select it (--spaces, --cql or --page-ids) to ingest it',
    );
    const fresh = { ...page, createdAt: '2026-12-03T00:00:00.000Z' };
    expect(siteLines('42', view({ page: fresh }), ctx({})).at(-1)).toBe(
      'so: it was made after the last run: the next run ingests it',
    );
    const failures = [{ id: '42', title: 'Runbook', spaceKey: 'ENG', reason: 'x' }];
    expect(siteLines('42', view({ page }), ctx({ report: report({ failures }) })).at(-1)).toBe(
      'so: the next run tries it again',
    );
    expect(siteLines('42', view({ page }), ctx({})).at(-1)).toBe(
      'so: the account sees it: the next run that selects it ingests it',
    );
  });
});
