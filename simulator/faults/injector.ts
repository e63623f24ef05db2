// Seeded, deterministic fault injection: each matching request draws the same number of random values in the same
// order, so a given seed and request sequence always produce the same faults.
import type { Mode } from '../links';
import { Rng } from '../rng';
import { FaultOptionsSchema, type FaultOptions, type FaultOptionsInput } from './options';
import { PointsQuota } from './quota';

export type FaultDecision =
  | { kind: 'reset'; delayMs: number }
  | { kind: 'revoked'; delayMs: number }
  | { kind: 'expired'; delayMs: number }
  | { kind: 'down'; delayMs: number }
  | { kind: 'reject'; delayMs: number; status: number; headers: Record<string, string> }
  | { kind: 'pass'; delayMs: number; slowBodyMs: number; truncate: boolean; headers?: Record<string, string> };

export interface FaultCounters {
  delayed: number;
  burst429: number;
  rps429: number;
  /** Requests that found the points quota used up: answered 429 when it is enforced, only reported in beta. */
  overQuota: number;
  serverErrors: number;
  resets: number;
  slowBodies: number;
  truncated: number;
  /** 401s answered because the credential was revoked. */
  revoked401: number;
  /** Requests refused because the credential expired (401, or 403/404 through the OAuth gateway). */
  expired: number;
  /** 503s answered while the site was down. */
  outage503: number;
}

const SERVER_ERRORS = [500, 502, 503, 504];

export class FaultInjector {
  private options: FaultOptions;
  private only?: RegExp;
  private readonly rng: Rng;
  private matched = 0;
  private burstUntil = 0;
  private tokens = 0;
  private refilledAt = 0;
  private quota?: PointsQuota;
  /** Every request decided, matching `only` or not: revocation and outages count them all. */
  private seen = 0;
  private revokedFrom = Number.POSITIVE_INFINITY;
  private expiredFrom = Number.POSITIVE_INFINITY;
  private outageFrom = Number.POSITIVE_INFINITY;
  private downUntil = 0;
  readonly counters: FaultCounters = {
    delayed: 0,
    burst429: 0,
    rps429: 0,
    overQuota: 0,
    serverErrors: 0,
    resets: 0,
    slowBodies: 0,
    truncated: 0,
    revoked401: 0,
    expired: 0,
    outage503: 0,
  };

  constructor(
    seed: number,
    options: FaultOptions,
    private readonly mode: Mode,
  ) {
    this.rng = Rng.derive(seed, 'faults');
    this.options = options;
    this.apply(options);
  }

  get current(): FaultOptions {
    return this.options;
  }

