// Confluence Data Center: REST v1 under the site's context path (offset pagination).
import type { z } from 'zod';
import type { ConfluenceClient, ContentQuery, PageQuery, SpaceQuery } from './clientTypes';
import { ConfluenceError } from './errors';
import type { Transport } from './http';
import { checkLimit, checkOffsetKept, nextOffset, parseOffset } from './pagination';
import { checkContentId, siteUrl, splitFound, uiUrl } from './refs';
import { DC_COMMENT_EXPAND, dataCenterComment } from './comments';
import { commentVersionsByCql } from './discussion';
import {
  V1Ancestors,
  V1Attachment,
  V1Comment,
  V1Content,
  V1ContentInSpace,
  V1ContentWithBody,
  V1Space,
  LabelName,
  v1List,
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
  PermissionFacts,
  SpaceRef,
} from './types';
import { singleExportView, v1ExportViews } from './exportView';
import { joinUrl, type Endpoints } from './url';
import {
  FACTS_EXPAND,
  labelNames,
  V1Facts,
  v1CompleteFacts,
  v1ContentBatch,
  v1PageRef,
  v1Restrictions,
  v1StorageBodies,
} from './v1';

type Query = Record<string, string | number | string[] | undefined>;

/** What a listing expands: versions, and labels, which filters and record_locator need. */
const CONTENT_EXPAND = 'version,metadata.labels';

/** Data Center caps most list limits at 100 (more is silently cut, which offset recomputation absorbs). */
const KEYS_PER_CALL = 100;

export class DataCenterClient implements ConfluenceClient {
  readonly cloud = false;

  constructor(
    private readonly http: Transport,
    private readonly ep: Endpoints,
  ) {}

  async listSpaces({ keys, cursor, limit }: SpaceQuery): Promise<Listing<SpaceRef>> {
    const page = await this.list('/space', { spaceKey: keys?.length ? keys : undefined }, cursor, limit, V1Space);
    return { items: page.items.map((s) => ({ id: s.id, key: s.key, name: s.name })), next: page.next };
  }

  async resolveSpaces(keys: string[]): Promise<{ found: SpaceRef[]; missing: string[] }> {
    const seen = new Map<string, SpaceRef>();
    for (let i = 0; i < keys.length; i += KEYS_PER_CALL) {
      const chunk = keys.slice(i, i + KEYS_PER_CALL);
      let cursor: string | undefined;
      do {
        const page = await this.listSpaces({ keys: chunk, cursor, limit: KEYS_PER_CALL });
        for (const s of page.items) seen.set(s.key, s);
        cursor = page.next;
      } while (cursor);
    }
    return splitFound(keys, seen);
  }

  async listPages(
    space: SpaceRef,
    { cursor, limit, type = 'page', includeArchived }: ContentQuery,
  ): Promise<Listing<PageRef>> {
    const query = {
      type,
      spaceKey: space.key,
      status: includeArchived ? ['current', 'archived'] : 'current',
      expand: CONTENT_EXPAND,
    };
    const page = await this.list('/content', query, cursor, limit, V1Content);
    return {
      items: await Promise.all(page.items.map((c) => this.labelled(v1PageRef(c, space, this.ep.uiBase)))),
      next: page.next,
    };
  }

  async getPagesByIds(ids: string[]): Promise<{ found: PageRef[]; missing: string[] }> {
    ids.forEach((id) => checkContentId(id));
    const seen = new Map<string, PageRef>();
    // No bulk read in v1: one call per id, bounded by the site's limiter.
    await Promise.all(
      ids.map(async (id) => {
        const ref = await this.contentRef(id).catch((err: unknown) => {
          if (err instanceof ConfluenceError && err.kind === 'not-found') return undefined;
          throw err;
        });
        if (ref) seen.set(id, ref);
      }),
    );
    return splitFound(ids, seen);
  }

  async search(cql: string, { cursor, limit }: PageQuery): Promise<Listing<PageRef>> {
    const page = await this.list(
      '/content/search',
      { cql, expand: `${CONTENT_EXPAND},space` },
      cursor,
      limit,
      V1ContentInSpace,
    );
    const refs = page.items
      .map((c) => v1PageRef(c, { id: c.space.id, key: c.space.key, name: c.space.name }, this.ep.uiBase))
      .filter((r) => r.contentType !== undefined);
    return { items: await Promise.all(refs.map((r) => this.labelled(r))), next: page.next };
  }

  storageBodies(cql: string, limit: number): Promise<Array<{ ref: PageRef; storage: string }>> {
    return v1StorageBodies(this.http, this.ep.v1, this.ep.uiBase, cql, limit);
  }

  async getPage(pageId: string): Promise<{ ref: PageRef; html: string }> {
    const url = this.pageUrl(pageId, '');
    return this.pageOf((await this.http.getJson(url, V1ContentWithBody)).data);
  }

  /** One read for a page left out of its batch: its body, ancestors and restrictions (getPage and getFacts in one). */
  async getPageWithFacts(pageId: string): Promise<{ ref: PageRef; html: string; facts: Required<PermissionFacts> }> {
    const url = this.pageUrl(pageId, `,${FACTS_EXPAND}`);
    const { data } = await this.http.getJson(url, V1ContentWithBody.extend(V1Facts.shape));
    const [page, facts] = await Promise.all([
      this.pageOf(data),
      v1CompleteFacts(this.http, this.ep.v1, data, `GET ${url.pathname}`),
    ]);
    return { ...page, facts };
  }

