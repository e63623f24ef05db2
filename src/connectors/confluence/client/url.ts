// Where a site's UI and REST APIs live, from the URL as users copy it.
import type { Site } from '../site';
import { ConfluenceConfigError } from './errors';

export interface Endpoints {
  cloud: boolean;
  /** API calls go through the gateway (OAuth, scoped API tokens), where the site's /download paths do not answer. */
  gateway: boolean;
  /** Base of UI links (`_links.webui` is relative to it): https://x.atlassian.net/wiki, https://host/confluence. */
  uiBase: string;
  /** Cloud REST v2 base (also via the OAuth gateway). Undefined on Data Center. */
  v2?: string;
  /** REST v1 base: /wiki/rest/api on Cloud, [/context]/rest/api on Data Center. */
  v1: string;
}

/** Path segments that start a UI or API path: a URL pasted from a browser or an API call keeps its context only. */
const DC_NON_CONTEXT = /\/(rest|display|pages|spaces|plugins|login\.action)(\/|$)/;

export function normalizeSiteUrl(raw: string, cloud: boolean): { origin: string; context: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfluenceConfigError(
      `--url "${raw}" is not a URL; pass the site address, e.g. https://example.atlassian.net or https://confluence.example.com`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfluenceConfigError(
      `--url must use http or https, got ${url.protocol}; pass e.g. https://example.atlassian.net`,
    );
  }
  if (url.username || url.password) {
    throw new ConfluenceConfigError(
      '--url must not contain credentials; pass them with --username and --api-token/--password/--token',
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { origin: url.origin, context: cloud ? cloudContext(path, url.origin) : dcContext(path) };
}

function cloudContext(path: string, origin: string): string {
  if (path === '' || path === '/wiki' || path.startsWith('/wiki/')) return '/wiki';
  throw new ConfluenceConfigError(
    `Cloud --url has an unexpected path "${path}"; pass ${origin} or ${origin}/wiki (or --no-cloud for Data Center)`,
  );
}

function dcContext(path: string): string {
  const m = DC_NON_CONTEXT.exec(path);
  return m ? path.slice(0, m.index) : path;
}

export function siteEndpoints(site: Site): Endpoints {
  const { origin, context } = normalizeSiteUrl(site.url, site.cloud);
  const uiBase = origin + context;
  if (!site.cloud) return { cloud: false, gateway: false, uiBase, v1: `${uiBase}/rest/api` };
  // With OAuth or a scoped API token, every API call goes through the gateway; UI links still point at the site.
  const gateway = site.auth === 'oauth' || Boolean(site.scopedToken);
  const apiRoot = gateway ? gatewayRoot(site) : origin;
  return { cloud: true, gateway, uiBase, v2: `${apiRoot}/wiki/api/v2`, v1: `${apiRoot}/wiki/rest/api` };
}

function gatewayRoot(site: Site): string {
  if (!site.cloudId) {
    const what = site.auth === 'oauth' ? 'OAuth' : 'a scoped API token';
    throw new ConfluenceConfigError(
      `${what} needs the site's cloud id; pass --cloud-id (from ${normalizeSiteUrl(site.url, true).origin}/_edge/tenant_info)`,
    );
  }
  return `${site.gatewayUrl.replace(/\/+$/, '')}/ex/confluence/${encodeURIComponent(site.cloudId)}`;
}

/** Joins a path relative to a base (which may carry a context path) without doubling or dropping slashes. */
export function joinUrl(
  base: string,
  path: string,
  query: Record<string, string | number | string[] | undefined> = {},
): URL {
  const url = new URL(`${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
  }
  return url;
}
