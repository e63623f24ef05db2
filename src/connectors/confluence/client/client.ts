// The client's factory: Cloud (REST v2, v1 where v2 has no equivalent) or Data Center (REST v1). Its public face, the
// ConfluenceClient interface, is in clientTypes.ts, which both implementations import without importing this file.
import type { ConfluenceSecrets, Site } from '../site';
import { authFix, authorizationHeader, describeUser } from './auth';
import type { ConfluenceClient } from './clientTypes';
import { CloudClient } from './cloud';
import { DataCenterClient } from './data-center';
import { DEFAULT_RETRY, Transport, type RetryOptions } from './http';
import { DEFAULT_POOL, sitePool, type PoolOptions } from './pool';
import { joinUrl, siteEndpoints, normalizeSiteUrl } from './url';

export type { ConfluenceClient, ContentQuery, PageQuery, SpaceQuery } from './clientTypes';

export interface ClientOptions {
  /** Cancels waits and requests: the activity's cancellation signal, or a function that gives the current one. */
  signal?: AbortSignal | (() => AbortSignal | undefined);
  retry?: Partial<RetryOptions>;
  /** Applies when the site's shared pool is first created in this process. */
  pool?: Partial<PoolOptions>;
  /** The largest JSON answer read (default DEFAULT_MAX_ANSWER_BYTES). */
  maxAnswerBytes?: number;
}

export function createConfluenceClient(
  site: Site,
  secrets: ConfluenceSecrets,
  opts: ClientOptions = {},
): ConfluenceClient {
  const endpoints = siteEndpoints(site);
  const apiBase = endpoints.v2 ?? endpoints.v1;
  const transport = new Transport({
    pool: sitePool(apiBase, {
      ...DEFAULT_POOL,
      maxRequestsPerSecond: site.maxRequestsPerSecond,
      maxConcurrency: site.maxConcurrency ?? DEFAULT_POOL.maxConcurrency,
      ...opts.pool,
    }),
    authorization: authorizationHeader(site, secrets),
    retry: { ...DEFAULT_RETRY, ...opts.retry },
    signal: opts.signal,
    siteOrigin: new URL(apiBase).origin,
    siteLabel: normalizeSiteUrl(site.url, site.cloud).origin,
    who: describeUser(site),
    authFix: authFix(site),
    notFoundFix: site.auth === 'oauth' || site.scopedToken ? ', and --cloud-id' : undefined,
    maxAnswerBytes: opts.maxAnswerBytes,
    // An expired OAuth token answers 404 (v2) or 403 (v1), not 401: only the site's own user/current tells it apart.
    currentUser: site.auth === 'oauth' ? joinUrl(endpoints.v1, '/user/current') : undefined,
  });
  return endpoints.cloud ? new CloudClient(transport, endpoints) : new DataCenterClient(transport, endpoints);
}
