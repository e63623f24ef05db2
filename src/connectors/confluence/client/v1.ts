// REST v1 pieces both deployments use: content -> PageRef, page restrictions, CQL search results.
import { ConfluenceError } from './errors';
import type { HeaderBag, Transport } from './http';
import { checkContentId, uiUrl } from './refs';
import { z } from 'zod';
import {
  V1ContentInSpace,
  V1Labels,
  V1OperationRestrictions,
  V1RestrictionsByOperation,
  v1List,
  type V1Content,
} from './schemas';
import { nextQuery } from './pagination';
import { header } from './rate-headers';
import type {
  AncestorRef,
  BatchedContent,
  ContentBatchQuery,
  ContentRestrictions,
  ContentType,
  PageRef,
  PermissionFacts,
  Principal,
  SpaceRef,
} from './types';
import { joinUrl } from './url';

export function v1PageRef(c: z.output<typeof V1Content>, space: SpaceRef, uiBase: string): PageRef {
  const { id, title, ...rest } = v1ContentRef(c, uiBase);
  return { id, title, spaceId: space.id, spaceKey: space.key, ...rest };
}

type V1Ref = Pick<z.output<typeof V1Content>, 'id' | 'type' | 'title' | 'version' | '_links' | 'metadata'> & {
  history?: { createdDate?: string };
};

/**
 * A page's ref apart from its space; the creation date when history was expanded, the labels when metadata.labels was.
 */
