// GET + JSON over the site's pool: limiter slot, timeouts, cancellation, status -> ConfluenceError, bounded retries.
// Retries here are short (a Retry-After up to maxWaitMs, a few backoffs on 5xx/resets); anything longer is thrown
// with retryAfterMs so the activity fails with nextRetryDelay and Temporal waits instead of a blocked worker slot.
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { z } from 'zod';
import { parseRetryAfter } from '../../../core/retryAfter';
import { ConfluenceError } from './errors';
import type { SitePool } from './pool';
import { type HeaderBag, header, readRateLimit } from './rate-headers';
import { networkError, parseJson, parseShape, statusError, type Speaker } from './responses';

export type { HeaderBag };

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
  /** A signal, or a function giving the current one (a shared client serves many activities, each with its own). */
  signal?: AbortSignal | (() => AbortSignal | undefined);
  /** Only this origin receives the Authorization header. */
  siteOrigin: string;
  /** For messages: the site (origin), who we act as, and what to fix on 401. */
  siteLabel: string;
  who: string;
  authFix: string;
  /** Appended to the fix of a 404 (e.g. the cloud id of the OAuth gateway). */
  notFoundFix?: string;
  /** The largest JSON answer read (default DEFAULT_MAX_ANSWER_BYTES); a read's own cap may be lower. */
  maxAnswerBytes?: number;
  /**
   * The site's `user/current`, asked after a 403 or 404 when the credential may have expired without a 401 (OAuth:
   * 404 on v2, 403 on v1); absent: a 403 or 404 is taken as it is.
   */
  currentUser?: URL;
}

/** Far above any real listing or page (Confluence itself fails answers of a few MB with 500), far below a worker's heap. */
export const DEFAULT_MAX_ANSWER_BYTES = 64 * 2 ** 20;

const MAX_REDIRECTS = 5;

/**
 * After a 401, how long this client's other requests fail with it unsent: the run stops at the first one anyway (see
 * pipeline/runStops.ts), so the pages under way need not each learn it from the site. Short, in case it was a glitch.
 */
const REFUSAL_HOLD_MS = 30_000;

/** How one JSON read differs from the default: a cap on the answer's size; a 500 taken as "answer too large". */
export interface JsonReadOptions {
  maxBytes?: number;
  /**
   * True: a 500 is thrown at once and is no sign the site is down (Confluence fails very large expanded answers that
   * way, and a batch read halves itself instead of asking the same again). 502, 503 and 504 are retried as usual.
   */
  splitOn500?: boolean;
}

/** An answer over the caller's size cap. */
export class ResponseTooLarge extends ConfluenceError {}

interface AttemptOptions {
  accept: string;
  auth: boolean;
  maxBytes?: number;
  /** Hand 3xx with a Location back to the caller instead of failing. */
  followable?: boolean;
  splitOn500?: boolean;
}

interface RawResponse {
  status: number;
  headers: HeaderBag;
  body: Buffer;
}

export class Transport {
  /** The site's last refusal of these credentials, held for REFUSAL_HOLD_MS. */
  private refusal?: { error: ConfluenceError; until: number };
  /** The one user/current probe under way: the 404s of a window of pages share it. */
  private probe?: Promise<ConfluenceError | undefined>;
  /** The site has accepted these credentials at least once (a wrong --cloud-id never has: it is a 404 throughout). */
  private accepted = false;

  constructor(private readonly cfg: TransportConfig) {}

  private signal(): AbortSignal | undefined {
    return typeof this.cfg.signal === 'function' ? this.cfg.signal() : this.cfg.signal;
  }

  async getJson<S extends z.ZodType>(
    url: URL,
    schema: S,
    opts: JsonReadOptions = {},
  ): Promise<{ data: z.output<S>; headers: HeaderBag }> {
    const ctx = this.speaker(url);
    return this.expiryChecked(
      url,
      async (attempt) => {
        const res = await this.attempt(url, ctx, attempt, {
          accept: 'application/json',
          auth: true,
          maxBytes: Math.min(
            opts.maxBytes ?? Number.MAX_SAFE_INTEGER,
            this.cfg.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES,
          ),
          splitOn500: opts.splitOn500,
        });
        const json = parseJson(res.body.toString('utf8'), header(res.headers, 'content-type'), ctx);
        return { data: parseShape(schema, json, ctx), headers: res.headers };
      },
      opts.splitOn500,
    );
  }

