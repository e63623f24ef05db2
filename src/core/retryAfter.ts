// Retry-After (RFC 9110): delay-seconds or an HTTP date, and a guard for waits too long to be waits.

/** Longer than this is not a wait but a block (Data Center sends Long.MAX_VALUE seconds to blocked users). */
export const ABSURD_WAIT_MS = 24 * 60 * 60 * 1000;

export type RetryAfter = { kind: 'wait'; ms: number; raw: string } | { kind: 'absurd'; raw: string };

/**
 * The header's wait in ms from `now` (a past date waits 0), 'absurd' past a day, undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): RetryAfter | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return fromMs(Number(raw) * 1000, raw);
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return fromMs(Math.max(0, at - now), raw);
}

function fromMs(ms: number, raw: string): RetryAfter {
  return ms > ABSURD_WAIT_MS ? { kind: 'absurd', raw } : { kind: 'wait', ms: Math.ceil(ms), raw };
}
