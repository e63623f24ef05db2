// The checkpoint in PostgreSQL, for workers on several machines: the same semantics as the SQLite store (sqlite.ts),
// one database shared by every worker. The schema is created and upgraded by versioned migrations when the store
// opens (pgMigrations.ts); errors become one line naming the problem and the fix, never the password
// (core/postgresErrors.ts). Its pool is the worker's for that database (core/pgDatabases.ts), shared with a destination.
import type pg from 'pg';
import { isOn, type PgDatabase, PgDatabases, type SharedTransaction } from '../core/pgDatabases';
import { inTransaction } from '../core/pgTransaction';
import {
  DEFAULT_SEEN_RETENTION_MS,
  PRUNED_GENERATIONS_KEPT_MS,
  type CheckpointOptions,
  type CheckpointStore,
  type Classification,
  type MissingRecord,
} from './store';
import {
  CommitSchema,
  IdsSchema,
  LimitSchema,
  NameSchema,
  VersionRefsSchema,
  byId,
  classifyRefs,
  parseOrThrow,
  PermissionsUpdateSchema,
  foreignTransaction,
  prunedGenerationError,
  unique,
  type CheckpointRecord,
  type CommitInput,
  type PermissionsUpdate,
  type SpaceCount,
  type VersionRef,
} from './records';
import { explainPostgresError, type PostgresTarget } from '../core/postgresErrors';
import { StoreError } from '../core/storeError';
import { CHECKPOINT_MIGRATIONS, migrate } from './pgMigrations';

// Deadlocks and serialization failures are resolved by running the transaction again.
const RETRY_CODES = new Set(['40P01', '40001']);
const TRANSACTION_ATTEMPTS = 4;

interface PageRow {
  site: string;
  page_id: string;
  version: string; // bigint arrives as text
  content_version: string;
  permissions_version: string;
  space_key: string;
  title: string;
  output_paths: string[];
  digest: string;
  committed_at: string;
  run_id: string;
}

