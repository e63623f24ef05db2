// Confluence Cloud: REST v2 (cursor pagination); v1 for restrictions and CQL search, which v2 lacks.
import type { z } from 'zod';
import type { ConfluenceClient, ContentQuery, PageQuery, SpaceQuery } from './clientTypes';
import { ConfluenceError } from './errors';
import type { Transport } from './http';
import { checkCursorMoved, checkLimit, cursorIn, nextCursor, nextQuery } from './pagination';
import { header } from './rate-headers';
import { checkContentId, siteUrl, splitFound, uiUrl, v2Collection } from './refs';
import { cloudComments } from './comments';
import { commentVersionsByCql, labelsByCql } from './discussion';
import {
  V1ContentInSpace,
  V2Ancestor,
  V2Attachment,
  V2Comment,
  LabelName,
  V2Page,
  V2PageWithBody,
  V2Space,
  V2SpacePermission,
  V2TreeItem,
  v1List,
  v2List,
} from './schemas';
import type {
  AncestorRef,
  AttachmentRef,
  CommentVersion,
  ContentRestrictions,
  BatchedContent,
  ContentBatchQuery,
  ContentType,
  ExportView,
  Listing,
  PageComment,
  PageRef,
  SpacePermissionRef,
  SpaceRef,
  TreeDocMetadata,
  TreeDocType,
  TreeItemInSpace,
  TreeItemType,
} from './types';
import { cqlString } from './cql';
import { singleExportView, v1ExportViews } from './exportView';
import { isTreeDoc } from './types';
import { findTreeItem, findTreeItems, type TreeItemsFound } from './treeItems';
import { joinUrl, type Endpoints } from './url';
import { labelNames, v1PageRef, v1ContentBatch, v1Restrictions, v1StorageBodies } from './v1';

const MAX_LIMIT = 250;
const SEARCH_EXPAND = 'version,space,metadata.labels';

export class CloudClient implements ConfluenceClient {
  readonly cloud = true;
  private readonly spaceKeys = new Map<string, Promise<string>>();
  private readonly v2: string;

  constructor(
    private readonly http: Transport,
    private readonly ep: Endpoints,
  ) {
    if (!ep.v2) throw new Error('CloudClient needs Cloud endpoints');
    this.v2 = ep.v2;
  }

  async listSpaces({ keys, cursor, limit }: SpaceQuery): Promise<Listing<SpaceRef>> {
    const url = joinUrl(this.v2, '/spaces', {
      limit: checkLimit(limit),
      cursor,
      keys: keys?.length ? keys.join(',') : undefined,
    });
    const page = await this.list(url, V2Space);
    return { items: page.items.map(spaceRef), next: page.next };
  }

  async resolveSpaces(keys: string[]): Promise<{ found: SpaceRef[]; missing: string[] }> {
    const seen = new Map<string, SpaceRef>();
    for (let i = 0; i < keys.length; i += MAX_LIMIT) {
      await this.collectSpaces({ keys: keys.slice(i, i + MAX_LIMIT).join(',') }, seen);
    }
    // The keys filter does not reliably match personal spaces (`~accountId`): look among personal spaces.
    if (keys.some((k) => k.startsWith('~') && !seen.has(k))) await this.collectSpaces({ type: 'personal' }, seen);
    return splitFound(keys, seen);
  }

  async listPages(
    space: SpaceRef,
    { cursor, limit, type = 'page', includeArchived }: ContentQuery,
  ): Promise<Listing<PageRef>> {
    if (isTreeDoc(type)) return this.listTreeDocs(space, type, { cursor, limit });
    const status = includeArchived ? 'current,archived' : 'current';
    const url = joinUrl(this.v2, `/spaces/${checkContentId(space.id, 'space id')}/${v2Collection(type)}`, {
      limit: checkLimit(limit),
      cursor,
      status,
    });
    const page = await this.list(url, V2Page);
    return { items: await this.withLabels(page.items.map((p) => this.pageRef(p, space.key, type))), next: page.next };
  }

