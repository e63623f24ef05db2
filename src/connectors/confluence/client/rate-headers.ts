// Reading Confluence's rate-limit signals: X-RateLimit-* (Cloud and Data Center) and the quota headers of
// rate-policy.ts. Retry-After is read by core/retryAfter.
import { ABSURD_WAIT_MS } from '../../../core/retryAfter';
import { type Budget, type HeaderBag, readBudgets } from './rate-policy';

export type { HeaderBag };

export interface RateLimitState {
  remaining?: number;
  /** Cloud: X-RateLimit-NearLimit (under 20% of the quota left). */
  nearLimit: boolean;
  /** When the quota refills enough for one more call, in ms from now. */
  refillMs?: number;
  /** Sustained requests per second the server allows (Data Center: FillRate per Interval-Seconds). */
  ratePerSecond?: number;
  /** The quotas the answer reports (points-based limits and IETF RateLimit headers). */
  budgets: Budget[];
  /** Which limit refused the request (RateLimit-Reason, or its beta twin), e.g. confluence-quota-global-based. */
  reason?: string;
}

export function header(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function readRateLimit(headers: HeaderBag, now = Date.now()): RateLimitState {
  const remaining = finite(header(headers, 'x-ratelimit-remaining'));
  const interval = finite(header(headers, 'x-ratelimit-interval-seconds'));
  const fillRate = finite(header(headers, 'x-ratelimit-fillrate'));
  return {
    remaining,
    nearLimit: header(headers, 'x-ratelimit-nearlimit')?.toLowerCase() === 'true',
    refillMs: remaining === 0 ? refillMs(headers, now) : undefined,
    ratePerSecond: interval && fillRate ? fillRate / interval : undefined,
    budgets: readBudgets(headers, now),
    reason: header(headers, 'ratelimit-reason') ?? header(headers, 'x-beta-ratelimit-reason'),
  };
}

function refillMs(headers: HeaderBag, now: number): number | undefined {
  const reset = header(headers, 'x-ratelimit-reset');
  const resetAt = reset ? Date.parse(reset) : NaN;
  if (!Number.isNaN(resetAt)) return clampWait(resetAt - now);
  // Data Center token bucket: FillRate tokens every Interval-Seconds.
  const interval = finite(header(headers, 'x-ratelimit-interval-seconds'));
  const fillRate = finite(header(headers, 'x-ratelimit-fillrate'));
  if (interval !== undefined && fillRate) return clampWait((interval * 1000) / fillRate);
  return undefined;
}

function clampWait(ms: number): number | undefined {
  return ms > 0 && ms <= ABSURD_WAIT_MS ? Math.ceil(ms) : undefined;
}

function finite(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