const SQL = {
  // A stale commit (an older version finishing after a newer one) must not roll the record back.
  commit: `INSERT INTO checkpoint_pages (scope, site, page_id, version, space_key, title, output_paths, digest, committed_at, run_id, content_version, permissions_version)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
    ON CONFLICT (scope, site, page_id) DO UPDATE SET version = excluded.version, content_version = excluded.content_version,
      permissions_version = excluded.permissions_version, space_key = excluded.space_key,
      title = excluded.title, output_paths = excluded.output_paths, digest = excluded.digest,
      committed_at = excluded.committed_at, run_id = excluded.run_id
    WHERE excluded.version >= checkpoint_pages.version`,
  // Ids travel as one array parameter, so a batch of any size is one statement with three parameters.
  versions: `SELECT page_id AS id, version, content_version FROM checkpoint_pages WHERE scope = $1 AND site = $2 AND page_id = ANY($3::text[])`,
  startGeneration: `INSERT INTO checkpoint_generations (scope, site, generation, started_at, touched_at)
    VALUES ($1, $2, $3, $4, $4) ON CONFLICT DO NOTHING`,
  // No row: the generation was pruned (or never started).
  touchGeneration: `UPDATE checkpoint_generations SET touched_at = $4
    WHERE scope = $1 AND site = $2 AND generation = $3 AND pruned_at IS NULL RETURNING started_at`,
  generationExists: `SELECT 1 FROM checkpoint_generations WHERE scope = $1 AND site = $2 AND generation = $3`,
  // Ids arrive sorted, so concurrent markers of overlapping batches take row locks in one order.
  markSeen: `INSERT INTO checkpoint_seen (scope, site, generation, page_id)
    SELECT $1, $2, $3, id FROM unnest($4::text[]) AS u(id) ON CONFLICT DO NOTHING`,
  // Every destination's and site's idle generations: one that is never ingested again must not keep its marks forever.
  pruneSeen: `DELETE FROM checkpoint_seen AS s USING checkpoint_generations AS g
    WHERE g.pruned_at IS NULL AND g.touched_at < $1
      AND s.scope = g.scope AND s.site = g.site AND s.generation = g.generation`,
  pruneGenerations: `UPDATE checkpoint_generations SET pruned_at = $2 WHERE pruned_at IS NULL AND touched_at < $1`,
  forgetGenerations: `DELETE FROM checkpoint_generations WHERE pruned_at IS NOT NULL AND pruned_at < $1`,
  // committed_at is kept as the text the caller gave (get() returns it unchanged) and compared as an instant.
  // The mark is looked up per page through a LATERAL ... LIMIT 1, which the planner cannot turn into a join: right
  // after a first big run, before autovacuum has analyzed the tables, a NOT EXISTS was planned as a nested loop over
  // every mark of the site (minutes for 26,000 pages); this is one index probe per page whatever the statistics.
  missing: `SELECT p.page_id AS id, p.title, p.version, p.output_paths FROM checkpoint_pages AS p
    LEFT JOIN LATERAL (SELECT true AS seen FROM checkpoint_seen AS s
      WHERE s.scope = p.scope AND s.site = p.site AND s.generation = $4 AND s.page_id = p.page_id LIMIT 1) AS mark ON true
    WHERE p.scope = $1 AND p.site = $2 AND p.space_key = $3 AND mark.seen IS NULL
      AND ($5::timestamptz IS NULL OR p.committed_at::timestamptz <= $5::timestamptz)
    ORDER BY p.page_id LIMIT $6`,
  removePages: `DELETE FROM checkpoint_pages WHERE scope = $1 AND site = $2 AND page_id = ANY($3::text[])
    RETURNING page_id, output_paths`,
  removeSeen: `DELETE FROM checkpoint_seen WHERE scope = $1 AND site = $2 AND page_id = ANY($3::text[])`,
  recordPermissions: `UPDATE checkpoint_pages SET permissions_version = $5
    WHERE scope = $1 AND site = $2 AND page_id = $3 AND version = $4`,
  records: `SELECT * FROM checkpoint_pages WHERE scope = $1 AND site = $2 AND page_id = ANY($3::text[]) ORDER BY page_id`,
  count: `SELECT count(*)::bigint AS n FROM checkpoint_pages WHERE scope = $1 AND site = $2`,
  spaces: `SELECT space_key, count(*)::bigint AS n FROM checkpoint_pages WHERE scope = $1 AND site = $2
    GROUP BY space_key ORDER BY space_key`,
  get: `SELECT * FROM checkpoint_pages WHERE scope = $1 AND site = $2 AND page_id = $3`,
  titled: `SELECT * FROM checkpoint_pages WHERE scope = $1 AND site = $2 AND title = $3 ORDER BY page_id`,
} as const;

function toRecord(row: PageRow): CheckpointRecord {
  return {
    site: row.site,
    id: row.page_id,
    version: Number(row.version),
    ...(row.content_version ? { contentVersion: row.content_version } : {}),
    ...(row.permissions_version ? { permissionsVersion: row.permissions_version } : {}),
    spaceKey: row.space_key,
    title: row.title,
    outputPaths: row.output_paths,
    digest: row.digest,
    committedAt: row.committed_at,
    runId: row.run_id,
  };
}

function sortedUnique(ids: string[]): string[] {
  return unique(ids).sort(byId);
}

export class PostgresCheckpointStore implements CheckpointStore {
  private readonly database: PgDatabase;
  private readonly owned: PgDatabases | undefined;
  private readonly target: PostgresTarget;
  private readonly scope: string;
  private readonly retentionMs: number;
  private readonly clock: () => Date;
  private opening: Promise<void> | undefined;
  private closed = false;

  /** Starts connecting and migrating at once; see ready(). */
  constructor(url: string, options: CheckpointOptions = {}) {
    this.owned = options.databases ? undefined : new PgDatabases(options.maxConnections);
    this.database = (options.databases ?? (this.owned as PgDatabases)).database(url, 'checkpoint');
    this.target = this.database.target;
    this.scope = options.scope ?? '';
    this.retentionMs = options.seenRetentionMs ?? DEFAULT_SEEN_RETENTION_MS;
    this.clock = options.clock ?? (() => new Date());
    this.ready().catch(() => undefined);
  }

  /** Where the store is, without the password. */
  get location(): string {
    return this.target.display;
  }

  private get pool(): pg.Pool {
    return this.database.pool;
  }

