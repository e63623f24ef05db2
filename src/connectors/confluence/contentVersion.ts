// A page's content version: what besides its version number decides whether its outputs are current. Adding a label
// or writing a comment makes no new page version, yet changes record_locator or the comments document.
import { createHash } from 'node:crypto';
import type { CommentVersion, PageRef } from './client/types';

/** Undefined for a page with no labels whose comments are not asked for, as pages were recorded before labels. */
export function contentVersion(labels: string[], comments?: CommentVersion[]): string | undefined {
  if (labels.length === 0 && !comments) return undefined;
  const byId = comments && [...comments].sort((a, b) => a.id.localeCompare(b.id)).map((c) => `${c.id}:${c.version}`);
  return createHash('sha256')
    .update(JSON.stringify({ labels, comments: byId ?? null }))
    .digest('hex')
    .slice(0, 32);
}

export function withContentVersion(ref: PageRef, comments?: CommentVersion[]): PageRef {
  const version = contentVersion(ref.labels ?? [], comments);
  return version ? { ...ref, contentVersion: version } : ref;
}
