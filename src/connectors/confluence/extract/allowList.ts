// Which URLs the extractor may fetch, and which of them may carry the Confluence credentials.
// Every decision is made on the WHATWG-parsed URL (the same parser undici uses), never on the raw string,
// so "https://site.com.evil.net", "http://2130706433/" or "/wiki/../admin" mean what a client would connect to.
import { z } from 'zod';
import { ipFamily, isLocalhostName, isSpecialAddress } from './ipRanges';

export type UrlCheck = { ok: true; url: URL; sendCredentials: boolean } | { ok: false; reason: string };

export interface UrlPolicy {
  /** The site's own origin: the only origin that receives credentials. */
  readonly siteOrigin: string;
  /** `url` as written (a src or a Location), resolved against `base` when relative. */
  check(url: string | URL, base?: string | URL): UrlCheck;
  /**
   * Whether a connection to `hostname` may go to the resolved `address`. Non-site DNS names that resolve to
   * private or loopback addresses are refused (DNS rebinding), unless the allow-list names that host as an
   * IP literal or localhost, or `allowPrivateNetwork` is set.
   */
  mayConnect(hostname: string, address: string): boolean;
}

const PolicyOptionsSchema = z.object({
  siteUrl: z.string().min(1),
  /** URL prefixes; empty or absent means the site's base URL only. */
  allowList: z.array(z.string()).optional(),
  /** Let allow-listed DNS names resolve to private addresses (intranet image hosts on Data Center). */
  allowPrivateNetwork: z.boolean().optional(),
});
export type UrlPolicyOptions = z.input<typeof PolicyOptionsSchema>;

interface Prefix {
  origin: string;
  /** Path that a matching URL equals or continues at a "/" boundary. */
  path: string;
}

/** origin + path, without user-info, query or fragment: safe for logs and reports (no tokens). */
export function describeUrl(url: string | URL): string {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    if (u.protocol === 'data:') return 'data:...';
    return u.origin === 'null' ? `${u.protocol}...` : `${u.origin}${u.pathname}`;
  } catch {
    return '<unparseable URL>';
  }
}

export function createUrlPolicy(options: UrlPolicyOptions): UrlPolicy {
  const opts = PolicyOptionsSchema.parse(options);
  const site = parsePrefix(opts.siteUrl, 'site URL');
  const entries = opts.allowList?.map((s) => s.trim()).filter((s) => s !== '') ?? [];
  const prefixes = entries.length > 0 ? entries.map((e) => parsePrefix(e, 'allow-list entry')) : [site];
  const siteHost = new URL(site.origin).hostname;
  const namedHosts = new Set(prefixes.map((p) => new URL(p.origin).hostname));

  function check(input: string | URL, base?: string | URL): UrlCheck {
    const raw = typeof input === 'string' ? input : input.href;
    let url: URL;
    try {
      url = new URL(raw, base);
    } catch {
      return { ok: false, reason: base ? 'not a valid URL' : 'not an absolute URL; pass the page URL as base' };
    }
    const refusal = refuseShape(url, raw);
    if (refusal) return { ok: false, reason: refusal };
    if (!prefixes.some((p) => matches(p, url))) {
      return {
        ok: false,
        reason: `${describeUrl(url)} is not under an allowed prefix; add it to --allow-list to fetch it`,
      };
    }
    return { ok: true, url, sendCredentials: url.origin === site.origin };
  }

  function mayConnect(hostname: string, address: string): boolean {
    if (hostname === siteHost || opts.allowPrivateNetwork) return true;
    if (!isSpecialAddress(address)) return true;
    // A private target is reachable only when the admin named it directly, not through some DNS name.
    return namedHosts.has(hostname) && (ipFamily(hostname) !== undefined || isLocalhostName(hostname));
  }

  return { siteOrigin: site.origin, check, mayConnect };
}

function refuseShape(url: URL, raw: string): string | undefined {
  if (url.protocol === 'data:') return 'data: URLs are never fetched (inline images are kept as they are)';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `${url.protocol} URLs are never fetched; only http: and https:`;
  }
  if (url.username !== '' || url.password !== '') {
    return `${describeUrl(url)} carries user-info (user:password@); credentials in URLs are refused`;
  }
  if (ipFamily(url.hostname) && carriesHost(raw) && !writtenCanonically(url, raw)) {
    return `the IP address of ${describeUrl(url)} is written in a non-canonical form (decimal, octal, hex, short or expanded); write it as ${url.hostname}`;
  }
  return undefined;
}

/** Whether `raw` names a host of its own rather than taking the base's: the parser answers, not a pattern. */
function carriesHost(raw: string): boolean {
  try {
    return new URL(raw, 'http://a.invalid').host === new URL(raw, 'http://b.invalid').host;
  } catch {
    return true;
  }
}

/**
 * Whether the raw text names the host exactly as the parser canonicalised it. Catches 2130706433, 0x7f.1,
 * 0177.0.0.1, [::ffff:127.0.0.1], percent-encoded digits: forms meant to slip past string filters.
 */
function writtenCanonically(url: URL, raw: string): boolean {
  // The parser drops surrounding C0/space and every tab/newline before reading the host; so do we.
  const text = raw
    .replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
    .replace(/[\t\n\r]/g, '')
    .toLowerCase();
  return [`${url.protocol}//${url.hostname}`, `//${url.hostname}`].some((head) => {
    const next = text.startsWith(head) ? text.charAt(head.length) : undefined;
    return next === '' || next === ':' || next === '/' || next === '?' || next === '#';
  });
}

function parsePrefix(text: string, what: string): Prefix {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${what} ${JSON.stringify(text)} is not an absolute URL; write it like https://host/path`);
  }
  const shape = refuseShape(url, text);
  if (shape) throw new Error(`${what} ${describeUrl(url)} is refused: ${shape}`);
  if (url.search !== '' || url.hash !== '') {
    throw new Error(
      `${what} ${describeUrl(url)} has a query or fragment; give a plain URL prefix like https://host/path`,
    );
  }
  return { origin: url.origin, path: url.pathname };
}

function matches(prefix: Prefix, url: URL): boolean {
  if (url.origin !== prefix.origin) return false;
  const path = url.pathname;
  if (prefix.path.endsWith('/')) return path.startsWith(prefix.path);
  return path === prefix.path || path.startsWith(`${prefix.path}/`);
}