  ready(): Promise<void> {
    if (this.closed)
      return Promise.reject(new StoreError('checkpoint', `checkpoint ${this.target.display} is closed; open it again`));
    this.opening ??= this.pool
      .connect()
      .then(async (client) => {
        try {
          await migrate(client, CHECKPOINT_MIGRATIONS);
          client.release();
        } catch (err) {
          client.release(true); // a connection left in an unknown state is not reused
          throw err;
        }
      })
      .catch((err: unknown) => {
        this.opening = undefined; // the next call tries again: the server may be back by then
        throw explainPostgresError(this.target, err, 'checkpoint');
      });
    return this.opening;
  }

  /** In a transaction on this database, the record locks the page's row until it ends: writers take turns. */
  async commit(input: CommitInput, transaction?: SharedTransaction): Promise<boolean> {
    return this.changes(SQL.commit, this.commitValues(input), transaction);
  }

  async recordPermissions(update: PermissionsUpdate, transaction?: SharedTransaction): Promise<boolean> {
    const u = parseOrThrow(PermissionsUpdateSchema, update, 'permissions update');
    return this.changes(
      SQL.recordPermissions,
      [this.scope, u.site, u.id, u.version, u.permissionsVersion],
      transaction,
    );
  }

  /** A write that changes rows or not, alone or as a statement of a transaction the caller holds on this database. */
  private async changes(sql: string, values: unknown[], transaction?: SharedTransaction): Promise<boolean> {
    if (!transaction) return ((await this.query(sql, values)).rowCount ?? 0) > 0;
    if (!isOn(transaction, this.database)) throw foreignTransaction(this.target.display);
    await this.ready();
    try {
      return ((await transaction.client.query(sql, values)).rowCount ?? 0) > 0;
    } catch (err) {
      throw explainPostgresError(this.target, err, 'checkpoint');
    }
  }

  private commitValues(input: CommitInput): unknown[] {
    const r = parseOrThrow(CommitSchema, input, 'checkpoint record');
    const committedAt = r.committedAt ?? this.clock().toISOString();
    return [
      this.scope,
      r.site,
      r.id,
      r.version,
      r.spaceKey,
      r.title,
      r.outputPaths,
      r.digest,
      committedAt,
      r.runId,
      r.contentVersion ?? '',
      r.permissionsVersion ?? '',
    ];
  }

  async classify(site: string, refs: VersionRef[]): Promise<Classification> {
    const parsedSite = parseOrThrow(NameSchema, site, 'site');
    const parsed = parseOrThrow(VersionRefsSchema, refs, 'page refs');
    const { rows } = await this.query<{ id: string; version: string; content_version: string }>(SQL.versions, [
      this.scope,
      parsedSite,
      unique(parsed.map((r) => r.id)),
    ]);
    return classifyRefs(
      parsed,
      new Map(rows.map((r) => [r.id, { version: Number(r.version), contentVersion: r.content_version }])),
    );
  }

  async markSeen(site: string, generation: string, ids: string[]): Promise<void> {
    const now = this.clock();
    const key = [
      this.scope,
      parseOrThrow(NameSchema, site, 'site'),
      parseOrThrow(NameSchema, generation, 'generation'),
    ];
    const parsedIds = sortedUnique(parseOrThrow(IdsSchema, ids, 'page ids'));
    const started = await this.transaction(async (client) => {
      const isNew = ((await client.query(SQL.startGeneration, [...key, now])).rowCount ?? 0) > 0;
      if (!isNew && (await client.query(SQL.touchGeneration, [...key, now])).rowCount === 0) return false; // pruned
      if (parsedIds.length > 0) await client.query(SQL.markSeen, [...key, parsedIds]);
      return isNew;
    });
    // Pruning runs after the marks are in, in transactions of its own: it is housekeeping, and may wait on locks.
    if (started) await this.prune(now);
  }

