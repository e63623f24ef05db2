// What activities need from the worker process: injected once at worker start, never passed through history.
import { setMaxListeners } from 'node:events';
import { Context } from '@temporalio/activity';
import type { Site } from '../config';
import { isPostgresUrl } from '../../checkpoint';
import { createConfluenceClient, type ConfluenceClient } from '../../connectors/confluence/client/client';
import { ClusterBudget } from '../../connectors/confluence/client/clusterBudget';
import { ClusterSlots } from '../../connectors/confluence/client/clusterSlots';
import { DEFAULT_POOL, type PoolOptions } from '../../connectors/confluence/client/pool';
import type { PgDatabases } from '../../core/pgDatabases';
import type { CredentialLookups } from '../credentials';
import type { WorkerHost } from './handoff';

/**
 * `secretsFor(site)` and `apiKeyFor(url)`: the worker's own credentials (flags, env or secrets file), found by the URL
 * of the site or endpoint a job names (see ../credentials.ts, WorkerCredentials).
 */
export interface ActivityDeps extends CredentialLookups {
  /**
   * Threads that partition pages (see partitionThreads.ts); the default leaves a core each to the worker's own threads.
   */
  partitionThreads?: number;
  /** This worker: its id, its own task queue and its scratch space. */
  host: WorkerHost;
  /**
   * A PostgreSQL checkpoint all workers share; absent: a SQLite file beside each output (one host). Holds a password.
   */
  checkpointUrl?: string;
  /** The database of the jobs' PostgreSQL destinations (they name it without the password). Holds a password. */
  databaseUrl?: string;
  /** The cluster of the jobs' OpenSearch destinations, with its user and password when it has security. */
  opensearchUrl?: string;
}

/**
 * Listeners one activity's signal may have without Node's leak warning: each of its requests and waits listens to it,
 * and a busy activity (a listing batch's permission check, a page's reads while the site is down) has more than
 * Node's default of 10 at once; a warning on stderr would also break the CLI's one-line output.
 */
const ACTIVITY_SIGNAL_LISTENERS = 1000;

/** The cancellation signal of the activity this code runs in (Temporal keeps the context per async chain). */
export function currentActivitySignal(): AbortSignal | undefined {
  try {
    const signal = Context.current().cancellationSignal;
    setMaxListeners(ACTIVITY_SIGNAL_LISTENERS, signal);
    return signal;
  } catch {
    return undefined; // not inside an activity
  }
}

/**
 * One client (and so one keep-alive pool and rate limiter) per site and identity, shared by all activities of the
 * worker. With a PostgreSQL checkpoint the site's --max-requests-per-second and --max-concurrency are kept by all
 * workers together.
 */
export function clientCache(
  deps: Pick<ActivityDeps, 'secretsFor' | 'checkpointUrl'>,
  databases?: PgDatabases,
): (site: Site) => ConfluenceClient {
  const clients = new Map<string, ConfluenceClient>();
  return (site) => {
    const key = JSON.stringify([site.url, site.auth, site.username ?? '', site.cloudId ?? '']);
    let client = clients.get(key);
    if (!client) {
      client = createConfluenceClient(site, deps.secretsFor(site), {
        signal: currentActivitySignal,
        pool: clusterLimits(site, deps.checkpointUrl, databases),
      });
      clients.set(key, client);
    }
    return client;
  };
}

function clusterLimits(site: Site, checkpointUrl?: string, databases?: PgDatabases): Partial<PoolOptions> {
  if (!checkpointUrl || !databases || !isPostgresUrl(checkpointUrl)) return {};
  const { pool } = databases.database(checkpointUrl, 'checkpoint');
  const key = new URL(site.url).href;
  return {
    budget: site.maxRequestsPerSecond ? new ClusterBudget(pool, key, site.maxRequestsPerSecond) : undefined,
    slots: new ClusterSlots(pool, key, site.maxConcurrency ?? DEFAULT_POOL.maxConcurrency),
  };
}
