// The client's public face and its factory: Cloud (REST v2, v1 where v2 has no equivalent) or Data Center (REST v1).
import type { Secrets, Site } from '../config';
import { authFix, authorizationHeader, describeUser } from './auth';
import { CloudClient } from './cloud';
import { DataCenterClient } from './data-center';
import { DEFAULT_RETRY, Transport, type RetryOptions } from './http';
import { DEFAULT_POOL, sitePool, type PoolOptions } from './pool';
import type { Listing, PageRef, SpaceRef } from './types';
import { siteEndpoints, normalizeSiteUrl } from './url';

export interface ClientOptions {
  /** Cancels waits and requests (pass the activity's cancellation signal). */
  signal?: AbortSignal;
  retry?: Partial<RetryOptions>;
  /** Applies when the site's shared pool is first created in this process. */
  pool?: Partial<PoolOptions>;
}

export interface PageQuery {
  cursor?: string;
  limit: number;
}

export interface SpaceQuery extends PageQuery {
  keys?: string[];
}

export interface ConfluenceClient {
  readonly cloud: boolean;
  listSpaces(query: SpaceQuery): Promise<Listing<SpaceRef>>;
  /** All requested spaces the user can see, in the order asked, and the keys that are unknown or not visible. */
  resolveSpaces(keys: string[]): Promise<{ found: SpaceRef[]; missing: string[] }>;
  /** Current pages of a space, one API page at a time. */
  listPages(space: SpaceRef, query: PageQuery): Promise<Listing<PageRef>>;
  /** A page's rendered HTML (body.view) and its ref. */
  getPage(pageId: string): Promise<{ ref: PageRef; html: string }>;
}

export function createConfluenceClient(site: Site, secrets: Secrets, opts: ClientOptions = {}): ConfluenceClient {
  const endpoints = siteEndpoints(site);
  const transport = new Transport({
    pool: sitePool(endpoints.v2 ?? endpoints.v1, { ...DEFAULT_POOL, ...opts.pool }),
    authorization: authorizationHeader(site, secrets),
    retry: { ...DEFAULT_RETRY, ...opts.retry },
    signal: opts.signal,
    siteLabel: normalizeSiteUrl(site.url, site.cloud).origin,
    who: describeUser(site),
    authFix: authFix(site),
  });
  return endpoints.cloud ? new CloudClient(transport, endpoints) : new DataCenterClient(transport, endpoints);
}
