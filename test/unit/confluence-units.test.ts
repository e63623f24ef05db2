// Pure logic of the client: URL forms, auth rules, Retry-After, pagination cursors, the adaptive limiter.
import { describe, expect, it } from 'vitest';
import {
  ConfluenceConfigError,
  ConfluenceError,
  createConfluenceClient,
  resolveAuth,
} from '../../src/connectors/confluence/client';
import { AdaptiveLimiter } from '../../src/connectors/confluence/client/limiter';
import { nextCursor, nextOffset, parseOffset } from '../../src/connectors/confluence/client/pagination';
import { readRateLimit } from '../../src/connectors/confluence/client/rate-headers';
import { parseRetryAfter } from '../../src/core/retryAfter';
import { normalizeSiteUrl, siteEndpoints } from '../../src/connectors/confluence/client/url';
import { SiteSchema } from '../../src/pipeline/config';
import { parseJson, parseShape, statusError, type Speaker } from '../../src/connectors/confluence/client/responses';
import { V2Space, v2List } from '../../src/connectors/confluence/client/schemas';

describe('site URLs', () => {
  const cloud = (url: string, extra = {}) =>
    siteEndpoints(SiteSchema.parse({ url, cloud: true, auth: 'api-token', username: 'a@b.c', ...extra }));
  const dc = (url: string) => siteEndpoints(SiteSchema.parse({ url, cloud: false, auth: 'pat' }));

  it('accepts Cloud URLs with or without /wiki and never doubles it', () => {
    for (const url of [
      'https://x.atlassian.net',
      'https://x.atlassian.net/',
      'https://x.atlassian.net/wiki',
      'https://x.atlassian.net/wiki/',
      'https://x.atlassian.net/wiki/spaces/ENG/overview',
    ]) {
      expect(cloud(url)).toEqual({
        cloud: true,
        gateway: false,
        uiBase: 'https://x.atlassian.net/wiki',
        v2: 'https://x.atlassian.net/wiki/api/v2',
        v1: 'https://x.atlassian.net/wiki/rest/api',
      });
    }
  });

  it('keeps a Data Center host, port and context path', () => {
    expect(dc('https://conf.example.com:8443/confluence/')).toEqual({
      cloud: false,
      gateway: false,
      uiBase: 'https://conf.example.com:8443/confluence',
      v1: 'https://conf.example.com:8443/confluence/rest/api',
    });
    expect(dc('http://conf.example.com').v1).toBe('http://conf.example.com/rest/api');
    expect(dc('https://h/confluence/display/ENG/Home').v1).toBe('https://h/confluence/rest/api');
    expect(dc('https://h/confluence/rest/api').v1).toBe('https://h/confluence/rest/api');
  });

  it('routes OAuth through the (overridable) gateway, with UI links on the site', () => {
    const ep = cloud('https://x.atlassian.net/wiki', {
      auth: 'oauth',
      username: undefined,
      cloudId: 'abc-123',
      gatewayUrl: 'http://127.0.0.1:9/',
    });
    expect(ep.v2).toBe('http://127.0.0.1:9/ex/confluence/abc-123/wiki/api/v2');
    expect(ep.v1).toBe('http://127.0.0.1:9/ex/confluence/abc-123/wiki/rest/api');
    expect(ep.uiBase).toBe('https://x.atlassian.net/wiki');
    expect(ep.gateway).toBe(true);
  });

  it('rejects bad URLs with one-line errors naming the fix', () => {
    expect(() => normalizeSiteUrl('x.atlassian.net', true)).toThrow(/not a URL.*https:\/\//);
    expect(() => normalizeSiteUrl('ftp://h', false)).toThrow(/http or https/);
    expect(() => normalizeSiteUrl('https://u:p@h', false)).toThrow(/must not contain credentials/);
    expect(() => normalizeSiteUrl('https://x.atlassian.net/confluence', true)).toThrow(/unexpected path.*--no-cloud/);
  });
});

describe('resolveAuth', () => {
  const url = 'https://x.atlassian.net';
  const fails = (input: Parameters<typeof resolveAuth>[0], pattern: RegExp) => {
    let err: unknown;
    try {
      resolveAuth(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfluenceConfigError);
    expect((err as Error).message).toMatch(pattern);
    expect((err as Error).message).not.toMatch(/\n/);
    expect((err as Error).message).not.toContain('SECRET');
  };

  it('maps each mode to a site and only its own secret', () => {
    expect(resolveAuth({ url, cloud: true, username: 'a@b.c', apiToken: 'SECRET-TOK' })).toMatchObject({
      site: { auth: 'api-token', cloud: true, username: 'a@b.c' },
      secrets: { apiToken: 'SECRET-TOK' },
    });
    expect(resolveAuth({ url: 'https://h/c', username: 'u', password: 'SECRET-PW' })).toMatchObject({
      site: { auth: 'password', cloud: false },
      secrets: { password: 'SECRET-PW' },
    });
    expect(resolveAuth({ url: 'https://h/c', token: 'SECRET-PAT' })).toEqual({
      site: expect.objectContaining({ auth: 'pat', cloud: false }),
      secrets: { token: 'SECRET-PAT' },
    });
    const oauth = resolveAuth({ url, oauthToken: 'SECRET-OAUTH', cloudId: 'cid', gatewayUrl: 'http://127.0.0.1:1' });
    expect(oauth.site).toMatchObject({ auth: 'oauth', cloud: true, cloudId: 'cid', gatewayUrl: 'http://127.0.0.1:1' });
    expect(oauth.secrets).toEqual({ oauthToken: 'SECRET-OAUTH' });
    expect(JSON.stringify(oauth.site)).not.toContain('SECRET');
  });

  it('fails a worker that lacks the secret of the site, naming the env var', () => {
    const { site } = resolveAuth({ url, cloud: true, username: 'a@b.c', apiToken: 'SECRET-TOK' });
    expect(() => createConfluenceClient(site, {})).toThrow(ConfluenceConfigError);
    expect(() => createConfluenceClient(site, { password: 'SECRET-PW' })).toThrow(
      /no API token; set CONFLUENCE_API_TOKEN where the worker runs/,
    );
    const dc = resolveAuth({ url: 'https://h', token: 'SECRET-PAT' }).site;
    expect(() => createConfluenceClient(dc, {})).toThrow(/CONFLUENCE_PERSONAL_ACCESS_TOKEN/);
  });

  it('applies the reference rules with clear messages', () => {
    fails({ url, username: 'u', password: 'SECRET-PW', apiToken: 'SECRET-TOK' }, /both --password and --api-token/);
    fails({ url, apiToken: 'SECRET-TOK' }, /--api-token needs --username/);
    fails({ url, cloud: true, token: 'SECRET-PAT' }, /--cloud needs --username with --api-token, or --oauth-token/);
    fails({ url, username: 'u', apiToken: 'SECRET-TOK', token: 'SECRET-PAT' }, /mutually exclusive/);
    fails({ url, token: 'SECRET-PAT', oauthToken: 'SECRET-OAUTH', cloudId: 'c' }, /mutually exclusive/);
    fails({ url, oauthToken: 'SECRET-OAUTH' }, /--oauth-token needs --cloud-id/);
    fails({ url }, /no credentials given/);
    fails({ url: 'nope', token: 'SECRET-PAT' }, /not a URL/);
  });
});

describe('Retry-After and X-RateLimit headers', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toEqual({ kind: 'wait', ms: 3000, raw: '3' });
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toMatchObject({ kind: 'wait', ms: 7000 });
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toMatchObject({ kind: 'wait', ms: 0 });
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
  it("flags Data Center's blocked-user value as absurd instead of a wait", () => {
    expect(parseRetryAfter('9223372036854775807', now)).toEqual({ kind: 'absurd', raw: '9223372036854775807' });
  });
  it('derives the refill time from Cloud reset or Data Center fill rate when nothing remains', () => {
    expect(readRateLimit({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-01-01T00:00:02Z' }, now)).toEqual({
      remaining: 0,
      nearLimit: false,
      refillMs: 2000,
      ratePerSecond: undefined,
      budgets: [],
    });
    expect(
      readRateLimit(
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-interval-seconds': '1', 'x-ratelimit-fillrate': '4' },
        now,
      ).refillMs,
    ).toBe(250);
    expect(readRateLimit({ 'x-ratelimit-remaining': '12', 'x-ratelimit-nearlimit': 'true' }, now)).toEqual({
      remaining: 12,
      nearLimit: true,
      refillMs: undefined,
      ratePerSecond: undefined,
      budgets: [],
    });
  });
});

describe('pagination', () => {
  it('takes the cursor wherever it sits in _links.next or the Link header', () => {
    expect(nextCursor('/wiki/api/v2/spaces?cursor=abc%3D%3D&limit=25', undefined, 'GET x')).toBe('abc==');
    expect(nextCursor('/wiki/api/v2/pages?limit=25&space-id=1,2&cursor=zz', undefined, 'GET x')).toBe('zz');
    expect(
      nextCursor(
        undefined,
        '</wiki/api/v2/spaces?keys=A,B&cursor=c1&limit=100>; rel="next", <https://x.atlassian.net/wiki>; rel="base"',
        'GET x',
      ),
    ).toBe('c1');
    expect(nextCursor(undefined, '<https://x.atlassian.net/wiki>; rel="base"', 'GET x')).toBeUndefined();
    expect(nextCursor(undefined, undefined, 'GET x')).toBeUndefined();
  });
  it('fails loudly on a next link without a cursor instead of stopping early', () => {
    expect(() => nextCursor('/wiki/api/v2/spaces?start=25', undefined, 'GET /wiki/api/v2/spaces')).toThrow(
      ConfluenceError,
    );
    expect(() => nextCursor('/wiki/api/v2/spaces?start=25', undefined, 'GET /wiki/api/v2/spaces')).toThrow(
      /GET \/wiki\/api\/v2\/spaces: field _links.next/,
    );
  });
  it('recomputes offsets and stops only on an empty page', () => {
    expect(nextOffset(0, 25)).toBe('25');
    expect(nextOffset(25, 3)).toBe('28');
    expect(nextOffset(28, 0)).toBeUndefined();
    expect(parseOffset(undefined)).toBe(0);
    expect(() => parseOffset('abc')).toThrow(/Listing.next/);
  });
});

describe('AdaptiveLimiter', () => {
  it('never runs more than its concurrency at once', async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 3 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const release = await limiter.acquire();
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        release();
      }),
    );
    expect(peak).toBe(3);
  });

  it('halves on 429, holds requests for the wait, and recovers one slot per run of successes', async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 8, recoverAfter: 4 });
    const t0 = Date.now();
    limiter.onRateLimited(120);
    limiter.onRateLimited(120); // a second 429 of the same burst
    expect(limiter.concurrency).toBe(4);
    expect(limiter.pauseRemaining()).toBeGreaterThan(0);
    (await limiter.acquire())();
    // Node timers may fire up to a millisecond early.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(119);
    limiter.onRateLimited(0);
    limiter.onRateLimited(0);
    limiter.onRateLimited(0);
    expect(limiter.concurrency).toBe(1);
    for (let i = 0; i < 4; i++) limiter.onSuccess();
    expect(limiter.concurrency).toBe(2);
    for (let i = 0; i < 3; i++) limiter.onSuccess();
    expect(limiter.concurrency).toBe(2);
  });

  it('probes a site that looks down (more failures in a row than slots) one request at a time, with pauses that double, until a success', async () => {
    let now = 0;
    const limiter = new AdaptiveLimiter({ maxConcurrency: 4, probePauseMs: 100, maxProbePauseMs: 350, now: () => now });
    for (let i = 0; i < 4; i++) limiter.onServerError();
    // Random 5xx among successes, or the four requests under way failing together, hold nothing.
    expect(limiter.pauseRemaining()).toBe(0);
    const pauses = [1, 2, 3, 4].map(() => {
      limiter.onServerError();
      const pause = limiter.pauseRemaining();
      now += pause;
      return pause;
    });
    expect(pauses).toEqual([100, 200, 350, 350]);
    const probe = await limiter.acquire();
    let second = false;
    const waiting = limiter.acquire().then((release) => {
      second = true;
      release();
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(second).toBe(false);
    limiter.onSuccess();
    probe();
    await waiting;
    limiter.onServerError();
    expect(limiter.pauseRemaining()).toBe(0);
  });

  it('spaces request starts to a rate the server announced', async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 8 });
    limiter.setRate(50);
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const release = await limiter.acquire();
        starts.push(Date.now());
        release();
      }),
    );
    // 6 starts at 50/s span at least 5 gaps of 20 ms (timers may fire a millisecond early).
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(95);
  });

  it('keeps request starts a spacing apart after the event loop stalls', async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 8, maxRequestsPerSecond: 20 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const release = await limiter.acquire();
        starts.push(Date.now());
        if (i === 0) for (const until = Date.now() + 200; Date.now() < until; ); // a long synchronous partition
        release();
      }),
    );
    // The three waiters were due during the stall; they must still start 50 ms apart (a millisecond of timer slack).
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(49);
  });

  it('abandons a wait when the signal aborts', async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 1 });
    const hold = await limiter.acquire();
    const ac = new AbortController();
    const waiting = limiter.acquire(ac.signal);
    ac.abort(new Error('cancelled by test'));
    await expect(waiting).rejects.toThrow('cancelled by test');
    hold();
    (await limiter.acquire())();
  });
});

