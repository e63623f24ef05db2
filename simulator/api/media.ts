// Cloud's media service: where the v1 attachment download endpoint redirects. The signed link is the credential.
import { attachmentBytes } from '../files';
import type { SimAttachment } from '../model';
import type { SimSite } from '../site';
import { bytes, errorResponse } from '../http/respond';
import type { SimResponse } from '../http/types';
import { mediaToken } from './v1-content';

export const MEDIA_ROUTE = /^\/media\/file\/([^/]+)\/binary$/;

export function serveMedia(site: SimSite, seed: number, fileId: string, query: URLSearchParams): SimResponse {
  const att = findByFileId(site, fileId);
  if (!att) return errorResponse('plain', 404, 'File not found');
  if (query.get('token') !== mediaToken(att, seed))
    return errorResponse('plain', 401, 'Invalid or expired media token');
  return bytes(attachmentBytes(att, seed), att.mediaType, {
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(att.title)}`,
  });
}

function findByFileId(site: SimSite, fileId: string): SimAttachment | undefined {
  for (const page of site.pages) {
    const att = page.attachments.find((a) => a.fileId === fileId);
    if (att) return att;
  }
  return undefined;
}
