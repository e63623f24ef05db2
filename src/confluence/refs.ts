// Shared helpers for turning API entities into the lightweight refs of types.ts.
import { ConfluenceError } from './errors';

/** Absolute UI URL from a `_links.webui` relative to the site's UI base. */
export function uiUrl(uiBase: string, webui: string): string {
  return /^https?:\/\//.test(webui) ? webui : `${uiBase.replace(/\/+$/, '')}/${webui.replace(/^\/+/, '')}`;
}

/** Content ids are int64 in paths: reject anything else before it reaches a URL. */
export function checkContentId(id: string, what = 'page id'): string {
  if (!/^\d{1,19}$/.test(id)) {
    throw new ConfluenceError('bad-request', `${what} "${id.slice(0, 40)}" is not a numeric Confluence id; check --page-ids`);
  }
  return id;
}
