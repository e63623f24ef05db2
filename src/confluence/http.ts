// GET + JSON over the site's pool: limiter slot, timeouts, cancellation, status -> ConfluenceError, bounded retries.
// Retries here are short (a Retry-After up to maxWaitMs, a few backoffs on 5xx/resets); anything longer is thrown
// with retryAfterMs so the activity fails with nextRetryDelay and Temporal waits instead of a blocked worker slot.
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { z } from 'zod';
import { ConfluenceError, oneLine } from './errors';
import type { SitePool } from './pool';
import { header, parseRetryAfter, readRateLimit } from './rate-headers';

export type HeaderBag = Record<string, string | string[] | undefined>;

export interface RetryOptions {
  /** Attempts per request, including the first. */
  attempts: number;
  /** Longest Retry-After honoured in-process; longer waits are handed to Temporal. */
  maxWaitMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, maxWaitMs: 60_000, baseDelayMs: 500, maxDelayMs: 30_000 };

export interface TransportConfig {
  pool: SitePool;
  authorization: string;
  retry: RetryOptions;
  signal?: AbortSignal;
  /** Only this origin receives the Authorization header. */
  siteOrigin: string;
  /** For messages: the site (origin), who we act as, and what to fix on 401. */
  siteLabel: string;
  who: string;
  authFix: string;
  /** Appended to the fix of a 404 (e.g. the cloud id of the OAuth gateway). */
  notFoundFix?: string;
}

const MAX_REDIRECTS = 5;

interface AttemptOptions {
  accept: string;
  auth: boolean;
  maxBytes?: number;
  /** Hand 3xx with a Location back to the caller instead of failing. */
  followable?: boolean;
}

interface RawResponse {
  status: number;
  headers: HeaderBag;
  body: Buffer;
}

export class Transport {
  constructor(private readonly cfg: TransportConfig) {}

  async getJson<S extends z.ZodType>(url: URL, schema: S): Promise<{ data: z.output<S>; headers: HeaderBag }> {
    const endpoint = `GET ${url.pathname}`;
    return this.withRetries(endpoint, async (attempt) => {
      const res = await this.attempt(url, endpoint, attempt, { accept: 'application/json', auth: true });
      const json = this.parseJson(res.body.toString('utf8'), header(res.headers, 'content-type'), endpoint);
      return { data: parseShape(schema, json, endpoint), headers: res.headers };
    });
  }

  /**
   * Bytes of a file on the site, following redirects; credentials go only to the site's own origin
   * (Cloud redirects downloads to a media host that must not see them).
   */
  async getBytes(url: URL, maxBytes = Number.MAX_SAFE_INTEGER): Promise<{ body: Buffer; contentType?: string }> {
    const endpoint = `GET ${url.pathname}`;
    return this.withRetries(endpoint, async (attempt) => {
      let target = url;
      for (let hops = 0; hops <= MAX_REDIRECTS; hops++) {
        const auth = target.origin === this.cfg.siteOrigin;
        const res = await this.attempt(target, endpoint, attempt, { accept: '*/*', auth, maxBytes, followable: true });
        const location = header(res.headers, 'location');
        if (res.status < 300 || !location) return { body: res.body, contentType: header(res.headers, 'content-type') };
        target = new URL(location, target);
      }
      throw new ConfluenceError('bad-request', `${endpoint} on ${this.cfg.siteLabel} redirected more than ${MAX_REDIRECTS} times; check --url`);
    });
  }

