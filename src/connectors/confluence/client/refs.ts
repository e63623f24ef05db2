// Shared helpers for turning API entities into the lightweight refs of types.ts.
import { ConfluenceError } from './errors';
import type { ContentType } from './types';

/** Absolute UI URL from a `_links.webui` relative to the site's UI base. */
export function uiUrl(uiBase: string, webui: string): string {
  return /^https?:\/\//.test(webui) ? webui : `${uiBase.replace(/\/+$/, '')}/${webui.replace(/^\/+/, '')}`;
}

/** The v2 collection of a content type (`pages`, `blogposts`, `whiteboards`, `databases`, `embeds`). */
export function v2Collection(type: ContentType): string {
  return `${type}s`;
}

/** Content ids are int64 in paths: reject anything else before it reaches a URL. */
export function checkContentId(id: string, what = 'page id'): string {
  if (!/^\d{1,19}$/.test(id)) {
    throw new ConfluenceError(
      'bad-request',
      `${what} "${id.slice(0, 40)}" is not a numeric Confluence id; check --page-ids`,
    );
  }
  return id;
}

export function splitFound<T>(keys: string[], seen: Map<string, T>): { found: T[]; missing: string[] } {
  const found: T[] = [];
  const missing: string[] = [];
  for (const k of keys) {
    const v = seen.get(k);
    if (v) found.push(v);
    else missing.push(k);
  }
  return { found, missing };
}

/**
 * A URL on this site (absolute, or relative to the UI base as Confluence writes download links).
 * Other hosts are refused: the client would send them the site's credentials.
 */
export function siteUrl(raw: string, uiBase: string, apiBase: string): URL {
  const url = /^https?:\/\//.test(raw) ? new URL(raw) : new URL(uiUrl(uiBase, raw));
  const allowed = [new URL(uiBase).origin, new URL(apiBase).origin];
  if (!allowed.includes(url.origin)) {
    throw new ConfluenceError(
      'bad-request',
      `${url.origin} is not this Confluence site (${allowed[0]}); fetch it without the site's credentials (see --allow-list)`,
    );
  }
  return url;
}