  async getPagesByIds(ids: string[]): Promise<{ found: PageRef[]; missing: string[] }> {
    ids.forEach((id) => checkContentId(id));
    const seen = new Map<string, PageRef>();
    for (const type of ['page', 'blogpost'] as const) {
      const wanted = ids.filter((id) => !seen.has(id));
      for (let i = 0; i < wanted.length; i += MAX_LIMIT) {
        const query = { id: wanted.slice(i, i + MAX_LIMIT).join(','), status: 'current,archived', limit: MAX_LIMIT };
        await this.eachItem(
          (cursor) => joinUrl(this.v2, `/${v2Collection(type)}`, { ...query, cursor }),
          V2Page,
          async (p) => {
            seen.set(p.id, this.pageRef(p, await this.spaceKey(p.spaceId), type));
          },
        );
      }
    }
    const labelled = await this.withLabels([...seen.values()]);
    return splitFound(ids, new Map(labelled.map((r) => [r.id, r])));
  }

  async search(cql: string, query: PageQuery): Promise<Listing<PageRef>> {
    const page = await this.searchPage(cql, query);
    const refs = page.items.filter((r) => r.contentType === 'page' || r.contentType === 'blogpost');
    return { items: await this.withLabels(refs), next: page.next };
  }

  /**
   * v2 lists no space's whiteboards, databases or embeds: a CQL search does. Their labels come with it (v2 has no
   * label list of theirs to fall back on).
   */
  private async listTreeDocs(space: SpaceRef, type: TreeDocType, query: PageQuery): Promise<Listing<PageRef>> {
    const page = await this.searchPage(`space = ${cqlString(space.key)} and type = ${type}`, query);
    // The search asked for this one type; v1 refs name only pages and blog posts.
    const items = page.items.map((r) => ({ ...r, spaceId: space.id, contentType: type, labels: r.labels ?? [] }));
    return { items, next: page.next };
  }

  /** One page of a CQL search's results as refs, without labels the expansion did not complete. */
  private async searchPage(cql: string, { cursor, limit }: PageQuery): Promise<Listing<PageRef>> {
    const url = cursor
      ? new URL(`${joinUrl(this.ep.v1, '/content/search').href}?${cursor}`)
      : joinUrl(this.ep.v1, '/content/search', { cql, limit: checkLimit(limit), expand: SEARCH_EXPAND });
    if (!url.searchParams.has('expand')) url.searchParams.set('expand', SEARCH_EXPAND);
    const { data, headers } = await this.http.getJson(url, v1List(V1ContentInSpace));
    const refs = data.results.map((c) =>
      v1PageRef(c, { id: c.space.id, key: c.space.key, name: c.space.name }, this.ep.uiBase),
    );
    const next = nextQuery(data._links?.next, header(headers, 'link'));
    checkCursorMoved(url, cursorIn(next));
    return { items: refs, next };
  }

  storageBodies(cql: string, limit: number): Promise<Array<{ ref: PageRef; storage: string }>> {
    return v1StorageBodies(this.http, this.ep.v1, this.ep.uiBase, cql, limit);
  }

  async getPage(pageId: string, type: ContentType = 'page'): Promise<{ ref: PageRef; html: string }> {
    const url = joinUrl(this.v2, `/${v2Collection(type)}/${checkContentId(pageId)}`, {
      'body-format': 'view',
      'include-labels': 'true',
    });
    const { data } = await this.http.getJson(url, V2PageWithBody);
    const spaceKey = await this.spaceKey(data.spaceId);
    const included = data.labels && !data.labels.meta?.hasMore ? { labels: labelNames(data.labels.results) } : {};
    const [ref] = await this.withLabels([{ ...this.pageRef(data, spaceKey, type), ...included }]);
    return { ref, html: data.body.view.value };
  }

  async getTreeDoc(id: string, type: TreeDocType): Promise<TreeDocMetadata> {
    const url = joinUrl(this.v2, `/${v2Collection(type)}/${checkContentId(id)}`);
    const { data } = await this.http.getJson(url, V2TreeItem);
    const { parentId, parentType, embedUrl } = data;
    const parent = parentId ? { id: parentId, ...(parentType ? { type: parentType } : {}) } : undefined;
    return {
      ref: this.pageRef(data, await this.spaceKey(data.spaceId), type),
      ...(parent ? { parent } : {}),
      ...(embedUrl ? { embedUrl } : {}),
    };
  }

