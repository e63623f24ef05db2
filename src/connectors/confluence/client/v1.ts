// REST v1 pieces both deployments use: content -> PageRef, page restrictions, CQL search results.
import { ConfluenceError } from './errors';
import type { Transport } from './http';
import { checkContentId, uiUrl } from './refs';
import { z } from 'zod';
import { V1OperationRestrictions, V1RestrictionsByOperation, v1List, type V1Content, type V1Labels } from './schemas';
import type { ContentRestrictions, ContentType, PageRef, PermissionFacts, Principal, SpaceRef } from './types';
import { joinUrl } from './url';

export function v1PageRef(c: z.output<typeof V1Content>, space: SpaceRef, uiBase: string): PageRef {
  const labels = completeLabels(c.metadata?.labels);
  return {
    id: c.id,
    title: c.title,
    spaceId: space.id,
    spaceKey: space.key,
    version: c.version.number,
    modifiedAt: c.version.when,
    url: uiUrl(uiBase, c._links.webui),
    contentType: asContentType(c.type),
    ...(labels ? { labels } : {}),
  };
}

/** Sorted label names, or undefined when the expansion is absent or its page may have more behind it. */
export function completeLabels(labels: z.output<typeof V1Labels> | undefined): string[] | undefined {
  if (!labels || (labels.limit !== undefined && labels.results.length >= labels.limit)) return undefined;
  return labelNames(labels.results);
}

export function labelNames(labels: Array<{ name: string }>): string[] {
  return [...new Set(labels.map((l) => l.name))].sort();
}

export function asContentType(type: string): ContentType | undefined {
  return type === 'page' || type === 'blogpost' ? type : undefined;
}

const RESTRICTION_EXPAND = 'restrictions.user,restrictions.group';
const RESTRICTION_PAGE = 100;

export async function v1Restrictions(http: Transport, v1: string, pageId: string): Promise<ContentRestrictions> {
  const id = checkContentId(pageId);
  const url = joinUrl(v1, `/content/${id}/restriction/byOperation`, { expand: RESTRICTION_EXPAND });
  const { data } = await http.getJson(url, V1RestrictionsByOperation);
  const endpoint = `GET ${url.pathname}`;
  const read = isFull(data.read) ? await pagedRestrictions(http, v1, id, 'read') : principals(data.read, endpoint);
  const update = isFull(data.update) ? await pagedRestrictions(http, v1, id, 'update') : principals(data.update, endpoint);
  return { read, update };
}

const FACTS_EXPAND = [
  'ancestors',
  ...['read', 'update'].flatMap((op) => [`restrictions.${op}.restrictions.user`, `restrictions.${op}.restrictions.group`]),
].join(',');
const WithFacts = v1List(
  z.object({
    id: z.string(),
    ancestors: z.array(z.object({ id: z.string(), title: z.string().optional() })).optional(),
    restrictions: V1RestrictionsByOperation,
  }),
);

/**
 * Ancestors and restrictions of several pages in one CQL search (`id in (...)`, both expanded). Pages the search does
 * not return (not visible, archived, not yet indexed) are left out, and so are restrictions whose lists may go on
 * past the expansion's page: the caller reads those one by one, so nothing rests on the search index.
 */
export async function v1PermissionFactsOf(http: Transport, v1: string, pageIds: string[]): Promise<Map<string, PermissionFacts>> {
  const ids = pageIds.map((id) => checkContentId(id));
  const url = joinUrl(v1, '/content/search', { cql: `id in (${ids.join(',')})`, expand: FACTS_EXPAND, limit: ids.length });
  const { data } = await http.getJson(url, WithFacts);
  const endpoint = `GET ${url.pathname}`;
  const found = new Map<string, PermissionFacts>();
  for (const { id, ancestors, restrictions } of data.results) {
    if (!ids.includes(id)) continue;
    const complete = !isFull(restrictions.read) && !isFull(restrictions.update);
    found.set(id, {
      ...(ancestors ? { ancestors: ancestors.map((a) => ({ id: a.id, ...(a.title ? { title: a.title } : {}) })) } : {}),
      ...(complete ? { restrictions: { read: principals(restrictions.read, endpoint), update: principals(restrictions.update, endpoint) } } : {}),
    });
  }
  return found;
}

/** A list as long as its page may have more behind it: read the operation page by page instead. */
function isFull(op: OperationRestrictions): boolean {
  const lists = [op?.restrictions.user, op?.restrictions.group];
  return lists.some((l) => l?.limit !== undefined && l.results.length >= l.limit);
}

async function pagedRestrictions(http: Transport, v1: string, id: string, operation: 'read' | 'update'): Promise<Principal[]> {
  const seen = new Map<string, Principal>();
  for (let start = 0; ; start += RESTRICTION_PAGE) {
    const url = joinUrl(v1, `/content/${id}/restriction/byOperation/${operation}`, { expand: RESTRICTION_EXPAND, start, limit: RESTRICTION_PAGE });
    const { data } = await http.getJson(url, V1OperationRestrictions);
    const before = seen.size;
    for (const p of principals(data, `GET ${url.pathname}`)) seen.set(`${p.type}:${p.id}`, p);
    // Stop on a short page, or when a server that ignores `start` repeats what we have.
    if (!isFull(data) || seen.size === before) return [...seen.values()];
  }
}

type OperationRestrictions = z.output<typeof V1RestrictionsByOperation>['read'];

function principals(op: OperationRestrictions, endpoint: string): Principal[] {
  const users = (op?.restrictions.user?.results ?? []).map((u): Principal => {
    const id = u.accountId ?? u.userKey;
    if (!id)
      throw new ConfluenceError(
        'shape',
        `unexpected response from ${endpoint}: field restrictions.user.results: a user has neither accountId nor userKey; check --cloud/--no-cloud`,
      );
    return { type: 'user', id, ...(u.username ? { name: u.username } : {}) };
  });
  const groups = (op?.restrictions.group?.results ?? []).map((g): Principal => ({ type: 'group', id: g.id ?? g.name, name: g.name }));
  return [...users, ...groups];
}