function v1ContentRef(c: V1Ref, uiBase: string): Omit<PageRef, 'spaceId' | 'spaceKey'> {
  const labels = completeLabels(c.metadata?.labels);
  return {
    id: c.id,
    title: c.title,
    version: c.version.number,
    ...(c.history?.createdDate ? { createdAt: c.history.createdDate } : {}),
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
  return fullRestrictions(http, v1, id, data, `GET ${url.pathname}`);
}

/** Restrictions as an expansion gave them, with any list that may go on past its page read page by page. */
async function fullRestrictions(
  http: Transport,
  v1: string,
  id: string,
  data: z.output<typeof V1RestrictionsByOperation>,
  endpoint: string,
): Promise<ContentRestrictions> {
  const read = isFull(data.read) ? await pagedRestrictions(http, v1, id, 'read') : principals(data.read, endpoint);
  const update = isFull(data.update)
    ? await pagedRestrictions(http, v1, id, 'update')
    : principals(data.update, endpoint);
  return { read, update };
}

export const FACTS_EXPAND = [
  'ancestors',
  ...['read', 'update'].flatMap((op) => [
    `restrictions.${op}.restrictions.user`,
    `restrictions.${op}.restrictions.group`,
  ]),
].join(',');
const Ancestors = z.array(z.object({ id: z.string(), title: z.string().optional() }));

/** A page read with FACTS_EXPAND. */
export const V1Facts = z.object({ ancestors: Ancestors, restrictions: V1RestrictionsByOperation });

/** The ancestors and restrictions of a page read with FACTS_EXPAND, every restriction list in full. */
export async function v1CompleteFacts(
  http: Transport,
  v1: string,
  { id, ancestors, restrictions }: z.output<typeof V1Facts> & { id: string },
  endpoint: string,
): Promise<Required<PermissionFacts>> {
  return {
    ancestors: ancestorRefs(ancestors),
    restrictions: await fullRestrictions(http, v1, id, restrictions, endpoint),
  };
}

function ancestorRefs(ancestors: z.output<typeof Ancestors>): AncestorRef[] {
  return ancestors.map((a) => ({ id: a.id, ...(a.title ? { title: a.title } : {}) }));
}

/** What the page's own read expands (Data Center's getPage, Cloud's v2 page), so both give the same ref and HTML. */
const BODY_EXPAND = 'body.view,version,history,metadata.labels';
const BatchItem = z.object({
  id: z.string(),
  type: z.string(),
  title: z.string(),
  version: z.object({ number: z.number().int(), when: z.string().optional() }).optional(),
  history: z.object({ createdDate: z.string().optional() }).optional(),
  metadata: z.object({ labels: V1Labels.optional() }).optional(),
  body: z.object({ view: z.object({ value: z.string() }).optional() }).optional(),
  ancestors: Ancestors.optional(),
  restrictions: V1RestrictionsByOperation,
  _links: z.object({ webui: z.string() }),
});
const Batch = v1List(BatchItem);

/** How a deployment pages its search: by the cursor of the next link (Cloud) or by offset (Data Center). */
export type SearchPaging = 'cursor' | 'offset';

/**
 * Ancestors and restrictions (and with bodies, body.view, version and history) of several pages in one CQL search
 * (`id in (...)`), following the search's pages when the server caps the limit lower. Pages the search does not
 * return (not visible, archived, not yet indexed) are left out, and so are restrictions whose lists may go on past
 * the expansion's page: the caller reads those one by one, so nothing rests on the search index.
 */
export async function v1ContentBatch(
  http: Transport,
  v1: string,
  uiBase: string,
  paging: SearchPaging,
  pageIds: string[],
  { bodies, maxBytes }: ContentBatchQuery,
): Promise<Map<string, BatchedContent>> {
  const ids = new Set(pageIds.map((id) => checkContentId(id)));
  const query = {
    cql: `id in (${[...ids].join(',')})`,
    expand: bodies ? `${FACTS_EXPAND},${BODY_EXPAND}` : FACTS_EXPAND,
    limit: ids.size,
  };
  const found = new Map<string, BatchedContent>();
  const search = joinUrl(v1, '/content/search');
  // Cloud pages a search by the cursor of its next link; Data Center by offset (its next links are unreliable).
  const nextPage = (start: number, next: string | undefined) =>
    paging === 'offset'
      ? joinUrl(v1, '/content/search', { ...query, start })
      : next
        ? new URL(`${search.href}?${next}`)
        : undefined;
  let url: URL | undefined = joinUrl(v1, '/content/search', query);
  for (let start = 0; url; ) {
    const answer: { data: z.output<typeof Batch>; headers: HeaderBag } = await http.getJson(url, Batch, {
      maxBytes,
      splitOn500: true,
    });
    const before = found.size;
    for (const item of answer.data.results) {
      if (ids.has(item.id)) found.set(item.id, batchedContent(item, uiBase, bodies, `GET ${search.pathname}`));
    }
    const { results, limit } = answer.data;
    start += results.length;
    // Go on while some are missing, the last page brought new ones and was as long as the limit the server granted
    // (it may cap the one asked for): a shorter page is the end, and the pages it lacks are not in the search.
    const more = found.size < ids.size && found.size > before && (limit === undefined || results.length >= limit);
    url = more ? nextPage(start, nextQuery(answer.data._links?.next, header(answer.headers, 'link'))) : undefined;
  }
  return found;
}

function batchedContent(
  item: z.output<typeof BatchItem>,
  uiBase: string,
  bodies: boolean,
  endpoint: string,
): BatchedContent {
  const { ancestors, restrictions, version, body } = item;
  const complete = !isFull(restrictions.read) && !isFull(restrictions.update);
  const facts = {
    ...(ancestors ? { ancestors: ancestorRefs(ancestors) } : {}),
    ...(complete
      ? {
          restrictions: {
            read: principals(restrictions.read, endpoint),
            update: principals(restrictions.update, endpoint),
          },
        }
      : {}),
  };
  const html = body?.view?.value;
  if (!bodies || html === undefined || !version) return { facts };
  return { facts, page: { ref: v1ContentRef({ ...item, version }, uiBase), html } };
}

/** A list as long as its page may have more behind it: read the operation page by page instead. */
function isFull(op: OperationRestrictions): boolean {
  const lists = [op?.restrictions.user, op?.restrictions.group];
  return lists.some((l) => l?.limit !== undefined && l.results.length >= l.limit);
}

async function pagedRestrictions(
  http: Transport,
  v1: string,
  id: string,
  operation: 'read' | 'update',
): Promise<Principal[]> {
  const seen = new Map<string, Principal>();
  for (let start = 0; ; start += RESTRICTION_PAGE) {
    const url = joinUrl(v1, `/content/${id}/restriction/byOperation/${operation}`, {
      expand: RESTRICTION_EXPAND,
      start,
      limit: RESTRICTION_PAGE,
    });
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
  const groups = (op?.restrictions.group?.results ?? []).map(
    (g): Principal => ({ type: 'group', id: g.id ?? g.name, name: g.name }),
  );
  return [...users, ...groups];
}

const StorageItem = V1ContentInSpace.extend({ body: z.object({ storage: z.object({ value: z.string() }) }) });

/** Pages and blog posts matching CQL, with their storage format: the first page of one search. */
export async function v1StorageBodies(
  http: Transport,
  v1: string,
  uiBase: string,
  cql: string,
  limit: number,
): Promise<Array<{ ref: PageRef; storage: string }>> {
  const url = joinUrl(v1, '/content/search', { cql, limit, expand: 'body.storage,version,space' });
  const { data } = await http.getJson(url, v1List(StorageItem));
  return data.results.flatMap((c) => {
    const ref = v1PageRef(c, { id: c.space.id, key: c.space.key, name: c.space.name }, uiBase);
    return ref.contentType ? [{ ref, storage: c.body.storage.value }] : [];
  });
}