  private async withRetries<T>(endpoint: string, run: (attempt: number) => Promise<T>): Promise<T> {
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await run(attempt);
        } catch (err) {
          const delay = this.retryDelay(err, attempt);
          if (delay === undefined) throw err;
          await sleep(delay, undefined, { signal: this.cfg.signal });
        }
      }
    } catch (err) {
      // Cancellation (e.g. Temporal's CancelledFailure) must surface as itself, not as a network error.
      if (this.cfg.signal?.aborted) throw this.cfg.signal.reason;
      throw err;
    }
  }

  private async attempt(url: URL, endpoint: string, attempt: number, how: AttemptOptions): Promise<RawResponse> {
    const { limiter, agent } = this.cfg.pool;
    const held = limiter.pauseRemaining();
    if (held > this.cfg.retry.maxWaitMs) throw this.rateLimited(endpoint, held, 'the site is rate-limited');
    const release = await limiter.acquire(this.cfg.signal);
    try {
      const res = await request(url, {
        method: 'GET',
        dispatcher: agent,
        headers: how.auth ? { authorization: this.cfg.authorization, accept: how.accept } : { accept: how.accept },
        signal: this.cfg.signal,
      }).catch((e: unknown) => {
        throw this.networkError(e, endpoint);
      });
      this.observe(res.headers);
      const body = await readBody(res.body, how.maxBytes ?? Number.MAX_SAFE_INTEGER).catch((e: unknown) => {
        throw e instanceof ConfluenceError ? e : this.networkError(e, endpoint);
      });
      const redirect = how.followable && res.statusCode >= 300 && res.statusCode < 400 && header(res.headers, 'location');
      if ((res.statusCode >= 200 && res.statusCode < 300) || redirect) {
        limiter.onSuccess();
        return { status: res.statusCode, headers: res.headers, body };
      }
      throw this.httpError(res.statusCode, res.headers, body.toString('utf8'), endpoint, attempt);
    } finally {
      release();
    }
  }

  private retryDelay(err: unknown, attempt: number): number | undefined {
    if (!(err instanceof ConfluenceError) || !err.retryable || attempt >= this.cfg.retry.attempts) return undefined;
    if (err.kind !== 'rate-limit') return this.backoff(attempt);
    // The limiter already holds every request of the site for the server's wait.
    return (err.retryAfterMs ?? 0) <= this.cfg.retry.maxWaitMs ? 0 : undefined;
  }

  /** Exponential backoff with jitter x[0.7, 1.3] (Atlassian's guidance). */
  private backoff(attempt: number): number {
    const { baseDelayMs, maxDelayMs } = this.cfg.retry;
    return Math.round(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)) * (0.7 + 0.6 * Math.random()));
  }

  private observe(headers: HeaderBag): void {
    const state = readRateLimit(headers);
    if (state.nearLimit) this.cfg.pool.limiter.onNearLimit();
    if (state.refillMs !== undefined) this.cfg.pool.limiter.pauseFor(state.refillMs);
  }

  private parseJson(text: string, contentType: string | undefined, endpoint: string): unknown {
    if (contentType && !/json/i.test(contentType)) {
      throw new ConfluenceError('shape', `${endpoint} on ${this.cfg.siteLabel} answered ${contentType.split(';')[0]}, not JSON; check --url (the Confluence base address) and --cloud/--no-cloud`);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new ConfluenceError('network', `${endpoint} on ${this.cfg.siteLabel} returned cut-short or malformed JSON (${text.length} chars); retried, if it persists check proxies between here and the site`);
    }
  }

  private httpError(status: number, headers: HeaderBag, text: string, endpoint: string, attempt: number): ConfluenceError {
    const retryAfter = parseRetryAfter(header(headers, 'retry-after'));
    const detail = serverDetail(text);
    const { who, siteLabel } = this.cfg;
    if (status === 429 || (status === 503 && retryAfter)) {
      if (retryAfter?.kind === 'absurd') {
        return new ConfluenceError(
          'rate-limit',
          `${siteLabel} told ${who} to wait ${retryAfter.raw} s (Retry-After on ${endpoint}): the user is blocked by the site's rate limiting; ask a Confluence admin to lift the block or use another account`,
          { status, retryable: false },
        );
      }
      const wait = retryAfter?.ms ?? this.backoff(attempt);
      this.cfg.pool.limiter.onRateLimited(wait);
      return this.rateLimited(endpoint, wait, `${status}${retryAfter ? `, Retry-After ${retryAfter.raw}` : ''}`, status);
    }
    if (status === 401) return new ConfluenceError('auth', `${siteLabel} rejected the credentials of ${who} (401 on ${endpoint}); ${this.cfg.authFix}`, { status });
    if (status === 403) return new ConfluenceError('forbidden', `${who} is not permitted to ${endpoint} (403${detail}); ask a Confluence admin for access or use an account that has it`, { status });
    if (status === 404) return new ConfluenceError('not-found', `${endpoint}: not found or not visible to ${who} (404); check the id or key and the user's permissions${this.cfg.notFoundFix ?? ''}`, { status });
    if (status >= 500) return new ConfluenceError('server', `${siteLabel} answered ${status} on ${endpoint}${detail ? ` (${detail.slice(2)})` : ''}; usually temporary and retried with backoff, if it persists check the site's health`, { status });
    if (status >= 300 && status < 400) {
      const to = header(headers, 'location')?.split('?')[0] ?? 'elsewhere';
      return new ConfluenceError('bad-request', `${endpoint} on ${siteLabel} redirected (${status}) to ${to}; pass the final address as --url`, { status });
    }
    return new ConfluenceError('bad-request', `${siteLabel} refused ${endpoint} (${status}${detail}); check the request settings (space keys, page ids, --cql syntax)`, { status });
  }

  private rateLimited(endpoint: string, waitMs: number, why: string, status?: number): ConfluenceError {
    return new ConfluenceError(
      'rate-limit',
      `${this.cfg.siteLabel} rate-limited ${this.cfg.who} on ${endpoint} (${why}); retry after ${Math.ceil(waitMs / 1000)} s, and if it keeps happening lower the concurrency or ask an admin for a higher quota`,
      { status, retryAfterMs: waitMs },
    );
  }

  private networkError(e: unknown, endpoint: string): ConfluenceError {
    const code = (e as { code?: string }).code ?? (e as Error).name ?? 'error';
    return new ConfluenceError('network', `could not complete ${endpoint} on ${this.cfg.siteLabel} (${code}); retried with backoff, if it persists check --url and the network`);
  }
}

async function readBody(body: AsyncIterable<Buffer>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new ConfluenceError('bad-request', `response is larger than the ${maxBytes}-byte limit; raise the file size limit or exclude the file`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The server's own explanation (v1 `message`, v2 `errors[0]`), short, prefixed for inlining. */
function serverDetail(text: string): string {
  let said: string | undefined;
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: Array<{ title?: unknown; detail?: unknown }> };
    const first = body.errors?.[0];
    said = typeof body.message === 'string' ? body.message : [first?.title, first?.detail].filter((s) => typeof s === 'string').join(': ');
  } catch {
    said = undefined;
  }
  return said ? `: ${oneLine(said, 160)}` : '';
}

function parseShape<S extends z.ZodType>(schema: S, json: unknown, endpoint: string): z.output<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : '(body)';
  throw new ConfluenceError('shape', `unexpected response from ${endpoint}: field ${field}: ${issue?.message ?? 'invalid'}; the server may not be Confluence or not the expected kind, check --url and --cloud/--no-cloud`);
}
