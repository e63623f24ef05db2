// Per-site adaptive concurrency (AIMD): every request of a site goes through one limiter, so a 429 seen by one
// activity slows all of them. Halve on 429 and pause for the server's wait; grow back by one slot per run of
// successes, so recovery is slow and a burst of retries does not trip the limit again. When the server states its
// sustained rate (Data Center's token bucket headers), request starts are also spaced to that rate; when a quota it
// reports (points per window) runs low, starts are spaced so what is left lasts until the quota resets, instead of
// spending it at full speed and waiting out the 429s that follow. A site that looks
// down (as many failures in a row as it has slots: 5xx or no answer) is probed, one request per growing pause, until
// one succeeds, instead of being asked again by every request under way.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RateBudget } from './clusterBudget';
import type { SlotBudget } from './clusterSlots';

/**
 * Under this share of a quota left, its remainder is paced. Atlassian reports what is left only under about 20%, and
 * by then as many requests as there are slots may already be on their way.
 */
export const PACE_BELOW = 0.5;

/** A quota's state as the server last reported it. */
export interface QuotaReport {
  policy: string;
  limit?: number;
  /** Absent: well within the quota. */
  remaining?: number;
  resetMs?: number;
}

export interface LimiterOptions {
  maxConcurrency: number;
  /** A ceiling the operator sets (--max-requests-per-second): starts are spaced to it whatever the server says. */
  maxRequestsPerSecond?: number;
  /** The site's budget shared with other worker processes (a cluster's); every start takes from it too. */
  budget?: RateBudget;
  /** The site's slots shared with other worker processes: every request holds one of them too while in flight. */
  slots?: SlotBudget;
  /** Consecutive successes needed to add one slot back. */
  recoverAfter?: number;
  /** The first pause between probes of a site that looks down; it doubles up to maxProbePauseMs. */
  probePauseMs?: number;
  maxProbePauseMs?: number;
  now?: () => number;
}

export class AdaptiveLimiter {
  private limit: number;
  private inFlight = 0;
  private successes = 0;
  private pausedUntil = 0;
  /** Minimum gap between request starts once the server announced its sustained rate (0: none known). */
  private spacingMs = 0;
  /** The spacing the operator's ceiling imposes; a server-announced rate may only slow requests further. */
  private readonly minSpacingMs: number;
  private lastStartAt = Number.NEGATIVE_INFINITY;
  /** Per quota running low: the spacing that makes its remainder last, and until when (its reset). */
  private readonly quotaSpacing = new Map<string, { ms: number; until: number }>();
  private readonly waiters = new Set<() => void>();
  /** Server errors and network failures since the last success. */
  private failuresInARow = 0;
  private readonly probePause: { first: number; max: number };
  private readonly max: number;
  private readonly recoverAfter: number;
  private readonly now: () => number;
  private readonly budget?: RateBudget;
  private readonly slots?: SlotBudget;

  constructor(options: LimiterOptions) {
    if (!Number.isInteger(options.maxConcurrency) || options.maxConcurrency < 1) {
      throw new RangeError(`maxConcurrency must be a positive integer, got ${options.maxConcurrency}`);
    }
    this.max = options.maxConcurrency;
    this.limit = this.max;
    this.recoverAfter = options.recoverAfter ?? 20;
    this.probePause = { first: options.probePauseMs ?? 1000, max: options.maxProbePauseMs ?? 8000 };
    this.now = options.now ?? Date.now;
    this.minSpacingMs = options.maxRequestsPerSecond ? 1000 / options.maxRequestsPerSecond : 0;
    this.spacingMs = this.minSpacingMs;
    this.budget = options.budget;
    this.slots = options.slots;
  }

  get concurrency(): number {
    return this.limit;
  }

  /** Waits for a slot (and for any pause to end); returns the release function. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      signal?.throwIfAborted();
      const pause = this.pausedUntil - this.now();
      if (pause > 0) {
        await sleep(pause, undefined, { signal });
        continue;
      }
      if (this.inFlight < (this.looksDown() ? 1 : this.limit)) {
        this.inFlight++;
        return this.started(this.releaser(), signal);
      }
      await this.slotFreed(signal);
    }
  }

  /**
   * With this process's slot taken: the cluster's slot, then the start's turn (in that order, so a start whose turn
   * came goes at once rather than bunch with others behind a slot). Returns the release of both slots.
   */
  private async started(releaseOwn: () => void, signal?: AbortSignal): Promise<() => void> {
    let releaseShared: (() => void) | undefined;
    try {
      releaseShared = await this.slots?.acquire(signal);
      await this.paced(signal);
    } catch (err) {
      releaseShared?.();
      releaseOwn();
      throw err;
    }
    return () => {
      releaseShared?.();
      releaseOwn();
    };
  }

