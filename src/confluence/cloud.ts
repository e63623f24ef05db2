// Confluence Cloud: REST v2 (cursor pagination).
import type { ConfluenceClient, PageQuery, SpaceQuery } from './client';
import type { Transport } from './http';
import { checkLimit, nextCursor } from './pagination';
import { checkContentId, uiUrl } from './refs';
import { V2Page, V2PageWithBody, V2Space, v2List } from './schemas';
import { header } from './rate-headers';
import type { Listing, PageRef, SpaceRef } from './types';
import { joinUrl, type Endpoints } from './url';
import type { z } from 'zod';

type V2 = { v2: string };

export class CloudClient implements ConfluenceClient {
  readonly cloud = true;
  private readonly spaceKeys = new Map<string, Promise<string>>();
  private readonly ep: Endpoints & V2;

  constructor(
    private readonly http: Transport,
    endpoints: Endpoints,
  ) {
    if (!endpoints.v2) throw new Error('CloudClient needs Cloud endpoints');
    this.ep = { ...endpoints, v2: endpoints.v2 };
  }

  async listSpaces({ keys, cursor, limit }: SpaceQuery): Promise<Listing<SpaceRef>> {
    const url = joinUrl(this.ep.v2, '/spaces', { limit: checkLimit(limit), cursor, keys: keys?.length ? keys.join(',') : undefined });
    const page = await this.list(url, V2Space);
    return { items: page.items.map((s) => ({ id: s.id, key: s.key, name: s.name })), next: page.next };
  }

  async resolveSpaces(keys: string[]): Promise<{ found: SpaceRef[]; missing: string[] }> {
    const seen = new Map<string, SpaceRef>();
    let cursor: string | undefined;
    do {
      const page = await this.listSpaces({ keys, cursor, limit: 250 });
      for (const s of page.items) seen.set(s.key, s);
      cursor = page.next;
    } while (cursor);
    return splitFound(keys, seen);
  }

  async listPages(space: SpaceRef, { cursor, limit }: PageQuery): Promise<Listing<PageRef>> {
    const url = joinUrl(this.ep.v2, `/spaces/${checkContentId(space.id, 'space id')}/pages`, { limit: checkLimit(limit), cursor, status: 'current' });
    const page = await this.list(url, V2Page);
    return { items: page.items.map((p) => this.pageRef(p, space.key)), next: page.next };
  }

  async getPage(pageId: string): Promise<{ ref: PageRef; html: string }> {
    const url = joinUrl(this.ep.v2, `/pages/${checkContentId(pageId)}`, { 'body-format': 'view' });
    const { data } = await this.http.getJson(url, V2PageWithBody);
    const spaceKey = await this.spaceKey(data.spaceId);
    return { ref: this.pageRef(data, spaceKey), html: data.body.view.value };
  }

  private async list<T extends z.ZodType>(url: URL, item: T): Promise<Listing<z.output<T>>> {
    const { data, headers } = await this.http.getJson(url, v2List(item));
    const next = nextCursor(data._links?.next, header(headers, 'link'), `GET ${url.pathname}`);
    return { items: data.results, next };
  }

  private pageRef(p: z.output<typeof V2Page>, spaceKey: string): PageRef {
    return {
      id: p.id,
      title: p.title,
      spaceId: p.spaceId,
      spaceKey,
      version: p.version.number,
      createdAt: p.createdAt,
      modifiedAt: p.version.createdAt,
      url: uiUrl(this.ep.uiBase, p._links.webui),
    };
  }

  private spaceKey(spaceId: string): Promise<string> {
    let key = this.spaceKeys.get(spaceId);
    if (!key) {
      const url = joinUrl(this.ep.v2, `/spaces/${checkContentId(spaceId, 'space id')}`);
      key = this.http.getJson(url, V2Space).then(({ data }) => data.key);
      key.catch(() => this.spaceKeys.delete(spaceId));
      this.spaceKeys.set(spaceId, key);
    }
    return key;
  }
}

export function splitFound(keys: string[], seen: Map<string, SpaceRef>): { found: SpaceRef[]; missing: string[] } {
  const found: SpaceRef[] = [];
  const missing: string[] = [];
  for (const k of keys) {
    const s = seen.get(k);
    if (s) found.push(s);
    else missing.push(k);
  }
  return { found, missing };
}