  /**
   * Bytes of a file on the site, following redirects; credentials go only to the site's own origin
   * (Cloud redirects downloads to a media host that must not see them).
   */
  async getBytes(url: URL, maxBytes = Number.MAX_SAFE_INTEGER): Promise<{ body: Buffer; contentType?: string }> {
    const ctx = this.speaker(url);
    return this.expiryChecked(url, async (attempt) => {
      let target = url;
      for (let hops = 0; hops <= MAX_REDIRECTS; hops++) {
        const auth = target.origin === this.cfg.siteOrigin;
        const res = await this.attempt(target, ctx, attempt, { accept: '*/*', auth, maxBytes, followable: true });
        const location = header(res.headers, 'location');
        if (res.status < 300 || !location) return { body: res.body, contentType: header(res.headers, 'content-type') };
        target = new URL(location, target);
      }
      throw new ConfluenceError(
        'bad-request',
        `${ctx.endpoint} on ${ctx.site} redirected more than ${MAX_REDIRECTS} times; check --url`,
      );
    });
  }

  /** A 403 or 404 that an expired credential explains is that failure instead: pages must not look gone for it. */
  private async expiryChecked<T>(url: URL, run: (attempt: number) => Promise<T>, splitOn500 = false): Promise<T> {
    try {
      return await this.withRetries(run, splitOn500);
    } catch (err) {
      const { currentUser } = this.cfg;
      // Only a 403 or 404 of this request: the expiry already found (held, with its own status) is thrown as it is.
      const refused =
        err instanceof ConfluenceError && err.kind !== 'auth' && (err.status === 403 || err.status === 404);
      if (!refused || !currentUser || url.href === currentUser.href) throw err;
      const seen = `${err.status} on GET ${url.pathname}`;
      this.probe ??= this.expiry(currentUser, seen).finally(() => (this.probe = undefined));
      throw (await this.probe) ?? err;
    }
  }

  /**
   * The credential expired when even `user/current` is refused (a 404 there only once the site had accepted it); then
   * every request fails with that, unsent.
   */
  private async expiry(currentUser: URL, seen: string): Promise<ConfluenceError | undefined> {
    const ctx = this.speaker(currentUser);
    const status = await this.attempt(currentUser, ctx, 1, { accept: 'application/json', auth: true }).then(
      () => undefined,
      (e: unknown) => (e instanceof ConfluenceError ? e.status : undefined),
    );
    if (status !== 401 && status !== 403 && !(status === 404 && this.accepted)) return undefined;
    const error = new ConfluenceError(
      'auth',
      `${ctx.site} no longer accepts the credentials of ${ctx.who}: they have expired or were revoked (${seen}, and ` +
        `${status} on ${ctx.endpoint}); ${this.cfg.authFix}`,
      { status },
    );
    this.refusal = { error, until: Date.now() + REFUSAL_HOLD_MS };
    return error;
  }

  private speaker(url: URL): Speaker {
    const { siteLabel, who, authFix, notFoundFix } = this.cfg;
    return { endpoint: `GET ${url.pathname}`, site: siteLabel, who, authFix, notFoundFix };
  }