  onSuccess(): void {
    if (this.looksDown()) this.wakeAll();
    this.failuresInARow = 0;
    if (++this.successes < this.recoverAfter) return;
    this.successes = 0;
    if (this.limit < this.max) {
      this.limit++;
      this.wakeAll();
    }
  }

  /** The server said "too many": halve concurrency and hold every request of the site for waitMs. */
  onRateLimited(waitMs: number): void {
    // Requests already in flight when the limit hit answer 429 too: one event, halve once.
    if (this.pauseRemaining() === 0) this.limit = Math.max(1, Math.floor(this.limit / 2));
    this.successes = 0;
    this.pauseFor(waitMs);
  }

  /**
   * A 5xx or no answer. Once the failures in a row outnumber the slots, every request under way has failed: the site
   * looks down, so it gets one request at a time, after a pause that doubles with each further failure, until a
   * success.
   */
  onServerError(): void {
    const beyond = ++this.failuresInARow - this.max;
    if (beyond > 0) this.pauseFor(Math.min(this.probePause.max, this.probePause.first * 2 ** (beyond - 1)));
  }

  private looksDown(): boolean {
    return this.failuresInARow > this.max;
  }

  /** The quota is nearly used up: shed one slot before the server starts refusing. */
  onNearLimit(): void {
    this.limit = Math.max(1, this.limit - 1);
    this.successes = 0;
  }

  /** How long every request of the site is still held, in ms (0 when not paused). */
  pauseRemaining(): number {
    return Math.max(0, this.pausedUntil - this.now());
  }

  /** The server announced its sustained rate (Data Center token bucket): start requests no faster than that. */
  setRate(perSecond: number): void {
    if (perSecond > 0 && Number.isFinite(perSecond)) this.spacingMs = Math.max(this.minSpacingMs, 1000 / perSecond);
  }

  /**
   * A quota the server reported. Exhausted: hold the site until it resets. Running low: space starts so that what is
   * left, less what the requests already under way will spend, lasts until the reset.
   */
  onQuota(report: QuotaReport): void {
    const { policy, limit, remaining, resetMs } = report;
    if (remaining === undefined || resetMs === undefined || (limit !== undefined && remaining >= limit * PACE_BELOW)) {
      this.quotaSpacing.delete(policy);
      return;
    }
    if (remaining === 0) {
      this.pauseFor(resetMs);
      return;
    }
    const left = Math.max(1, remaining - (this.inFlight - 1));
    this.quotaSpacing.set(policy, { ms: resetMs / left, until: this.now() + resetMs });
  }

  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /**
   * Spacing is measured from the last start that really happened, checked again on every wake: when the event loop
   * stalls (a long partition on the same thread), the waiters whose times passed meanwhile go one spacing apart
   * instead of all at once into the server's bucket.
   */
  private async paced(signal?: AbortSignal): Promise<void> {
    for (let wait = this.lastStartAt + this.spacing() - this.now(); wait > 0; ) {
      await sleep(wait, undefined, { signal });
      wait = this.lastStartAt + this.spacing() - this.now();
    }
    // Claimed before the cluster's budget is asked, so the other waiters see this start and keep their distance.
    this.lastStartAt = this.now();
    if (!this.budget) return;
    await this.budget.take(signal);
    this.lastStartAt = this.now();
  }

  private spacing(): number {
    let ms = this.spacingMs;
    const now = this.now();
    for (const [policy, quota] of this.quotaSpacing) {
      if (quota.until <= now) this.quotaSpacing.delete(policy);
      else ms = Math.max(ms, quota.ms);
    }
    return ms;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.wakeAll();
    };
  }

  private wakeAll(): void {
    const woken = [...this.waiters];
    this.waiters.clear();
    for (const wake of woken) wake();
  }

  private slotFreed(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiters.delete(wake);
        reject(signal?.reason);
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
