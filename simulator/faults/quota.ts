// Confluence Cloud's points-based quota: a fixed window (an hour on Cloud) of points, one point a request here (Cloud
// adds points per object returned). Every answer reports it as Atlassian does: the policy (q, w) while there is some
// left, the remaining points (r) only under 20% of the quota, the seconds to the reset (t) always. In beta the
// headers carry the Beta- prefix and an exhausted quota is only reported (Beta-Retry-After); enforced, it is refused
// with 429 and RateLimit-Reason.

export interface QuotaSettings {
  points: number;
  windowSeconds: number;
  beta: boolean;
}

export const QUOTA_POLICY = 'global-app-quota';
const NEAR_LIMIT = 0.2;

/** `over`: the request found the quota used up (refused when enforced, only reported in beta). */
export type QuotaDecision = { over: boolean; refused: boolean; headers: Record<string, string> };

export class PointsQuota {
  private windowStart: number;
  private used = 0;

  constructor(
    private readonly settings: QuotaSettings,
    now: number,
  ) {
    this.windowStart = now;
  }

  /** Charges one request's point, unless the quota is enforced and used up. */
  charge(now: number): QuotaDecision {
    const { points, windowSeconds, beta } = this.settings;
    const windowMs = windowSeconds * 1000;
    if (now >= this.windowStart + windowMs) {
      this.windowStart += Math.floor((now - this.windowStart) / windowMs) * windowMs;
      this.used = 0;
    }
    const exhausted = this.used >= points;
    const refused = exhausted && !beta;
    if (!refused) this.used++;
    const remaining = Math.max(0, points - this.used);
    const resetAt = this.windowStart + windowMs;
    const t = Math.max(1, Math.ceil((resetAt - now) / 1000));
    const prefix = beta ? 'beta-' : '';
    const headers: Record<string, string> = {
      [`${prefix}ratelimit`]: `"${QUOTA_POLICY}";${remaining < points * NEAR_LIMIT ? `r=${remaining};` : ''}t=${t}`,
    };
    if (!exhausted) headers[`${prefix}ratelimit-policy`] = `"${QUOTA_POLICY}";q=${points};w=${windowSeconds}`;
    if (remaining < points * NEAR_LIMIT)
      headers[beta ? 'x-beta-ratelimit-nearlimit' : 'x-ratelimit-nearlimit'] = 'true';
    if (!exhausted) return { over: false, refused, headers };
    const reset = new Date(resetAt).toISOString();
    const reason = 'confluence-quota-global-based';
    if (beta) {
      return {
        over: true,
        refused,
        headers: {
          ...headers,
          'beta-retry-after': String(t),
          'x-beta-ratelimit-reason': reason,
          'x-beta-ratelimit-reset': reset,
        },
      };
    }
    return {
      over: true,
      refused,
      headers: {
        ...headers,
        'retry-after': String(t),
        'ratelimit-reason': reason,
        'x-ratelimit-limit': String(points),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': reset,
      },
    };
  }
}
