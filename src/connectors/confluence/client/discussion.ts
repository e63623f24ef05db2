// Labels and comment versions of many pages at once, through CQL (both deployments have it): labels for the refs of
// a listing, and the ids and versions of every comment, replies included, that decide whether a page's comments
// changed.
import { z } from 'zod';
import type { Transport } from './http';
import { checkContentId } from './refs';
import { V1CommentVersion, V1Labels } from './schemas';
import { searchAll } from './search';
import type { CommentVersion } from './types';
import { completeLabels } from './v1';

/** What one CQL search asks about at most (REST v1 cuts larger limits silently). */
export const IDS_PER_SEARCH = 100;

const WithLabels = z.object({ id: z.string(), metadata: z.object({ labels: V1Labels.optional() }).optional() });

/**
 * Labels of the given pages, by id. A page the search does not return (not yet indexed, archived) or whose labels
 * may go on past the expansion's page is absent: the caller reads those one by one.
 */
export async function labelsByCql(
  http: Transport,
  v1: string,
  cloud: boolean,
  pageIds: string[],
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const ids of chunks(pageIds.map((id) => checkContentId(id)))) {
    const results = await searchAll(
      http,
      v1,
      cloud,
      { cql: `id in (${ids.join(',')})`, expand: 'metadata.labels', limit: ids.length },
      WithLabels,
    );
    for (const r of results) {
      const labels = completeLabels(r.metadata?.labels);
      if (ids.includes(r.id) && labels) found.set(r.id, labels);
    }
  }
  return found;
}

/** Every comment of the given pages (replies too), by page id; a page without comments maps to an empty list. */
export async function commentVersionsByCql(
  http: Transport,
  v1: string,
  cloud: boolean,
  pageIds: string[],
): Promise<Map<string, CommentVersion[]>> {
  const found = new Map<string, CommentVersion[]>(pageIds.map((id) => [id, []]));
  for (const ids of chunks(pageIds.map((id) => checkContentId(id)))) {
    const cql = `type = comment AND container in (${ids.join(',')})`;
    const results = await searchAll(
      http,
      v1,
      cloud,
      { cql, expand: 'version,container', limit: IDS_PER_SEARCH },
      V1CommentVersion,
    );
    for (const c of results) found.get(c.container.id)?.push({ id: c.id, version: c.version.number });
  }
  return found;
}

function chunks(ids: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_SEARCH) out.push(ids.slice(i, i + IDS_PER_SEARCH));
  return out;
}
