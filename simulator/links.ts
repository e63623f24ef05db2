// URLs as Confluence writes them: relative to the site base (`/wiki` on Cloud, the context path on Data Center).
import type { SimAttachment, SimNode } from './model';

export type Mode = 'cloud' | 'dc';

export function titleSlug(title: string): string {
  return encodeURIComponent(title).replace(/%20/g, '+');
}

/** Data Center falls back to viewpage.action when a title has characters its pretty URLs cannot carry. */
const DC_PRETTY_TITLE = /^[\p{L}\p{N} ._-]+$/u;

/** The content's UI path relative to the site base. */
export function pageWebui(
  mode: Mode,
  spaceKey: string,
  page: Pick<SimNode, 'id' | 'title' | 'type' | 'createdAt'>,
): string {
  if (page.type !== 'page' && page.type !== 'blogpost') return `/spaces/${spaceKey}/${page.type}/${page.id}`;
  const day = page.createdAt.slice(0, 10).replace(/-/g, '/');
  if (mode === 'cloud') {
    return page.type === 'blogpost'
      ? `/spaces/${spaceKey}/blog/${day}/${page.id}/${titleSlug(page.title)}`
      : `/spaces/${spaceKey}/pages/${page.id}/${titleSlug(page.title)}`;
  }
  if (!DC_PRETTY_TITLE.test(page.title)) return `/pages/viewpage.action?pageId=${page.id}`;
  return page.type === 'blogpost'
    ? `/display/${spaceKey}/${day}/${titleSlug(page.title)}`
    : `/display/${spaceKey}/${titleSlug(page.title)}`;
}

export function spaceWebui(mode: Mode, spaceKey: string): string {
  return mode === 'cloud' ? `/spaces/${spaceKey}` : `/display/${spaceKey}`;
}

/** Download path of an attachment relative to the site base, with the query Confluence appends. */
export function attachmentDownload(mode: Mode, att: SimAttachment): string {
  const modified = Date.parse(att.createdAt);
  const query = `version=${att.version}&modificationDate=${modified}&cacheVersion=1${mode === 'cloud' ? '&api=v2' : ''}`;
  return `/download/attachments/${att.pageId}/${encodeURIComponent(att.title)}?${query}`;
}
