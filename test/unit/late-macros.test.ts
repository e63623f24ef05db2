// Macros Confluence builds in the browser (issue 24), read through the download step over real HTTP from the
// simulator: a Page Properties Report's rows come from the page's export_view (read in batches of at most 25 on Cloud,
// only for pages that need it) and carry the permissions of every page they show; Jira's text is never ingested, its
// issue keys are; what cannot be filled is named per page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, type SimPage, startSimulator } from '../../simulator';
import { closeConfluencePools, type ConfluenceClient, type PageRef } from '../../src/connectors/confluence/client';
import { contentBatcher } from '../../src/connectors/confluence/contentBatch';
import { type DownloadedPage, downloadPage } from '../../src/connectors/confluence/download';
import { withoutJiraText } from '../../src/connectors/confluence/lateMacros/jira';
import { fillReports } from '../../src/connectors/confluence/lateMacros/reports';
import { PermissionsSchema, type Site } from '../../src/pipeline/config';
import { clientFor } from '../support/clients';
import { tempDir } from '../support/stack';

afterAll(() => closeConfluencePools());

for (const mode of ['cloud', 'dc'] as const) {
  describe(`late macros through the download step (${mode})`, () => {
    let sim: RunningSimulator;
    let client: ConfluenceClient;
    let site: Site;
    /** Two pages a report lists, the second readable by the ingest account and one other user only. */
    let rows: [SimPage, SimPage];
    let report: SimPage;

    beforeAll(async () => {
      sim = await startSimulator({ mode, seed: 8, spaces: 1, pagesPerSpace: 40, users: 5 });
      client = clientFor(sim);
      const [ingest, other] = sim.site.users;
      site =
        mode === 'cloud'
          ? { url: sim.url, cloud: true, auth: 'api-token', username: ingest!.email, gatewayUrl: sim.origin }
          : { url: sim.url, cloud: false, auth: 'password', username: ingest!.username, gatewayUrl: sim.origin };
      const leaves = sim.site.pages.filter((p) => p.type === 'page' && sim.site.children(p.id).length === 0);
      rows = [leaves[0]!, leaves[1]!];
      report = leaves[2]!;
      for (const [i, page] of rows.entries()) {
        sim.site.setLabels(page.id, ['service']);
        sim.site.addMacro(page.id, { macro: 'details', properties: [['Owner', `Owner-${i}-${mode}`]] });
      }
      sim.site.setRestriction(rows[1].id, 'read', { userIds: [ingest!.id, other!.id], groupIds: [] });
      sim.site.addMacro(report.id, { macro: 'detailssummary', cql: 'label = "service"', headings: ['Owner'] });
      sim.site.addMacro(report.id, { macro: 'jira', key: 'OPS-17' });
      sim.site.addMacro(report.id, { macro: 'jira', jql: 'project = OPS' });
    });
    afterAll(() => sim?.close());

    const download = async (page: SimPage, permissions = {}): Promise<Extract<DownloadedPage, { html: string }>> => {
      const dir = tempDir('late-macros');
      const result = await downloadPage(client, {
        site,
        ref: refOf(sim, page),
        workFile: (name) => `${dir}/${name}`,
        permissions: PermissionsSchema.parse({ run: `run-${Math.random()}`, ...permissions }),
      });
      if (!('html' in result)) throw new Error(`skipped: ${result.skipped}`);
      return result;
    };

    it('ingests the rows of a report with the permissions of every page they show', async () => {
      const page = await download(report);
      expect(page.html).toContain('Owner-0-');
      expect(page.html).toContain('Owner-1-');
      expect(page.html).not.toContain('Generating page properties report');
      const regions = Object.values(page.document.regions?.sources ?? {});
      expect(regions.map((s) => [...((s.record_locator?.included_page_ids ?? []) as string[])].sort())).toEqual([
        rows.map((r) => r.id).sort(),
      ]);
      const readers = regions[0]!.permissions_data?.[0]?.read;
      const [ingest, other] = sim.site.users.map((u) => (mode === 'cloud' ? u.id : u.userKey));
      expect(readers).toEqual({ users: [ingest, other].sort(), groups: [] });
    });

    it('keeps Jira issue keys, never Jira text, and names what it left out', async () => {
      const page = await download(report);
      expect(page.html).toContain('OPS-17');
      expect(page.html).not.toContain('Getting issue details');
      expect(page.html).not.toContain('STATUS');
      expect(page.html).not.toContain('refresh-module-id');
      expect(page.leftOut?.map((l) => l.name)).toEqual([
        'jira macro: summary and status of OPS-17',
        'jira macro (issue table or count)',
      ]);
    });

    it('keeps the rows as rendered when permissions are off', async () => {
      const page = await download(report, { enabled: false });
      expect(page.html).toContain('Owner-1-');
      expect(page.document.regions).toBeUndefined();
    });

    it('reads export_view only for pages with a report, one search per 25 pages on Cloud (50 on DC)', async () => {
      const pages = sim.site.pages.filter((p) => p.type === 'page').slice(0, 30);
      sim.stats.reset();
      const batcher = contentBatcher(client, `batch-${mode}`);
      const views = await Promise.all(pages.map((p) => batcher.exportView({ id: p.id, version: p.version.number })));
      expect(views.every((v, i) => v?.version === pages[i]!.version.number)).toBe(true);
      expect(views.find((_, i) => pages[i]!.id === report.id)?.html).toContain(`data-content-id="${rows[0].id}"`);
      expect(sim.stats.routeCount('content/search')).toBe(mode === 'cloud' ? 2 : 1);

      const plain = sim.site.pages.find((p) => p.type === 'page' && !p.macros && !p.includes)!;
      sim.stats.reset();
      await download(plain);
      expect(sim.stats.pageBodyRequests.get(plain.id)).toBe(1);
    });
  });
}

