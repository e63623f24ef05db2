// One keep-alive connection pool and one adaptive limiter per site, shared by every client of the process
// (activities create clients freely; the site sees one well-behaved caller).
import { Agent } from 'undici';
import type { RateBudget } from './clusterBudget';
import type { SlotBudget } from './clusterSlots';
import { AdaptiveLimiter } from './limiter';

export interface PoolOptions {
  maxConcurrency: number;
  /** Per worker process: each process that talks to the site keeps to it. */
  maxRequestsPerSecond?: number;
  /** The site's budget across the cluster's workers (absent: this process's own limits only). */
  budget?: RateBudget;
  /** The site's requests in flight across the cluster's workers (absent: maxConcurrency holds per process). */
  slots?: SlotBudget;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

export const DEFAULT_POOL: PoolOptions = {
  maxConcurrency: 8,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 60_000,
  bodyTimeoutMs: 60_000,
};

export interface SitePool {
  agent: Agent;
  limiter: AdaptiveLimiter;
}

const pools = new Map<string, SitePool>();

/** The pool of a site (keyed by its API base); options apply when the site is first seen. */
export function sitePool(key: string, options: PoolOptions): SitePool {
  let pool = pools.get(key);
  if (!pool) {
    pool = {
      agent: new Agent({
        connections: options.maxConcurrency * 2,
        keepAliveTimeout: 30_000,
        connect: { timeout: options.connectTimeoutMs },
        headersTimeout: options.headersTimeoutMs,
        bodyTimeout: options.bodyTimeoutMs,
      }),
      limiter: new AdaptiveLimiter({
        maxConcurrency: options.maxConcurrency,
        maxRequestsPerSecond: options.maxRequestsPerSecond,
        budget: options.budget,
        slots: options.slots,
      }),
    };
    pools.set(key, pool);
  }
  return pool;
}

/** Closes every site's connections (worker shutdown, end of a test file). */
export async function closeConfluencePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.agent.close()));
}
