// A page's rendered body into the work dir: the fetch step hands on its path, never the body itself.
import path from 'node:path';
import type { Site } from '../config';
import type { PageRef } from '../confluence/types';
import type { ConfluenceClient } from '../confluence/client';
import { toActivityFailure } from '../confluence/failures';
import { writeFileAtomic } from '../destinations/atomicWrite';
import { shortHash } from '../ids';

export interface DownloadPageInput {
  site: Site;
  ref: PageRef;
  workDir: string;
}

export interface DownloadedPage {
  htmlPath: string;
  /** The ref as the page itself reports it (its version may be newer than the listing's). */
  ref: PageRef;
}

export function documentHtml(title: string, viewHtml: string): string {
  // Wrapped as unstructured-ingest wraps a Confluence page, so element ids and titles match the reference.
  return `<body class='Document'><h1>${escapeHtml(title)}</h1>${viewHtml}</body>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export async function downloadPage(client: ConfluenceClient, { site, ref, workDir }: DownloadPageInput): Promise<DownloadedPage> {
  try {
    const page = await client.getPage(ref.id, ref.contentType);
    const htmlPath = path.join(workDir, shortHash(site.url), ref.spaceKey, `${ref.id}.v${page.ref.version}.html`);
    await writeFileAtomic(htmlPath, documentHtml(page.ref.title, page.html));
    return { htmlPath, ref: { ...ref, ...page.ref, spaceKey: ref.spaceKey } };
  } catch (err) {
    throw toActivityFailure(err);
  }
}