describe('what cannot be filled', () => {
  const placeholder = (cql: string) =>
    '<div class="table-wrap conf-macro output-block" data-macro-name="detailssummary">' +
    `<table class="aui metadata-summary-macro" data-cql="${cql}">` +
    '<caption>Generating page properties report...</caption><tbody></tbody></table></div>';
  const rendered = (cql: string) =>
    `<table class="aui metadata-summary-macro" data-cql="${cql}">` +
    '<tbody><tr><td class="title" data-content-id="7"><a>Row page</a></td></tr></tbody></table>';

  it('takes out a report placeholder whose export_view is unreadable or shows other reports, and says why', () => {
    const view = `<p>Before</p>${placeholder('label = a')}<p>After</p>`;
    expect(fillReports(view, undefined)).toEqual({
      html: '<p>Before</p><p>After</p>',
      leftOut: [{ name: 'detailssummary macro', reason: expect.stringMatching(/export_view could not be read$/) }],
    });
    expect(fillReports(view, rendered('label = b')).leftOut[0]!.reason).toMatch(/shows another query there$/);
    expect(fillReports(view, `${rendered('label = a')}${rendered('label = a')}`).leftOut[0]!.reason).toMatch(
      /does not show the same reports$/,
    );
    expect(fillReports(view, rendered('label = a')).html).toContain('data-content-id="7"');
    const paged = rendered('label = a').replace('<table ', '<table data-total-pages="3" ');
    expect(fillReports(view, paged).leftOut).toEqual([
      { name: 'detailssummary macro', reason: expect.stringMatching(/rows past its first page \(of 3\)/) },
    ]);
  });

  it('reduces Jira issues to their keys in rendered rows too', () => {
    const row =
      '<td><span class="confluence-jim-macro jira-issue" data-jira-key="A-1"><a>A-1</a> - ' +
      '<span class="summary">Secret summary</span></span></td>';
    const { html, leftOut } = withoutJiraText(`<table><tr>${row}</tr></table>`);
    expect(html).toBe('<table><tr><td>A-1</td></tr></table>');
    expect(leftOut).toHaveLength(1);
  });
});

function refOf(sim: RunningSimulator, page: SimPage): PageRef {
  const space = sim.site.space(page.spaceId)!;
  return {
    id: page.id,
    title: page.title,
    spaceId: space.id,
    spaceKey: space.key,
    version: page.version.number,
    url: `${sim.url}/pages/${page.id}`,
  };
}