describe('responses', () => {
  const ctx: Speaker = {
    endpoint: 'GET /wiki/api/v2/spaces',
    site: 'https://x.atlassian.net',
    who: 'user a@b.c',
    authFix: 'check --api-token',
  };

  it('names the endpoint and the field of an unexpected shape', () => {
    const body = {
      results: [
        { id: '1', key: 'A', name: 'a' },
        { id: '2', name: 'b' },
      ],
      _links: {},
    };
    let err: unknown;
    try {
      parseShape(v2List(V2Space), body, ctx);
    } catch (e) {
      err = e;
    }
    expect((err as ConfluenceError).kind).toBe('shape');
    expect((err as ConfluenceError).message).toMatch(
      /^unexpected response from GET \/wiki\/api\/v2\/spaces: field results\.1\.key: .*check --url/,
    );
  });

  it('tells a non-JSON answer (wrong URL) from JSON cut short (retryable)', () => {
    expect(() => parseJson('<html>login</html>', 'text/html; charset=utf-8', ctx)).toThrow(
      /answered text\/html, not JSON; check --url/,
    );
    let err: unknown;
    try {
      parseJson('{"results":[{"id":', 'application/json', ctx);
    } catch (e) {
      err = e;
    }
    expect([(err as ConfluenceError).kind, (err as ConfluenceError).retryable]).toEqual(['network', true]);
  });

  it("maps statuses to kinds with the server's own reason and a fix", () => {
    const forbidden = statusError(
      403,
      JSON.stringify({ statusCode: 403, message: 'Current user not permitted to use Confluence' }),
      undefined,
      ctx,
    );
    expect([forbidden.kind, forbidden.retryable]).toEqual(['forbidden', false]);
    expect(forbidden.message).toMatch(
      /user a@b.c is not permitted to GET \/wiki\/api\/v2\/spaces \(403: Current user not permitted to use Confluence\); ask a Confluence admin/,
    );
    const bad = statusError(
      400,
      JSON.stringify({
        errors: [{ status: 400, code: 'INVALID_REQUEST_PARAMETER', title: 'Bad Request', detail: 'limit too big' }],
      }),
      undefined,
      ctx,
    );
    expect(bad.kind).toBe('bad-request');
    expect(bad.message).toContain('(400: Bad Request: limit too big)');
    const server = statusError(502, '<html>Bad Gateway</html>', undefined, ctx);
    expect([server.kind, server.retryable, server.status]).toEqual(['server', true, 502]);
    const moved = statusError(302, '', 'https://x.atlassian.net/login?token=abc', ctx);
    expect(moved.message).toMatch(
      /redirected \(302\) to https:\/\/x.atlassian.net\/login; pass the final address as --url/,
    );
    expect(moved.message).not.toContain('token=abc');
  });
});