  /** Ancestors and restrictions in one read (each from an endpoint of its own would take two). */
  async getFacts(pageId: string): Promise<Required<PermissionFacts>> {
    const url = joinUrl(this.ep.v1, `/content/${checkContentId(pageId)}`, { expand: FACTS_EXPAND });
    const { data } = await this.http.getJson(url, V1Facts);
    return v1CompleteFacts(this.http, this.ep.v1, { ...data, id: pageId }, `GET ${url.pathname}`);
  }

  private pageUrl(pageId: string, moreExpand: string): URL {
    return joinUrl(this.ep.v1, `/content/${checkContentId(pageId)}`, {
      expand: `body.view,${CONTENT_EXPAND},space,history${moreExpand}`,
    });
  }

  private async pageOf(data: z.output<typeof V1ContentWithBody>): Promise<{ ref: PageRef; html: string }> {
    const ref = await this.labelled(
      v1PageRef(data, { id: data.space.id, key: data.space.key, name: data.space.name }, this.ep.uiBase),
    );
    return {
      ref: { ...ref, ...(data.history?.createdDate ? { createdAt: data.history.createdDate } : {}) },
      html: data.body.view.value,
    };
  }

  async listAttachments(
    pageId: string,
    { cursor, limit }: PageQuery & { type?: ContentType },
  ): Promise<Listing<AttachmentRef>> {
    const page = await this.list(
      `/content/${checkContentId(pageId)}/child/attachment`,
      { expand: 'version' },
      cursor,
      limit,
      V1Attachment,
    );
    const items = page.items.map((a): AttachmentRef => {
      const mediaType = a.metadata?.mediaType ?? a.extensions?.mediaType;
      return {
        id: a.id,
        pageId,
        title: a.title,
        ...(mediaType ? { mediaType } : {}),
        ...(a.extensions?.fileSize !== undefined ? { fileSize: a.extensions.fileSize } : {}),
        ...(a.version ? { version: a.version.number } : {}),
        downloadUrl: uiUrl(this.ep.uiBase, a._links.download),
      };
    });
    return { items, next: page.next };
  }

  async download(url: string, maxBytes?: number): Promise<{ body: Buffer; contentType?: string }> {
    return this.http.getBytes(siteUrl(url, this.ep.uiBase, this.ep.v1), maxBytes);
  }

  async getAncestors(pageId: string): Promise<AncestorRef[]> {
    const url = joinUrl(this.ep.v1, `/content/${checkContentId(pageId)}`, { expand: 'ancestors' });
    const { data } = await this.http.getJson(url, V1Ancestors);
    return data.ancestors.map((a) => ({ id: a.id, ...(a.title ? { title: a.title } : {}) }));
  }

  getRestrictions(pageId: string): Promise<ContentRestrictions> {
    return v1Restrictions(this.http, this.ep.v1, pageId);
  }

  getContentBatch(pageIds: string[], query: ContentBatchQuery): Promise<Map<string, BatchedContent>> {
    return v1ContentBatch(this.http, this.ep.v1, this.ep.uiBase, 'offset', pageIds, query);
  }

  getExportViews(pageIds: string[], maxBytes: number): Promise<Map<string, ExportView>> {
    return v1ExportViews(this.http, this.ep.v1, false, pageIds, maxBytes);
  }

  getExportView(pageId: string, type?: ContentType): Promise<ExportView> {
    return singleExportView(this.http, { v1: this.ep.v1 }, pageId, type);
  }

  async listComments(pageId: string): Promise<PageComment[]> {
    const path = `/content/${checkContentId(pageId)}/child/comment`;
    const comments: PageComment[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list(path, { depth: 'all', expand: DC_COMMENT_EXPAND }, cursor, KEYS_PER_CALL, V1Comment);
      comments.push(...page.items.map((c) => dataCenterComment(c, pageId, this.ep.uiBase)));
      cursor = page.next;
    } while (cursor);
    return comments;
  }

  commentVersionsOf(pageIds: string[]): Promise<Map<string, CommentVersion[]>> {
    return commentVersionsByCql(this.http, this.ep.v1, false, pageIds);
  }

  async listSpacePermissions(): Promise<undefined> {
    return undefined;
  }

  private async contentRef(id: string): Promise<PageRef> {
    const { data } = await this.http.getJson(
      joinUrl(this.ep.v1, `/content/${id}`, { expand: `${CONTENT_EXPAND},space` }),
      V1ContentInSpace,
    );
    return this.labelled(
      v1PageRef(data, { id: data.space.id, key: data.space.key, name: data.space.name }, this.ep.uiBase),
    );
  }

  /** A ref whose labels did not all fit the expansion gets them from the page's own label list. */
  private async labelled(ref: PageRef): Promise<PageRef> {
    if (ref.labels) return ref;
    const names: Array<{ name: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await this.list(`/content/${checkContentId(ref.id)}/label`, {}, cursor, KEYS_PER_CALL, LabelName);
      names.push(...page.items);
      cursor = page.next;
    } while (cursor);
    return { ...ref, labels: labelNames(names) };
  }

  private async list<T extends z.ZodType>(
    path: string,
    query: Query,
    cursor: string | undefined,
    limit: number,
    item: T,
  ): Promise<Listing<z.output<T>>> {
    const start = parseOffset(cursor);
    const url = joinUrl(this.ep.v1, path, { ...query, start, limit: checkLimit(limit) });
    const { data } = await this.http.getJson(url, v1List(item));
    checkOffsetKept(url, start, data.start);
    return { items: data.results, next: nextOffset(start, data.results.length) };
  }
}
