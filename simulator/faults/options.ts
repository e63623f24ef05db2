// Fault injection settings: set at start, changeable at run time (RunningSimulator.setFaults).
import { z } from 'zod';

const rate = z.number().min(0).max(1).default(0);

export const FaultOptionsSchema = z.object({
  /** Added to every response. */
  latencyMs: z.number().int().min(0).default(0),
  /** Seeded extra latency in [0, latencyJitterMs]. */
  latencyJitterMs: z.number().int().min(0).default(0),
  /** Every `everyRequests` requests a burst starts: for `durationMs` every request answers 429 with Retry-After. */
  rateLimitBursts: z
    .object({
      everyRequests: z.number().int().min(1),
      durationMs: z.number().int().min(1).default(1000),
      /** Seconds, or a literal header value (an HTTP date, or Data Center's 9223372036854775807 for blocked users). */
      retryAfter: z.union([z.number().int().min(0), z.string().min(1)]).default(1),
    })
    .optional(),
  /** Token bucket: sustained requests per second; 429 with Retry-After when empty. */
  requestsPerSecond: z.number().positive().optional(),
  /** Bucket capacity (defaults to one second's worth). */
  burstSize: z.number().int().min(1).optional(),
  /**
   * Cloud's points-based quota: `points` per fixed window of `windowSeconds`, one a request, reported on every answer
   * (see quota.ts). `beta`: reported with Beta- headers and never refused, as before enforcement.
   */
  pointsQuota: z
    .object({
      points: z.number().int().min(1),
      windowSeconds: z.number().positive(),
      beta: z.boolean().default(false),
    })
    .optional(),
  /** Share of requests answered 500/502/503/504. */
  serverErrorRate: rate,
  /** Share of requests whose connection is destroyed before any response. */
  resetRate: rate,
  /** Share of responses whose body trickles out over slowBodyMs. */
  slowBodyRate: rate,
  slowBodyMs: z.number().int().min(1).default(500),
  /** Share of JSON responses cut in half (with a matching Content-Length: valid HTTP, invalid JSON). */
  truncateRate: rate,
  /**
   * JSON answers larger than this many bytes fail with 500 instead, as Confluence does on very large expanded answers.
   */
  maxAnswerBytes: z.number().int().min(1).optional(),
  /**
   * Listings answer their first page whatever `cursor` or `start` they are asked for, as a server (or a caching proxy)
   * that ignores them does: a Cloud cursor comes back as its own next cursor, a Data Center offset as start 0.
   */
  repeatCursor: z.boolean().default(false),
  /**
   * The API token (or password, PAT, OAuth token) is revoked after this many more requests, counted from when the
   * option is set: from then on every request answers 401, as Confluence answers a revoked credential.
   */
  revokeAfterRequests: z.number().int().min(0).optional(),
  /**
   * The credential expires after this many more requests, counted from when the option is set, and is refused as
   * Confluence refuses an expired one: an OAuth token (the gateway) with 404 on v2 and 403 on v1 (user/current
   * included), an API token, password or PAT with 401.
   */
  expireAfterRequests: z.number().int().min(0).optional(),
  /**
   * Regular expression on the CQL of a search: a matching one answers 400, as a Data Center version or a proxy that
   * does not know a field of it does (e.g. `type = comment` for the comment search of --include-comments).
   */
  refuseCql: z.string().optional(),
  /**
   * The site goes down after `afterRequests` more requests (counted from when set) for `seconds`: every request
   * answers 503 without Retry-After, as the proxy in front of a Cloud site or a Data Center cluster does while the
   * application is away (the proxy keeps accepting connections, so they are not refused).
   */
  outage: z
    .object({
      afterRequests: z.number().int().min(0).default(0),
      seconds: z.number().positive(),
    })
    .optional(),
  /**
   * Regular expression on the path below the site base; faults apply only to matching requests (default: all). A
   * revoked credential and an outage concern every request.
   */
  only: z
    .string()
    .refine((s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    }, 'only must be a valid regular expression')
    .optional(),
});

export type FaultOptionsInput = z.input<typeof FaultOptionsSchema>;
export type FaultOptions = z.output<typeof FaultOptionsSchema>;