  async listAttachments(
    pageId: string,
    { cursor, limit, type = 'page' }: PageQuery & { type?: ContentType },
  ): Promise<Listing<AttachmentRef>> {
    const url = joinUrl(this.v2, `/${v2Collection(type)}/${checkContentId(pageId)}/attachments`, {
      limit: checkLimit(limit),
      cursor,
    });
    const page = await this.list(url, V2Attachment);
    return { items: page.items.map((a) => this.attachmentRef(a, pageId, url.pathname)), next: page.next };
  }

  async download(url: string, maxBytes?: number): Promise<{ body: Buffer; contentType?: string }> {
    return this.http.getBytes(siteUrl(url, this.ep.uiBase, this.v2), maxBytes);
  }

  async getAncestors(pageId: string, type: ContentType = 'page'): Promise<AncestorRef[]> {
    const chain: AncestorRef[] = [];
    // A full page of ancestors means there may be more above: ask again from the highest one, which may be a folder
    // or a whiteboard (ancestors are typed; `pages/{id}` answers only for a page).
    for (let from = `${v2Collection(type)}/${checkContentId(pageId)}`; ; ) {
      const { data } = await this.http.getJson(
        joinUrl(this.v2, `/${from}/ancestors`, { limit: MAX_LIMIT }),
        v2List(V2Ancestor),
      );
      chain.unshift(...data.results.map((a) => ({ id: a.id })));
      if (data.results.length < MAX_LIMIT) return chain;
      const top = data.results[0];
      from = `${top.type ?? 'page'}s/${top.id}`;
    }
  }

  getRestrictions(pageId: string): Promise<ContentRestrictions> {
    return v1Restrictions(this.http, this.ep.v1, pageId);
  }

  getContentBatch(pageIds: string[], query: ContentBatchQuery): Promise<Map<string, BatchedContent>> {
    return v1ContentBatch(this.http, this.ep.v1, this.ep.uiBase, 'cursor', pageIds, query);
  }

  getExportViews(pageIds: string[], maxBytes: number): Promise<Map<string, ExportView>> {
    return v1ExportViews(this.http, this.ep.v1, true, pageIds, maxBytes);
  }

  getExportView(pageId: string, type?: ContentType): Promise<ExportView> {
    return singleExportView(this.http, { v1: this.ep.v1, v2: this.v2 }, pageId, type);
  }

  listComments(pageId: string, type: ContentType = 'page'): Promise<PageComment[]> {
    return cloudComments((url) => this.list(url, V2Comment), this.v2, this.ep.uiBase, pageId, type);
  }

  commentVersionsOf(pageIds: string[]): Promise<Map<string, CommentVersion[]>> {
    return commentVersionsByCql(this.http, this.ep.v1, true, pageIds);
  }

  findTreeItems(space: SpaceRef, types: readonly TreeItemType[]): Promise<TreeItemsFound> {
    return findTreeItems(this.http, this.ep.v1, space.key, types);
  }

  getTreeItem(id: string): Promise<TreeItemInSpace | undefined> {
    return findTreeItem(this.http, this.ep.v1, id);
  }

  async listSpacePermissions(space: SpaceRef, { cursor, limit }: PageQuery): Promise<Listing<SpacePermissionRef>> {
    const url = joinUrl(this.v2, `/spaces/${checkContentId(space.id, 'space id')}/permissions`, {
      limit: checkLimit(limit),
      cursor,
    });
    const page = await this.list(url, V2SpacePermission);
    return {
      items: page.items.map((p) => ({
        principal: p.principal,
        operation: p.operation.key,
        targetType: p.operation.targetType,
      })),
      next: page.next,
    };
  }

  private async collectSpaces(query: Record<string, string>, into: Map<string, SpaceRef>): Promise<void> {
    const url = (cursor?: string) => joinUrl(this.v2, '/spaces', { ...query, limit: MAX_LIMIT, cursor });
    await this.eachItem(url, V2Space, (s) => void into.set(s.key, spaceRef(s)));
  }

