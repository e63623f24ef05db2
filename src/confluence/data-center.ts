// Confluence Data Center: REST v1 under the site's context path (offset pagination).
import type { z } from 'zod';
import { splitFound } from './cloud';
import type { ConfluenceClient, PageQuery, SpaceQuery } from './client';
import type { Transport } from './http';
import { checkLimit, nextOffset, parseOffset } from './pagination';
import { checkContentId, uiUrl } from './refs';
import { V1Content, V1ContentWithBody, V1Space, v1List } from './schemas';
import type { Listing, PageRef, SpaceRef } from './types';
import { joinUrl, type Endpoints } from './url';

type Query = Record<string, string | number | string[] | undefined>;

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
    let cursor: string | undefined;
    do {
      const page = await this.listSpaces({ keys, cursor, limit: 100 });
      for (const s of page.items) seen.set(s.key, s);
      cursor = page.next;
    } while (cursor);
    return splitFound(keys, seen);
  }

  async listPages(space: SpaceRef, { cursor, limit }: PageQuery): Promise<Listing<PageRef>> {
    const query = { type: 'page', spaceKey: space.key, status: 'current', expand: 'version' };
    const page = await this.list('/content', query, cursor, limit, V1Content);
    return { items: page.items.map((c) => this.pageRef(c, space)), next: page.next };
  }

  async getPage(pageId: string): Promise<{ ref: PageRef; html: string }> {
    const url = joinUrl(this.ep.v1, `/content/${checkContentId(pageId)}`, { expand: 'body.view,version,space,history' });
    const { data } = await this.http.getJson(url, V1ContentWithBody);
    const ref = this.pageRef(data, { id: data.space.id, key: data.space.key, name: data.space.name });
    return { ref: { ...ref, createdAt: data.history?.createdDate }, html: data.body.view.value };
  }

  private async list<T extends z.ZodType>(path: string, query: Query, cursor: string | undefined, limit: number, item: T): Promise<Listing<z.output<T>>> {
    const start = parseOffset(cursor);
    const url = joinUrl(this.ep.v1, path, { ...query, start, limit: checkLimit(limit) });
    const { data } = await this.http.getJson(url, v1List(item));
    return { items: data.results, next: nextOffset(start, data.results.length) };
  }

  private pageRef(c: z.output<typeof V1Content>, space: SpaceRef): PageRef {
    return {
      id: c.id,
      title: c.title,
      spaceId: space.id,
      spaceKey: space.key,
      version: c.version.number,
      modifiedAt: c.version.when,
      url: uiUrl(this.ep.uiBase, c._links.webui),
    };
  }
}
