// --extract-images for one page: its downloaded HTML with every allowed image inlined, written beside it.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../core/atomicWrite';
import type { DocumentRecord } from '../../core/document';
import { capLeftOut, type LeftOut } from '../../core/leftOut';
import { describeUrl } from './extract/allowList';
import { fetchBytes } from './extract/download';
import { inlineImages } from './extract/inlineImages';
import type { FetchSession } from './fetchSession';

export interface InlinedPage {
  /** The same document, its content now the HTML with images inlined. */
  document: DocumentRecord;
  /** Images that stayed URLs, and why. */
  leftOut: LeftOut[];
}

export async function inlinePageImages(session: FetchSession, document: DocumentRecord, maxImageBytes: number): Promise<InlinedPage> {
  const result = await inlineImages(await readFile(document.localPath, 'utf8'), {
    policy: session.policy,
    baseUrl: document.url ?? '',
    maxImageBytes,
    fetch: (url, maxBytes) => {
      session.heartbeat({ image: describeUrl(url) });
      return fetchBytes(url, { ...session.fetch, maxBytes });
    },
  });
  const localPath = `${document.localPath.replace(/\.html$/, '')}.images.html`;
  await writeFileAtomic(localPath, result.html);
  const leftOut = result.notes.map((n) => ({ name: n.src, reason: `${n.reason}: ${n.detail}` }));
  return { document: { ...document, localPath }, leftOut: capLeftOut(leftOut) };
}
