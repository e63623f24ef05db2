// --extract-files and links to other pages' attachments: a file carries the permissions of the page it is attached to,
// whichever page links it; a site link whose page cannot be established or is not visible is never fetched.
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, type SimPage, startSimulator } from '../../simulator';
import { authorizationHeader } from '../../src/connectors/confluence/client/auth';
import { createConfluenceClient } from '../../src/connectors/confluence/client/client';
import type { PageRef } from '../../src/connectors/confluence/client/types';
import { withFetchSession } from '../../src/connectors/confluence/fetchSession';
import { downloadPageFiles } from '../../src/connectors/confluence/files/download';
import { pagePermissions } from '../../src/connectors/confluence/pagePermissions';
import { IngestInputSchema } from '../../src/pipeline/config';
import { tempDir } from '../support/stack';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 4, spaces: 2, pagesPerSpace: 12, users: 5 });
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => sim.stats.reset());

function setup() {
  const job = IngestInputSchema.parse({
    site: { url: sim.url, cloud: true, auth: 'api-token', username: sim.credentials.username },
    outputDir: path.join(tempDir('containers'), 'out'),
    extract: { allowList: [sim.url], downloadDir: path.join(tempDir('containers'), 'downloads') },
  });
  const secrets = { apiToken: sim.credentials.apiToken };
  const client = createConfluenceClient(job.site, secrets, { retry: { attempts: 1 } });
  const settings = { siteUrl: sim.url, allowList: [sim.url], authorization: authorizationHeader(job.site, secrets) };
  const { allowList, includeAttachments, forceDownload, maxFileBytes, downloadDir } = job.extract;
  const files = { allowList, includeAttachments, forceDownload, maxFileBytes, downloadDir };
  const download = (ref: PageRef, html: string) =>
    withFetchSession(settings, { heartbeat: () => {}, timeoutMs: 30_000 }, (session) =>
      downloadPageFiles(client, session, { site: job.site, ref, html, settings: files, permissions: job.permissions }),
    );
  return { job, client, download };
}

function refOf(page: SimPage): PageRef {
  const space = sim.site.space(page.spaceId)!;
  return {
    id: page.id,
    title: page.title,
    spaceId: space.id,
    spaceKey: space.key,
    version: page.version.number,
    url: `${sim.url}/wiki/spaces/${space.key}/pages/${page.id}`,
  };
}

const anchor = (href: string, attrs = '') => `<p><a href="${href}" ${attrs}>file</a></p>`;
const attachmentPath = (page: SimPage) =>
  `/wiki/download/attachments/${page.id}/${encodeURIComponent(page.attachments[0]!.title)}`;

describe('files linked from another page', () => {
  it('carry their own page permissions; unknown or invisible pages are reported and never fetched', async () => {
    const { job, client, download } = setup();
    const ingest = sim.site.users[0]!;
    const other = sim.site.users[1]!;
    const withFiles = sim.site.pages.filter((p) => p.type === 'page' && p.attachments.length > 0);
    const [restricted, hidden] = withFiles;
    const linking = sim.site.pages.find((p) => p.parentId === null && !withFiles.slice(0, 2).includes(p))!;
    for (const p of [linking, restricted!, hidden!]) {
      for (const op of ['read', 'update'] as const) sim.site.setRestriction(p.id, op, { userIds: [], groupIds: [] });
    }
    sim.site.setRestriction(restricted!.id, 'read', { userIds: [ingest.id], groupIds: [] });
    sim.site.setRestriction(hidden!.id, 'read', { userIds: [other.id], groupIds: [] });

    const html = [
      anchor(attachmentPath(restricted!)),
      anchor(attachmentPath(hidden!)),
      anchor('/wiki/files/report.pdf', 'class="confluence-embedded-file"'),
      anchor(attachmentPath(restricted!), `data-linked-resource-container-id="${hidden!.id}"`),
    ].join('');
    const linkingRef = refOf(linking);
    const { files, leftOut } = await download(linkingRef, html);

    const own = await pagePermissions(client, {
      site: job.site,
      ref: refOf(restricted!),
      permissions: job.permissions,
    });
    const linkingOwn = await pagePermissions(client, { site: job.site, ref: linkingRef, permissions: job.permissions });
    expect(own.permissionsData![0].read).toEqual({ users: [ingest.id], groups: [] });
    expect(linkingOwn.permissionsData![0].read).not.toEqual(own.permissionsData![0].read);

    expect(files).toHaveLength(1);
    expect(files[0]!.metadata.permissions_data).toEqual(own.permissionsData);
    expect(files[0]!.metadata.record_locator).toMatchObject({
      document_id: linking.id,
      attachment_page_id: restricted!.id,
    });
    const hiddenName = hidden!.attachments[0]!.title;
    expect(leftOut).toEqual([
      { name: 'report.pdf', reason: "refused: the link does not name the file's page, so its permissions are unknown" },
      {
        name: restricted!.attachments[0]!.title,
        reason: `refused: the link names two pages as the file's (${restricted!.id} and ${hidden!.id}), so its permissions are unknown`,
      },
      {
        name: hiddenName,
        reason: `not fetched: its page ${hidden!.id} is not visible to the ingest account (or is gone)`,
      },
    ]);
    // Only the file whose page was established and visible was asked for.
    expect(sim.stats.routeCount('/download/attachments')).toBe(1);
    expect(sim.stats.routeCount('/files/')).toBe(0);
  });
});
