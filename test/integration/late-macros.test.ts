// Issue 24, end to end on Temporal: a page with a Page Properties Report and Jira issues macros, whose body.view has
// only placeholders, is ingested with the report's rows (read from export_view) granted to whoever may read the page
// and every page the rows show, Jira issue keys without Jira's text, and the run report naming what was left out.
// Cloud and Data Center.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimPage, SimUser } from '../../simulator';
import { startIngest } from '../../src/client';
import type { Element, PermissionsData } from '../../src/core/elements';
import type { IngestInput } from '../../src/pipeline/config';
import { outputFiles, readJson } from '../support/outputs';
import { jobFor, type Stack, startStack, tempDir } from '../support/stack';

const DC_PASSWORD = 'late-macros-password';

for (const mode of ['cloud', 'dc'] as const) {
  describe(`late macros in an ingest (${mode})`, () => {
    let stack: Stack;

    beforeAll(async () => {
      stack = await startStack({
        simulator: {
          mode,
          seed: 47,
          spaces: 1,
          pagesPerSpace: 12,
          users: 6,
          ...(mode === 'dc' ? { credentials: { password: DC_PASSWORD } } : {}),
        },
        ...(mode === 'dc' ? { secrets: { password: DC_PASSWORD } } : {}),
      });
    }, 300_000);
    afterAll(() => stack?.stop());

    it('ingests the text readers see, under the grants of every page it comes from, and names what it left out', {
      timeout: 300_000,
    }, async () => {
      const { sim } = stack;
      const { site } = sim;
      const [ingest, reader, stranger] = site.users as [SimUser, SimUser, SimUser];
      const leaves = site.pages.filter((p) => p.type === 'page' && site.children(p.id).length === 0);
      const [open, narrow, hidden, report] = leaves as [SimPage, SimPage, SimPage, SimPage];
      for (const [page, owner] of [
        [open, 'Owner-open'],
        [narrow, 'Owner-narrow'],
        [hidden, 'Owner-hidden'],
      ] as const) {
        site.setLabels(page.id, ['service']);
        site.addMacro(page.id, { macro: 'details', properties: [['Owner', owner]] });
      }
      site.setRestriction(narrow.id, 'read', { userIds: [ingest.id, reader.id], groupIds: [] });
      site.setRestriction(hidden.id, 'read', { userIds: [stranger.id], groupIds: [] });
      site.addMacro(report.id, { macro: 'detailssummary', cql: 'label = "service"', headings: ['Owner'] });
      site.addMacro(report.id, { macro: 'jira', key: 'OPS-17' });
      site.addMacro(report.id, { macro: 'jira', jql: 'project = OPS' });

      const dir = tempDir(`late-macros-${mode}`);
      const dcSite = { url: sim.url, cloud: false, auth: 'password' as const, username: sim.credentials.username };
      const job = jobFor(sim, dir, (mode === 'dc' ? { site: dcSite } : {}) as Partial<IngestInput>);
      const result = await (await startIngest(stack.client, job)).result();
      expect(result.failed).toBe(0);

      const space = site.space(report.spaceId)!;
      const elements = readJson<Element[]>(path.join(job.outputDir, space.key, `${report.id}.html.json`));
      const text = elements.map((e) => e.text).join('\n');
      const rowsElement = elements.find((e) => e.text.includes('Owner-open'))!;
      expect(rowsElement.text).toContain('Owner-narrow');
      const chain = rowsElement.metadata.data_source?.record_locator?.included_page_ids as string[];
      expect([...chain].sort()).toEqual([open.id, narrow.id].sort());
      expect(text).toContain('OPS-17');
      for (const absent of ['Owner-hidden', 'Generating page properties report', 'Getting issue details', 'STATUS'])
        expect(text).not.toContain(absent);
      expect(compare(stack, mode, job.outputDir)).toEqual({ over: [], under: [] });

      const named = result.skippedItems.filter((s) => s.pageId === report.id).map((s) => s.name);
      expect(named).toEqual(['jira macro: summary and status of OPS-17', 'jira macro (issue table or count)']);
    });
  });
}

/**
 * Users granted an element who cannot open every page its text comes from (over), and users who can but are not
 * granted it (under), for every element written.
 */
function compare(stack: Stack, mode: 'cloud' | 'dc', outputDir: string) {
  const { site } = stack.sim;
  const principal = (u: SimUser) => `user:${mode === 'cloud' ? u.id : u.userKey}`;
  const groupKey = (id: string) => `group:${mode === 'cloud' ? id : site.group(id)!.name}`;
  const over = new Set<string>();
  const under = new Set<string>();
  for (const file of outputFiles(outputDir)) {
    for (const element of readJson<Element[]>(path.join(outputDir, file))) {
      const source = element.metadata.data_source ?? {};
      const locator = (source.record_locator ?? {}) as Record<string, unknown>;
      const pages = [String(locator.document_id), ...((locator.included_page_ids as string[] | undefined) ?? [])];
      const readers = readersOf(source.permissions_data);
      for (const user of site.users) {
        const can = pages.every((id) => site.canView(user.id, id));
        const has =
          readers.includes(principal(user)) || site.groupsOf(user.id).some((g) => readers.includes(groupKey(g.id)));
        if (has && !can) over.add(`${pages.join('+')}:${user.username}`);
        if (can && !has) under.add(`${pages.join('+')}:${user.username}`);
      }
    }
  }
  return { over: [...over], under: [...under] };
}

function readersOf(data: PermissionsData | undefined): string[] {
  if (!data) return [];
  const [{ read }] = data;
  return [...read.users.map((u) => `user:${u}`), ...read.groups.map((g) => `group:${g}`)];
}