  private async withRetries<T>(run: (attempt: number) => Promise<T>, splitOn500 = false): Promise<T> {
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await run(attempt);
        } catch (err) {
          const delay = splitOn500 && isStatus500(err) ? undefined : this.retryDelay(err, attempt);
          if (delay === undefined) throw err;
          await sleep(delay, undefined, { signal: this.signal() });
        }
      }
    } catch (err) {
      // Cancellation (e.g. Temporal's CancelledFailure) must surface as itself, not as a network error.
      const signal = this.signal();
      if (signal?.aborted) throw signal.reason;
      throw err;
    }
  }

  private async attempt(url: URL, ctx: Speaker, attempt: number, how: AttemptOptions): Promise<RawResponse> {
    const { limiter, agent } = this.cfg.pool;
    const held = limiter.pauseRemaining();
    if (held > this.cfg.retry.maxWaitMs) throw this.rateLimited(ctx, held, 'the site is rate-limited');
    this.throwIfRefused();
    const release = await limiter.acquire(this.signal());
    try {
      // Checked again: the refusal may have come while this request waited for its turn.
      this.throwIfRefused();
      const res = await request(url, {
        method: 'GET',
        dispatcher: agent,
        headers: how.auth ? { authorization: this.cfg.authorization, accept: how.accept } : { accept: how.accept },
        signal: this.signal(),
      }).catch((e: unknown) => {
        throw this.failed(networkError(e, ctx));
      });
      this.observe(res.headers);
      const body = await readBody(res.body, how.maxBytes ?? Number.MAX_SAFE_INTEGER, url).catch((e: unknown) => {
        throw e instanceof ConfluenceError ? e : this.failed(networkError(e, ctx));
      });
      const location = header(res.headers, 'location');
      if (
        (res.statusCode >= 200 && res.statusCode < 300) ||
        (how.followable && res.statusCode >= 300 && res.statusCode < 400 && location)
      ) {
        limiter.onSuccess();
        if (how.auth) this.accepted = true;
        return { status: res.statusCode, headers: res.headers, body };
      }
      const error =
        this.rateLimit(res.statusCode, res.headers, ctx, attempt) ??
        statusError(res.statusCode, body.toString('utf8'), location, ctx);
      if (error.kind === 'auth' && how.auth) this.refusal = { error, until: Date.now() + REFUSAL_HOLD_MS };
      const siteTrouble = error.kind === 'server' && !(how.splitOn500 && isStatus500(error));
      throw siteTrouble ? this.failed(error) : error;
    } finally {
      release();
    }
  }

  /** A 5xx or no answer: the site's limiter counts it (a site that looks down is probed, not hammered). */
  private failed(error: ConfluenceError): ConfluenceError {
    // A request this side abandoned (a cancelled activity) says nothing about the site.
    if (!this.signal()?.aborted) this.cfg.pool.limiter.onServerError();
    return error;
  }

  private throwIfRefused(): void {
    if (this.refusal && Date.now() < this.refusal.until) throw this.refusal.error;
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
    if (state.ratePerSecond !== undefined) this.cfg.pool.limiter.setRate(state.ratePerSecond);
    for (const budget of state.budgets) this.cfg.pool.limiter.onQuota(budget);
  }

  /** 429, or 503 with Retry-After: hold the whole site for the wait (or fail a blocked user at once). */
  private rateLimit(status: number, headers: HeaderBag, ctx: Speaker, attempt: number): ConfluenceError | undefined {
    const retryAfter = parseRetryAfter(header(headers, 'retry-after'));
    if (status !== 429 && !(status === 503 && retryAfter)) return undefined;
    if (retryAfter?.kind === 'absurd') {
      return new ConfluenceError(
        'rate-limit',
        `${ctx.site} told ${ctx.who} to wait ${retryAfter.raw} s (Retry-After on ${ctx.endpoint}): the user is blocked by the site's rate limiting; ask a Confluence admin to lift the block or use another account`,
        { status, retryable: false },
      );
    }
    const wait = retryAfter?.ms ?? this.backoff(attempt);
    this.cfg.pool.limiter.onRateLimited(wait);
    const reason = readRateLimit(headers).reason;
    const why = `${status}${retryAfter ? `, Retry-After ${retryAfter.raw}` : ''}${reason ? `, ${reason}` : ''}`;
    return this.rateLimited(ctx, wait, why, status);
  }

  private rateLimited(ctx: Speaker, waitMs: number, why: string, status?: number): ConfluenceError {
    return new ConfluenceError(
      'rate-limit',
      `${ctx.site} rate-limited ${ctx.who} on ${ctx.endpoint} (${why}); retry after ${Math.ceil(waitMs / 1000)} s, and if it keeps happening lower the concurrency or ask an admin for a higher quota`,
      { status, retryAfterMs: waitMs },
    );
  }
}

async function readBody(body: AsyncIterable<Buffer>, maxBytes: number, url: URL): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new ResponseTooLarge(
        'bad-request',
        `${url.origin}${url.pathname} answered more than ${maxBytes} bytes, over the cap; stopped reading, if the answer is genuine raise the file size limit or exclude what it reads`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A 500 (not 502, 503, 504, which a proxy sends while the site is away). */
export function isStatus500(err: unknown): boolean {
  return err instanceof ConfluenceError && err.kind === 'server' && err.status === 500;
}
