// body.export_view: the body as Confluence renders it for export, where macros a browser builds after the page loads
// (a Page Properties Report's rows) are rendered on the server. Read only for pages whose body.view lacks them: it
// costs the site more to render, and Cloud caps a search expanding it at 25 results.
import { z } from 'zod';
import type { Transport } from './http';
import { checkContentId } from './refs';
import { searchAll } from './search';
import type { ContentType, ExportView } from './types';
import { joinUrl } from './url';

const ExportItem = z.object({
  id: z.string(),
  version: z.object({ number: z.number().int() }),
  body: z.object({ export_view: z.object({ value: z.string() }) }),
});

/** Cloud's cap on a search that expands export_view (its v1 spec); Data Center caps any body expansion at 50. */
export function exportViewsPerSearch(cloud: boolean): number {
  return cloud ? 25 : 50;
}

/**
 * Several pages' export_view from one CQL search (`id in (...)`), paged as the deployment pages searches; a page the
 * search does not return (not visible, not yet indexed) is absent. A 500 or an answer over `maxBytes` is thrown for
 * the caller to split the batch.
 */
export async function v1ExportViews(
  http: Transport,
  v1: string,
  cloud: boolean,
  pageIds: string[],
  maxBytes: number,
): Promise<Map<string, ExportView>> {
  const ids = new Set(pageIds.map((id) => checkContentId(id)));
  const query = {
    cql: `id in (${[...ids].join(',')})`,
    expand: 'body.export_view,version',
    limit: Math.min(ids.size, exportViewsPerSearch(cloud)),
  };
  const found = await searchAll(http, v1, cloud, query, ExportItem, {
    read: { maxBytes, splitOn500: true },
    // Every page asked for is in: no further page of results to ask for (Data Center would answer an empty one).
    enough: (results) => results.length >= ids.size,
  });
  return new Map(found.filter((c) => ids.has(c.id)).map((c) => [c.id, exportView(c)]));
}

/** One page's export_view from its own endpoint: Cloud REST v2, Data Center v1. */
export async function singleExportView(
  http: Transport,
  endpoint: { v1: string; v2?: string },
  pageId: string,
  type: ContentType = 'page',
): Promise<ExportView> {
  const id = checkContentId(pageId);
  const url = endpoint.v2
    ? joinUrl(endpoint.v2, `/${type === 'blogpost' ? 'blogposts' : 'pages'}/${id}`, { 'body-format': 'export_view' })
    : joinUrl(endpoint.v1, `/content/${id}`, { expand: 'body.export_view,version' });
  const { data } = await http.getJson(url, ExportItem);
  return exportView(data);
}

function exportView(c: z.output<typeof ExportItem>): ExportView {
  return { version: c.version.number, html: c.body.export_view.value };
}
