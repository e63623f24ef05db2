// URLs as Confluence writes them: relative to the site base (`/wiki` on Cloud, the context path on Data Center).
import type { SimAttachment, SimPage } from './model';

export type Mode = 'cloud' | 'dc';

export function titleSlug(title: string): string {
  return encodeURIComponent(title).replace(/%20/g, '+');
}

/** The page's UI path relative to the site base. */
export function pageWebui(mode: Mode, spaceKey: string, page: Pick<SimPage, 'id' | 'title'>): string {
  return mode === 'cloud' ? `/spaces/${spaceKey}/pages/${page.id}/${titleSlug(page.title)}` : `/display/${spaceKey}/${titleSlug(page.title)}`;
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
