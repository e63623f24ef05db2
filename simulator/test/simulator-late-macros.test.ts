// Issue 24: macros Confluence builds late. body.view carries the placeholders a browser fills (a Page Properties
// Report's empty table, a Jira issue's "Getting issue details...", a JQL table's empty block); body.export_view (and
// styled_view) the server's full rendering; storage the macros. Same on Cloud and Data Center, through every endpoint
// that serves bodies, and a report lists only the pages its reader may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type SimPage, type SimUser } from '..';

for (const mode of ['cloud', 'dc'] as const) {
  describe(`simulator: late macros (${mode})`, () => {
    let sim: RunningSimulator;
    let rows: [SimPage, SimPage];
    let report: SimPage;

    const auth = (u: SimUser) => {
      const credentials = mode === 'cloud' ? `${u.email}:${u.apiToken}` : `${u.username}:${u.password}`;
      return `Basic ${Buffer.from(credentials).toString('base64')}`;
    };
    const json = async <T>(path: string, u: SimUser = sim.site.users[0]): Promise<T> => {
      const res = await fetch(`${sim.url}${mode === 'cloud' ? '/wiki' : ''}${path}`, {
        headers: { authorization: auth(u) },
      });
      expect(res.status, path).toBe(200);
      return (await res.json()) as T;
    };
    type V1Body = { body: Record<string, { value: string }> };
    /** Every endpoint that serves the report page's body in this representation. */
    const bodies = async (representation: string, u?: SimUser): Promise<string[]> => {
      const one = await json<V1Body>(`/rest/api/content/${report.id}?expand=body.${representation}`, u);
      const cql = encodeURIComponent(`id = ${report.id}`);
      const found = await json<{ results: V1Body[] }>(
        `/rest/api/content/search?cql=${cql}&expand=body.${representation}`,
        u,
      );
      const values = [one.body[representation]!.value, found.results[0]!.body[representation]!.value];
      if (mode === 'dc') return values;
      const v2 = await json<V1Body>(`/api/v2/pages/${report.id}?body-format=${representation}`, u);
      return [...values, v2.body[representation]!.value];
    };

    beforeAll(async () => {
      sim = await startSimulator({ mode, seed: 24, spaces: 1, pagesPerSpace: 8, users: 4 });
      const { site } = sim;
      // Leaves: a restriction on one row's page must not hide the report page below it.
      const pages = site.pages.filter((p) => p.type === 'page' && site.children(p.id).length === 0);
      const space = site.space(pages[0]!.spaceId)!;
      rows = [pages[0]!, pages[1]!];
      report = pages[2]!;
      for (const [i, page] of rows.entries()) {
        site.setLabels(page.id, ['service']);
        site.addMacro(page.id, {
          macro: 'details',
          properties: [
            ['Owner', `Owner ${i}`],
            ['Tier', `Tier ${i}`],
          ],
        });
      }
      site.addMacro(report.id, {
        macro: 'detailssummary',
        cql: `label = "service" and space = ${space.key}`,
        headings: ['Owner', 'Tier'],
      });
      site.addMacro(report.id, { macro: 'jira', key: 'OPS-17' });
      site.addMacro(report.id, { macro: 'jira', jql: 'project = OPS order by created' });
    });
    afterAll(() => sim.close());

    it('stores the macros as Confluence stores them', async () => {
      const [storage] = await bodies('storage');
      expect(storage).toContain('<ac:structured-macro ac:name="detailssummary"');
      expect(storage).toContain('<ac:parameter ac:name="cql">label = &quot;service&quot;');
      expect(storage).toContain('<ac:parameter ac:name="key">OPS-17</ac:parameter>');
      expect(storage).toContain('<ac:parameter ac:name="jqlQuery">project = OPS order by created</ac:parameter>');
    });

    it('sends placeholders in body.view: the report without rows, Jira without its text', async () => {
      for (const view of await bodies('view')) {
        expect(view).toContain('<caption>Generating page properties report...</caption><thead></thead><tbody></tbody>');
        expect(view).not.toContain('data-content-id');
        expect(view).toContain('data-jira-key="OPS-17"');
        expect(view).toContain('<span class="summary">Getting issue details...</span>');
        expect(view).toContain('jira-table placeholder');
        expect(view).not.toContain('jira-macro-single-issue-export-pdf');
      }
    });

    it('renders them in full in body.export_view and styled_view', async () => {
      const rendered = [...(await bodies('export_view')), ...(mode === 'cloud' ? await bodies('styled_view') : [])];
      for (const html of rendered) {
        for (const [i, page] of rows.entries()) {
          expect(html).toContain(`<td class="title" data-content-id="${page.id}">`);
          expect(html).toContain(`<td>Owner ${i}</td><td>Tier ${i}</td>`);
        }
        expect(html).not.toContain('Generating page properties report');
        expect(html).not.toContain('Getting issue details...');
        expect(html).toMatch(/data-jira-key="OPS-17">.*<span class="summary">[^<]+<\/span>/);
        expect(html).toMatch(/<td class="key"><a href="[^"]+\/browse\/OPS-\d+">OPS-\d+<\/a><\/td>/);
      }
    });

    it('lists in a report only the pages its reader may see, without a new version of the report', async () => {
      const reader = sim.site.users.find((u, i) => i > 0 && [report, ...rows].every((p) => sim.canView(u.id, p.id)))!;
      const version = report.version.number;
      sim.site.setRestriction(rows[1].id, 'read', { userIds: [sim.site.users[0]!.id], groupIds: [] });
      const [html] = await bodies('export_view', reader);
      expect(html).toContain(`data-content-id="${rows[0].id}"`);
      expect(html).not.toContain(`data-content-id="${rows[1].id}"`);
      const [all] = await bodies('export_view');
      expect(all).toContain(`data-content-id="${rows[1].id}"`);
      expect(sim.site.page(report.id)!.version.number).toBe(version);
    });
  });
}
