// --extract-files, finding what to fetch: the files a page's body links (embedded files, links into
// /download/attachments/) and, with --include-attachments, every attachment the API lists for it; each with the page
// it is attached to, which may be another than the page that links it.
import type { Element as HtmlElement } from 'domhandler';
import { findAll } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { flattenDeepNesting } from '../../../core/htmlNesting';
import type { LeftOut } from '../../../core/leftOut';
import type { ConfluenceClient } from '../client/client';
import type { AttachmentRef, PageRef } from '../client/types';

const ATTACHMENTS_PER_CALL = 100;
/** Confluence links attachments here (Cloud under /wiki, Data Center under its context path), by their page's id. */
const ATTACHMENT_PATH = /\/download\/attachments\/(\d+)\//;

export interface Candidate {
  /** Attachment id when known, else the URL without query: one file, one key. */
  key: string;
  name: string;
  url: URL;
  attachmentId?: string;
  version?: number;
  /** The page the file is attached to, whose permissions it carries. */
  containerId: string;
}

/**
 * a.confluence-embedded-file and plain links into /download/attachments/, resolved against the page's URL. A file on
 * the site (fetched with its credentials) is attached to the page its link names; one elsewhere, fetched without
 * them, is the linking page's own.
 */
export function linkedFiles(
  html: string,
  page: { id: string; url: string },
  siteOrigin: string,
): { candidates: Candidate[]; leftOut: LeftOut[] } {
  const anchors = findAll(
    (el) => el.name === 'a' && typeof el.attribs.href === 'string',
    parseDocument(flattenDeepNesting(html)).children,
  );
  const candidates: Candidate[] = [];
  const leftOut: LeftOut[] = [];
  for (const a of anchors) {
    let url: URL;
    try {
      url = new URL(a.attribs.href, page.url);
    } catch {
      // Not echoed: an unparseable link may still carry a token.
      if (isEmbeddedFile(a))
        leftOut.push({ name: '<unparseable URL>', reason: 'refused: the file link is not a valid URL' });
      continue;
    }
    const inPath = ATTACHMENT_PATH.exec(url.pathname)?.[1];
    if (!isEmbeddedFile(a) && !inPath) continue;
    const id = a.attribs['data-linked-resource-id'];
    const version = Number(a.attribs['data-linked-resource-version'] ?? url.searchParams.get('version'));
    const name = a.attribs['data-linked-resource-default-alias'] || lastSegment(url) || 'file';
    const container =
      url.origin === siteOrigin ? containerOf(inPath, a.attribs['data-linked-resource-container-id']) : { id: page.id };
    if ('reason' in container) {
      leftOut.push({ name, reason: `refused: ${container.reason}` });
      continue;
    }
    candidates.push({
      key: id ? attachmentKey(id) : urlKey(url),
      name,
      url,
      ...(id ? { attachmentId: normalizeId(id) } : {}),
      ...(Number.isSafeInteger(version) && version > 0 ? { version } : {}),
      containerId: container.id,
    });
  }
  return { candidates, leftOut };
}

/**
 * The page a linked file is attached to, from its URL path or the anchor's container attribute. Without one the file's
 * permissions are unknown; when the two disagree, so is which page serves it.
 */
function containerOf(inPath: string | undefined, inAnchor: string | undefined): { id: string } | { reason: string } {
  const attribute = inAnchor && /^\d+$/.test(inAnchor) ? inAnchor : undefined;
  if (inPath && attribute && inPath !== attribute)
    return {
      reason: `the link names two pages as the file's (${inPath} and ${attribute}), so its permissions are unknown`,
    };
  const id = inPath ?? attribute;
  return id ? { id } : { reason: "the link does not name the file's page, so its permissions are unknown" };
}

function isEmbeddedFile(a: HtmlElement): boolean {
  return (
    (a.attribs.class ?? '').split(/\s+/).includes('confluence-embedded-file') ||
    a.attribs['data-linked-resource-type'] === 'attachment'
  );
}

/** Every attachment of the page, page after page of the API (no cap). */
export async function pageAttachments(
  client: ConfluenceClient,
  ref: PageRef,
  heartbeat: (details: unknown) => void,
): Promise<Candidate[]> {
  const out: Candidate[] = [];
  let cursor: string | undefined;
  do {
    const listing = await client.listAttachments(ref.id, {
      cursor,
      limit: ATTACHMENTS_PER_CALL,
      type: ref.contentType,
    });
    out.push(...listing.items.map((att) => attachmentCandidate(att, ref.id)));
    heartbeat({ attachmentsListed: out.length });
    cursor = listing.next;
  } while (cursor);
  return out;
}

function attachmentCandidate(att: AttachmentRef, pageId: string): Candidate {
  return {
    key: attachmentKey(att.id),
    name: att.title,
    url: new URL(att.downloadUrl),
    attachmentId: normalizeId(att.id),
    ...(att.version !== undefined ? { version: att.version } : {}),
    containerId: pageId,
  };
}

/**
 * One candidate per file. The API's entry wins over a body link to the same attachment (it knows the version and
 * the real name); a body link without an id that points where an attachment is served is that attachment.
 */
export function mergeCandidates(linked: Candidate[], attached: Candidate[]): Candidate[] {
  const byKey = new Map<string, Candidate>();
  for (const c of [...linked, ...attached]) byKey.set(c.key, c);
  const served = new Set([...byKey.values()].filter((c) => c.attachmentId).map((c) => urlKey(c.url)));
  return [...byKey.values()].filter((c) => c.attachmentId || !served.has(urlKey(c.url)));
}

/** Cloud bodies write attachment ids without the "att" of the API's ids. */
function normalizeId(id: string): string {
  return id.replace(/^att/, '');
}

function attachmentKey(id: string): string {
  return `att:${normalizeId(id)}`;
}

function urlKey(url: URL): string {
  return `url:${url.origin}${url.pathname}`;
}

function lastSegment(url: URL): string {
  const segment = url.pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