  private async list<T extends z.ZodType>(url: URL, item: T): Promise<Listing<z.output<T>>> {
    const { data, headers } = await this.http.getJson(url, v2List(item));
    const next = nextCursor(data._links?.next, header(headers, 'link'), `GET ${url.pathname}`);
    checkCursorMoved(url, next);
    return { items: data.results, next };
  }

  /** Every item of a listing, page by page (for lookups that must be complete, not for enumeration). */
  private async eachItem<T extends z.ZodType>(
    url: (cursor?: string) => URL,
    item: T,
    visit: (value: z.output<T>) => Promise<void> | void,
  ): Promise<void> {
    let cursor: string | undefined;
    do {
      const page: Listing<z.output<T>> = await this.list(url(cursor), item);
      for (const value of page.items) await visit(value);
      cursor = page.next;
    } while (cursor);
  }

  /**
   * v2 lists carry no labels: one CQL search per listing page brings them (`expand=metadata.labels`); a page it does
   * not answer for (not yet indexed, more labels than the expansion holds, or the search refused, as search endpoints
   * have tighter burst limits) has its labels read on its own.
   */
  private async withLabels(refs: PageRef[]): Promise<PageRef[]> {
    const unlabelled = refs.filter((r) => !r.labels).map((r) => r.id);
    if (unlabelled.length === 0) return refs;
    const found = await labelsByCql(this.http, this.ep.v1, true, unlabelled).catch(() => new Map<string, string[]>());
    return Promise.all(
      refs.map(async (ref) => (ref.labels ? ref : { ...ref, labels: found.get(ref.id) ?? (await this.labelsOf(ref)) })),
    );
  }

  private async labelsOf(ref: PageRef): Promise<string[]> {
    const names: Array<{ name: string }> = [];
    const path = `/${v2Collection(ref.contentType ?? 'page')}/${checkContentId(ref.id)}/labels`;
    await this.eachItem(
      (cursor) => joinUrl(this.v2, path, { limit: MAX_LIMIT, cursor }),
      LabelName,
      (l) => void names.push(l),
    );
    return labelNames(names);
  }

  private pageRef(p: z.output<typeof V2Page>, spaceKey: string, type: ContentType): PageRef {
    return {
      id: p.id,
      title: p.title,
      spaceId: p.spaceId,
      spaceKey,
      version: p.version.number,
      createdAt: p.createdAt,
      modifiedAt: p.version.createdAt,
      url: uiUrl(this.ep.uiBase, p._links.webui),
      contentType: type,
    };
  }

  private attachmentRef(a: z.output<typeof V2Attachment>, pageId: string, endpoint: string): AttachmentRef {
    const link = a.downloadLink ?? a._links?.download;
    if (!link && !this.ep.gateway) {
      throw new ConfluenceError(
        'shape',
        `unexpected response from GET ${endpoint}: field results.downloadLink is missing for attachment ${a.id}; check --url and --cloud`,
      );
    }
    const downloadUrl =
      this.ep.gateway || !link
        ? joinUrl(this.ep.v1, `/content/${pageId}/child/attachment/${a.id}/download`).href
        : uiUrl(this.ep.uiBase, link);
    return {
      id: a.id,
      pageId,
      title: a.title,
      ...(a.mediaType ? { mediaType: a.mediaType } : {}),
      ...(typeof a.fileSize === 'number' ? { fileSize: a.fileSize } : {}),
      ...(a.version ? { version: a.version.number } : {}),
      downloadUrl,
    };
  }

  private spaceKey(spaceId: string): Promise<string> {
    let key = this.spaceKeys.get(spaceId);
    if (!key) {
      const url = joinUrl(this.v2, `/spaces/${checkContentId(spaceId, 'space id')}`);
      key = this.http.getJson(url, V2Space).then(({ data }) => data.key);
      key.catch(() => this.spaceKeys.delete(spaceId));
      this.spaceKeys.set(spaceId, key);
    }
    return key;
  }
}

function spaceRef(s: z.output<typeof V2Space>): SpaceRef {
  return { id: s.id, key: s.key, name: s.name };
}