  async missing(site: string, spaceKey: string, generation: string, limit?: number): Promise<MissingRecord[]> {
    const parsedSite = parseOrThrow(NameSchema, site, 'site');
    const parsedSpace = parseOrThrow(NameSchema, spaceKey, 'space key');
    const parsedGeneration = parseOrThrow(NameSchema, generation, 'generation');
    const parsedLimit = parseOrThrow(LimitSchema, limit, 'limit') ?? null;
    const key = [this.scope, parsedSite, parsedGeneration];
    const rows = await this.transaction(async (client) => {
      const touched = await client.query<{ started_at: Date }>(SQL.touchGeneration, [...key, this.clock()]);
      if (touched.rowCount === 0 && ((await client.query(SQL.generationExists, key)).rowCount ?? 0) > 0) {
        throw prunedGenerationError(parsedGeneration, this.retentionMs);
      }
      const startedAt = touched.rows[0]?.started_at ?? null;
      const result = await client.query<PageRow & { id: string }>(SQL.missing, [
        this.scope,
        parsedSite,
        parsedSpace,
        parsedGeneration,
        startedAt,
        parsedLimit,
      ]);
      return result.rows;
    });
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      spaceKey: parsedSpace,
      version: Number(r.version),
      outputPaths: r.output_paths,
    }));
  }

  async remove(site: string, ids: string[]): Promise<string[]> {
    const args = [
      this.scope,
      parseOrThrow(NameSchema, site, 'site'),
      sortedUnique(parseOrThrow(IdsSchema, ids, 'page ids')),
    ];
    const rows = await this.transaction(async (client) => {
      const removed = await client.query<Pick<PageRow, 'page_id' | 'output_paths'>>(SQL.removePages, args);
      await client.query(SQL.removeSeen, args);
      return removed.rows;
    });
    return rows.sort((a, b) => byId(a.page_id, b.page_id)).flatMap((r) => r.output_paths);
  }

  async records(site: string, ids: string[]): Promise<CheckpointRecord[]> {
    const args = [this.scope, parseOrThrow(NameSchema, site, 'site'), unique(parseOrThrow(IdsSchema, ids, 'page ids'))];
    const { rows } = await this.query<PageRow>(SQL.records, args);
    return rows.map(toRecord);
  }

  async count(site: string): Promise<number> {
    const parsedSite = parseOrThrow(NameSchema, site, 'site');
    const { rows } = await this.query<{ n: string }>(SQL.count, [this.scope, parsedSite]);
    return Number(rows[0].n);
  }

  async spaces(site: string): Promise<SpaceCount[]> {
    const parsedSite = parseOrThrow(NameSchema, site, 'site');
    const { rows } = await this.query<{ space_key: string; n: string }>(SQL.spaces, [this.scope, parsedSite]);
    return rows.map((r) => ({ spaceKey: r.space_key, pages: Number(r.n) }));
  }

  async get(site: string, id: string): Promise<CheckpointRecord | undefined> {
    const args = [this.scope, parseOrThrow(NameSchema, site, 'site'), parseOrThrow(NameSchema, id, 'page id')];
    const { rows } = await this.query<PageRow>(SQL.get, args);
    return rows[0] && toRecord(rows[0]);
  }

  async titled(site: string, title: string): Promise<CheckpointRecord[]> {
    const { rows } = await this.query<PageRow>(SQL.titled, [this.scope, parseOrThrow(NameSchema, site, 'site'), title]);
    return rows.map(toRecord);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.opening?.catch(() => undefined);
    await this.owned?.close();
  }

  /** Drops the marks of generations idle past the retention, every destination's and site's. */
  private async prune(now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - this.retentionMs);
    await this.transaction(async (client) => {
      await client.query(SQL.pruneSeen, [cutoff]);
      await client.query(SQL.pruneGenerations, [cutoff, now]);
      await client.query(SQL.forgetGenerations, [new Date(now.getTime() - PRUNED_GENERATIONS_KEPT_MS)]);
    });
  }

  private async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    await this.ready();
    try {
      return await this.pool.query<R>(sql, values);
    } catch (err) {
      throw explainPostgresError(this.target, err, 'checkpoint');
    }
  }

  /** Runs `work` in one transaction on one connection, again on a deadlock or serialization failure. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.ready();
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.pool, async (client) => ({ commit: true, value: await work(client) }));
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'string' && RETRY_CODES.has(code) && attempt < TRANSACTION_ATTEMPTS) continue;
        throw explainPostgresError(this.target, err, 'checkpoint');
      }
    }
  }
}