  /** Replace settings at run time (fields not given fall back to their defaults: no fault). */
  set(input: FaultOptionsInput): void {
    const parsed = FaultOptionsSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Invalid fault option ${issue.path.join('.')}: ${issue.message}`);
    }
    this.apply(parsed.data);
  }

  private apply(options: FaultOptions): void {
    this.options = options;
    this.only = options.only ? new RegExp(options.only) : undefined;
    // `everyRequests` counts the requests these settings match, not those before them (whatever they were).
    this.matched = 0;
    this.burstUntil = 0;
    this.tokens = this.capacity();
    this.refilledAt = Date.now();
    // Data Center has no points-based quota.
    this.quota =
      options.pointsQuota && this.mode === 'cloud' ? new PointsQuota(options.pointsQuota, Date.now()) : undefined;
    this.revokedFrom = this.seen + (options.revokeAfterRequests ?? Number.POSITIVE_INFINITY);
    this.expiredFrom = this.seen + (options.expireAfterRequests ?? Number.POSITIVE_INFINITY);
    this.outageFrom = this.seen + (options.outage?.afterRequests ?? Number.POSITIVE_INFINITY);
    this.downUntil = 0;
  }

  private capacity(): number {
    const rps = this.options.requestsPerSecond;
    return rps === undefined ? 0 : (this.options.burstSize ?? Math.max(1, Math.ceil(rps)));
  }

  decide(path: string, now = Date.now()): FaultDecision {
    const o = this.options;
    const siteWide = this.siteWide(now);
    if (siteWide) return siteWide;
    if (this.only && !this.only.test(path)) return { kind: 'pass', delayMs: 0, slowBodyMs: 0, truncate: false };
    this.matched++;
    const [jitter, errorDraw, statusDraw, resetDraw, slowDraw, truncateDraw] = Array.from({ length: 6 }, () =>
      this.rng.next(),
    );
    const delayMs = o.latencyMs + Math.floor(jitter * (o.latencyJitterMs + 1));
    if (delayMs > 0) this.counters.delayed++;
    const limited = this.burst(now) ?? this.bucket(now);
    if (limited) return { kind: 'reject', delayMs, ...limited };
    const quota = this.quota?.charge(now);
    if (quota?.over) this.counters.overQuota++;
    if (quota?.refused) {
      return { kind: 'reject', delayMs, status: 429, headers: quota.headers };
    }
    if (resetDraw < o.resetRate) {
      this.counters.resets++;
      return { kind: 'reset', delayMs };
    }
    if (errorDraw < o.serverErrorRate) {
      this.counters.serverErrors++;
      const status = SERVER_ERRORS[Math.floor(statusDraw * SERVER_ERRORS.length)];
      return { kind: 'reject', delayMs, status, headers: status === 503 ? { 'retry-after': '1' } : {} };
    }
    const slow = slowDraw < o.slowBodyRate;
    const truncate = truncateDraw < o.truncateRate;
    return { kind: 'pass', delayMs, slowBodyMs: slow ? o.slowBodyMs : 0, truncate, headers: quota?.headers };
  }

  /** The site is down (the proxy answers 503), or the application refuses the revoked or expired credential. */
  private siteWide(now: number): FaultDecision | undefined {
    const request = this.seen++;
    const outage = this.options.outage;
    if (outage && request === this.outageFrom) this.downUntil = now + outage.seconds * 1000;
    if (now < this.downUntil) {
      this.counters.outage503++;
      return { kind: 'down', delayMs: 0 };
    }
    if (request >= this.revokedFrom) {
      this.counters.revoked401++;
      return { kind: 'revoked', delayMs: 0 };
    }
    if (request < this.expiredFrom) return undefined;
    this.counters.expired++;
    return { kind: 'expired', delayMs: 0 };
  }

  /** A search whose CQL the site does not understand (refuseCql). */
  refusesCql(cql: string): boolean {
    const refused = this.options.refuseCql;
    return refused !== undefined && new RegExp(refused).test(cql);
  }

  /** An answer over maxAnswerBytes (on a matching path) that must fail with 500 instead. */
  oversized(path: string, bytes: number): boolean {
    const max = this.options.maxAnswerBytes;
    if (max === undefined || bytes <= max || (this.only && !this.only.test(path))) return false;
    this.counters.serverErrors++;
    return true;
  }

  /** The query a handler sees: without its paging parameters while repeatCursor is on (for a matching path). */
  pagingQuery(path: string, query: URLSearchParams): URLSearchParams {
    if (!this.options.repeatCursor || (this.only && !this.only.test(path))) return query;
    const kept = new URLSearchParams(query);
    kept.delete('cursor');
    kept.delete('start');
    return kept;
  }

  countSlowBody(): void {
    this.counters.slowBodies++;
  }

  countTruncated(): void {
    this.counters.truncated++;
  }

  private burst(now: number): { status: number; headers: Record<string, string> } | undefined {
    const b = this.options.rateLimitBursts;
    if (!b) return undefined;
    if (this.matched % b.everyRequests === 0) this.burstUntil = Math.max(this.burstUntil, now + b.durationMs);
    if (now >= this.burstUntil) return undefined;
    this.counters.burst429++;
    const retryAfter = String(b.retryAfter);
    return {
      status: 429,
      headers: this.limitHeaders(retryAfter, new Date(this.burstUntil), 'confluence-burst-based', 0),
    };
  }

  private bucket(now: number): { status: number; headers: Record<string, string> } | undefined {
    const rps = this.options.requestsPerSecond;
    if (rps === undefined) return undefined;
    this.tokens = Math.min(this.capacity(), this.tokens + ((now - this.refilledAt) / 1000) * rps);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    this.counters.rps429++;
    const waitMs = ((1 - this.tokens) / rps) * 1000;
    const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
    return {
      status: 429,
      headers: this.limitHeaders(
        retryAfter,
        new Date(now + waitMs),
        'confluence-quota-tenant-based',
        Math.floor(this.tokens),
      ),
    };
  }

  /** Cloud and Data Center announce limits with different header sets. */
  private limitHeaders(retryAfter: string, reset: Date, reason: string, remaining: number): Record<string, string> {
    const limit = String(this.capacity() || 1);
    if (this.mode === 'dc') {
      return {
        'retry-after': retryAfter,
        'x-ratelimit-limit': limit,
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-interval-seconds': '1',
        'x-ratelimit-fillrate': String(this.options.requestsPerSecond ?? 1),
      };
    }
    return {
      'retry-after': retryAfter,
      'x-ratelimit-limit': limit,
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': reset.toISOString(),
      'x-ratelimit-nearlimit': 'true',
      'ratelimit-reason': reason,
    };
  }
}
