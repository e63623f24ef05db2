// Versioned schema migrations for the PostgreSQL checkpoint. A table records which versions are applied; each
// pending one runs once, in its own transaction. Workers opening the store at the same moment serialize on a
// PostgreSQL advisory lock taken inside that transaction, so exactly one of them applies each migration and the
// others find it done.
import type pg from 'pg';
import { StoreError } from '../core/storeError';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Key of the advisory lock taken while migrating (any fixed int8; advisory locks are per database). */
const MIGRATION_LOCK_KEY = '7316081547250219901';

// Text keys use the "C" collation: byte order, as SQLite compares, and what ORDER BY page_id means in both stores.
export const CHECKPOINT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'pages, generations and per-generation seen marks',
    sql: `
      CREATE TABLE checkpoint_pages (
        scope text COLLATE "C" NOT NULL,
        site text COLLATE "C" NOT NULL,
        page_id text COLLATE "C" NOT NULL,
        version bigint NOT NULL,
        space_key text COLLATE "C" NOT NULL,
        title text NOT NULL,
        output_paths text[] NOT NULL,
        digest text NOT NULL,
        committed_at text NOT NULL,
        run_id text NOT NULL,
        PRIMARY KEY (scope, site, page_id)
      );
      CREATE INDEX checkpoint_pages_by_space ON checkpoint_pages (scope, site, space_key, page_id);
      CREATE TABLE checkpoint_generations (
        scope text COLLATE "C" NOT NULL,
        site text COLLATE "C" NOT NULL,
        generation text COLLATE "C" NOT NULL,
        started_at timestamptz NOT NULL,
        touched_at timestamptz NOT NULL,
        pruned_at timestamptz,
        PRIMARY KEY (scope, site, generation)
      );
      CREATE INDEX checkpoint_generations_idle ON checkpoint_generations (touched_at) WHERE pruned_at IS NULL;
      -- Kept apart from pages: a page is seen when listed, which may be before its first commit.
      CREATE TABLE checkpoint_seen (
        scope text COLLATE "C" NOT NULL,
        site text COLLATE "C" NOT NULL,
        generation text COLLATE "C" NOT NULL,
        page_id text COLLATE "C" NOT NULL,
        PRIMARY KEY (scope, site, generation, page_id)
      );
      CREATE INDEX checkpoint_seen_by_page ON checkpoint_seen (scope, site, page_id, generation);
    `,
  },
  {
    version: 2,
    name: 'content version: a digest of labels and comments beside the page version',
    sql: `ALTER TABLE checkpoint_pages ADD COLUMN content_version text NOT NULL DEFAULT ''`,
  },
  {
    version: 3,
    name: 'permissions version: what the permissions written rest on, checked on every run',
    sql: `ALTER TABLE checkpoint_pages ADD COLUMN permissions_version text NOT NULL DEFAULT ''`,
  },
];

export interface MigrateOptions {
  /** The table recording applied versions (tests use their own). */
  table?: string;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The last applied version; `table` is a quoted identifier. */
async function appliedVersion(client: pg.ClientBase, table: string): Promise<number> {
  const exists = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
  if (!exists.rows[0].present) return 0;
  const { rows } = await client.query<{ v: number }>(`SELECT coalesce(max(version), 0)::int AS v FROM ${table}`);
  return rows[0].v;
}

function refuseNewer(found: number, latest: number): void {
  if (found > latest) {
    throw new StoreError(
      'checkpoint',
      `the checkpoint database has schema version ${found}, newer than this durable-ingest supports (${latest}); ` +
        'upgrade durable-ingest on this worker, or point it at another database',
    );
  }
}

/** Runs `work` in a transaction holding the migration lock (released by COMMIT or ROLLBACK, so no session state is
 * left behind: this also works through PgBouncer's transaction pooling). */
async function locked<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Brings the database to the last of `migrations` (ascending versions from 1) and returns how many this call
 * applied. Each migration runs in a transaction of its own that holds the lock and checks again that it is still
 * pending, so concurrent callers apply it exactly once between them. Opening an up-to-date database reads one row
 * and takes no lock, so it needs no CREATE privilege.
 */
export async function migrate(
  client: pg.ClientBase,
  migrations: readonly Migration[],
  options: MigrateOptions = {},
): Promise<number> {
  const table = quoteIdent(options.table ?? 'checkpoint_migrations');
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const before = await appliedVersion(client, table);
  refuseNewer(before, latest);
  if (before === latest) return 0;

  await locked(client, () =>
    client.query(`CREATE TABLE IF NOT EXISTS ${table} (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`),
  );
  let applied = 0;
  for (const migration of migrations) {
    const ran = await locked(client, async () => {
      const current = await appliedVersion(client, table);
      refuseNewer(current, latest);
      if (current >= migration.version) return false; // done earlier, or by another worker while this one waited
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${table} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      return true;
    });
    if (ran) applied++;
  }
  return applied;
}
