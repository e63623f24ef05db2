// The checkpoint in PostgreSQL, for workers on several machines: the same semantics as the SQLite store (sqlite.ts),
// one database shared by every worker. The schema is created and upgraded by versioned migrations when the store
// opens (pgMigrations.ts); errors become one line naming the problem and the fix, never the password (pgErrors.ts).
import pg from 'pg';
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
  CheckpointError,
  CommitSchema,
  IdsSchema,
  LimitSchema,
  NameSchema,
  VersionRefsSchema,
  byId,
  classifyRefs,
  parseOrThrow,
  PermissionsUpdateSchema,
  prunedGenerationError,
  unique,
  type CheckpointRecord,
  type CommitInput,
  type PermissionsUpdate,
  type VersionRef,
} from './records';
import { explainPostgresError, postgresTarget, type PostgresTarget } from './pgErrors';
import { CHECKPOINT_MIGRATIONS, migrate } from './pgMigrations';

const CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_CONNECTIONS = 5;

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
  get: `SELECT * FROM checkpoint_pages WHERE scope = $1 AND site = $2 AND page_id = $3`,
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

function choosesDurability(url: string): boolean {
  try {
    return /synchronous_commit/i.test(decodeURIComponent(url));
  } catch {
    return /synchronous_commit/i.test(url);
  }
}

function sortedUnique(ids: string[]): string[] {
  return unique(ids).sort(byId);
}

export class PostgresCheckpointStore implements CheckpointStore {
  private readonly pool: pg.Pool;
  private readonly target: PostgresTarget;
  private readonly scope: string;
  private readonly retentionMs: number;
  private readonly clock: () => Date;
  private opening: Promise<void> | undefined;
  private closed = false;

  /** Starts connecting and migrating at once; see ready(). */
  constructor(url: string, options: CheckpointOptions = {}) {
    this.target = postgresTarget(url);
    this.scope = options.scope ?? '';
    this.retentionMs = options.seenRetentionMs ?? DEFAULT_SEEN_RETENTION_MS;
    this.clock = options.clock ?? (() => new Date());
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'durable-ingest checkpoint',
      // Like SQLite's synchronous=NORMAL: a commit does not wait for its WAL flush. A server crash may lose the last
      // fraction of a second of commits, which only means re-ingesting those pages. Set per connection rather than
      // as a startup option, which PgBouncer refuses; a URL that sets synchronous_commit itself (options=-c ...) wins.
      onConnect: choosesDurability(url)
        ? undefined
        : async (client) => void (await client.query('SET synchronous_commit TO off')),
    });
    // An idle connection the server closed is dropped by the pool; the next query opens another.
    this.pool.on('error', () => undefined);
    this.ready().catch(() => undefined);
  }

  /** Where the store is, without the password. */
  get location(): string {
    return this.target.display;
  }

  ready(): Promise<void> {
    if (this.closed)
      return Promise.reject(new CheckpointError(`checkpoint ${this.target.display} is closed; open it again`));
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
        throw explainPostgresError(this.target, err);
      });
    return this.opening;
  }

  async commit(input: CommitInput): Promise<boolean> {
    const result = await this.query(SQL.commit, this.commitValues(input));
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * commit() as a statement of a transaction the caller holds open on this database (a destination's: the page's
   * elements and its record then land together or not at all). It locks the page's row until that transaction ends,
   * so writers of one page take turns; false when a newer version is recorded (the caller should roll back).
   */
  async commitIn(transaction: pg.ClientBase, input: CommitInput): Promise<boolean> {
    const values = this.commitValues(input);
    await this.ready();
    try {
      return ((await transaction.query(SQL.commit, values)).rowCount ?? 0) > 0;
    } catch (err) {
      throw explainPostgresError(this.target, err);
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

  async recordPermissions(update: PermissionsUpdate): Promise<boolean> {
    return ((await this.query(SQL.recordPermissions, this.permissionsValues(update))).rowCount ?? 0) > 0;
  }

  /** recordPermissions() as a statement of the caller's transaction on this database (see commitIn). */
  async recordPermissionsIn(transaction: pg.ClientBase, update: PermissionsUpdate): Promise<boolean> {
    const values = this.permissionsValues(update);
    await this.ready();
    try {
      return ((await transaction.query(SQL.recordPermissions, values)).rowCount ?? 0) > 0;
    } catch (err) {
      throw explainPostgresError(this.target, err);
    }
  }

  private permissionsValues(update: PermissionsUpdate): unknown[] {
    const u = parseOrThrow(PermissionsUpdateSchema, update, 'permissions update');
    return [this.scope, u.site, u.id, u.version, u.permissionsVersion];
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

  async get(site: string, id: string): Promise<CheckpointRecord | undefined> {
    const args = [this.scope, parseOrThrow(NameSchema, site, 'site'), parseOrThrow(NameSchema, id, 'page id')];
    const { rows } = await this.query<PageRow>(SQL.get, args);
    return rows[0] && toRecord(rows[0]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.opening?.catch(() => undefined);
    await this.pool.end();
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
      throw explainPostgresError(this.target, err);
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
        throw err instanceof CheckpointError ? err : explainPostgresError(this.target, err);
      }
    }
  }
}
