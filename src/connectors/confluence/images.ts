// --extract-images for one page: its HTML with every allowed image inlined.
import { capLeftOut, type LeftOut } from '../../core/leftOut';
import { describeUrl } from './extract/allowList';
import { fetchBytes } from './extract/download';
import { inlineImages } from './extract/inlineImages';
import type { FetchSession } from './fetchSession';

export interface InlinedPage {
  html: string;
  /** Images that stayed URLs, and why. */
  leftOut: LeftOut[];
}

/** `pageUrl`: where the HTML came from (relative srcs on Data Center resolve against it). */
export async function inlinePageImages(
  session: FetchSession,
  html: string,
  pageUrl: string,
  maxImageBytes: number,
): Promise<InlinedPage> {
  const result = await inlineImages(html, {
    policy: session.policy,
    baseUrl: pageUrl,
    maxImageBytes,
    fetch: (url, maxBytes) => {
      session.heartbeat({ image: describeUrl(url) });
      return fetchBytes(url, { ...session.fetch, maxBytes });
    },
  });
  const leftOut = result.notes.map((n) => ({ name: n.src, reason: `${n.reason}: ${n.detail}` }));
  return { html: result.html, leftOut: capLeftOut(leftOut) };
}
