// One door per PostgreSQL database: a worker's checkpoint and destination table on the same database share one pool
// (and so can share a transaction) instead of each opening its own. Keyed by URL; the worker closes it when it stops.
import pg from 'pg';
import { type PostgresTarget, postgresTarget } from './postgresErrors';
import type { StoreRole } from './storeError';

const CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_CONNECTIONS = 10;

export interface PgDatabase {
  readonly pool: pg.Pool;
  /** Where it is, without the password. */
  readonly target: PostgresTarget;
}

/**
 * A transaction one store holds open and another on the same database joins (a destination's, for the checkpoint to
 * record a page in: the page and its record then land together or not at all).
 */
export interface SharedTransaction {
  readonly database: PgDatabase;
  readonly client: pg.ClientBase;
}

/** Restores, for one transaction, the durability the URL or server chose: pools commit without waiting for the WAL. */
export const DURABLE_TRANSACTION = 'SET LOCAL synchronous_commit TO DEFAULT';

function choosesDurability(url: string): boolean {
  try {
    return /synchronous_commit/i.test(decodeURIComponent(url));
  } catch {
    return /synchronous_commit/i.test(url);
  }
}

function newPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'durable-ingest',
    // Like SQLite's synchronous=NORMAL: a commit does not wait for its WAL flush. A server crash may lose the last
    // fraction of a second of checkpoint commits, which only means re-ingesting those pages; a destination's
    // transactions restore the server's setting (DURABLE_TRANSACTION). Set per connection rather than as a startup
    // option, which PgBouncer refuses; a URL that sets synchronous_commit itself (options=-c ...) wins.
    onConnect: choosesDurability(url)
      ? undefined
      : async (client) => void (await client.query('SET synchronous_commit TO off')),
  });
  // An idle connection the server closed is dropped by the pool; the next query opens another.
  pool.on('error', () => undefined);
  return pool;
}

export class PgDatabases {
  private readonly open = new Map<string, PgDatabase>();

  /** `maxConnections`: of each database's pool; each statement holds one briefly, a transaction for its length. */
  constructor(private readonly maxConnections = DEFAULT_MAX_CONNECTIONS) {}

  /** The database at `url`, opened on first use; `role` words the error of a URL that cannot be read. */
  database(url: string, role: StoreRole): PgDatabase {
    let found = this.open.get(url);
    if (!found) {
      found = { target: postgresTarget(url, role), pool: newPool(url, this.maxConnections) };
      this.open.set(url, found);
    }
    return found;
  }

  async close(): Promise<void> {
    const pools = [...this.open.values()].map((database) => database.pool);
    this.open.clear();
    await Promise.all(pools.filter((pool) => !pool.ended).map((pool) => pool.end()));
  }
}

/** True when `transaction` is on `database`: the same server and database, whatever the URL's other settings. */
export function isOn(transaction: SharedTransaction, database: PgDatabase): boolean {
  return transaction.database.target.display === database.target.display;
}
