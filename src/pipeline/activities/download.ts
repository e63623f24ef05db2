// The download step: everything a page needs from Confluence, its rendered body (into the work dir: the step hands on
// its path, never the body) and its permissions, asked for side by side in one activity.
import path from 'node:path';
import type { Permissions, Site } from '../config';
import type { PageRef } from '../../connectors/confluence/client/types';
import type { ConfluenceClient } from '../../connectors/confluence/client/client';
import { toActivityFailure } from '../../connectors/confluence/client/failures';
import { writeFileAtomic } from '../../core/atomicWrite';
import { shortHash } from '../../core/ids';
import { pagePermissions, type PagePermissionsResult } from './permissions';

export interface DownloadPageInput {
  site: Site;
  ref: PageRef;
  workDir: string;
  permissions: Permissions;
}

export interface DownloadedPage {
  htmlPath: string;
  /** The ref as the page itself reports it (its version may be newer than the listing's). */
  ref: PageRef;
  access: PagePermissionsResult;
}

export function documentHtml(title: string, viewHtml: string): string {
  // Wrapped as unstructured-ingest wraps a Confluence page, so element ids and titles match the reference.
  return `<body class='Document'><h1>${escapeHtml(title)}</h1>${viewHtml}</body>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function downloadBody(client: ConfluenceClient, { site, ref, workDir }: Omit<DownloadPageInput, 'permissions'>): Promise<Omit<DownloadedPage, 'access'>> {
  try {
    const page = await client.getPage(ref.id, ref.contentType);
    const htmlPath = path.join(workDir, shortHash(site.url), ref.spaceKey, `${ref.id}.v${page.ref.version}.html`);
    await writeFileAtomic(htmlPath, documentHtml(page.ref.title, page.html));
    return { htmlPath, ref: { ...ref, ...page.ref, spaceKey: ref.spaceKey } };
  } catch (err) {
    throw toActivityFailure(err);
  }
}

export function downloadActivities(client: (site: Site) => ConfluenceClient) {
  return {
    async downloadPage({ site, ref, workDir, permissions }: DownloadPageInput): Promise<DownloadedPage> {
      const confluence = client(site);
      const [downloaded, access] = await Promise.all([
        downloadBody(confluence, { site, ref, workDir }),
        pagePermissions(confluence, { site, ref, permissions }),
      ]);
      return { ...downloaded, access };
    },
  };
}
