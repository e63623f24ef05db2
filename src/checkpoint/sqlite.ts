// The checkpoint in SQLite, the embedded default: one file beside the output, WAL mode so several workers on one
// host share it. Each method is one statement or one short transaction.
import type Database from 'better-sqlite3';
import type { SharedTransaction } from '../core/pgDatabases';
import { explainSqliteError } from './database';
import type { CheckpointOptions, CheckpointStore, Classification, MissingRecord } from './store';
import { DEFAULT_SEEN_RETENTION_MS, PRUNED_GENERATIONS_KEPT_MS } from './store';
import type { CheckpointRecord, CommitInput, SpaceCount, VersionRef } from './records';
import {
  byId,
  classifyRefs,
  CommitSchema,
  foreignTransaction,
  IdsSchema,
  LimitSchema,
  NameSchema,
  parseOrThrow,
  type PermissionsUpdate,
  PermissionsUpdateSchema,
  prunedGenerationError,
  type RecordedVersion,
  unique,
  VersionRefsSchema,
} from './records';

interface PageRow {
  site: string;
  page_id: string;
  version: number;
  content_version: string;
  permissions_version: string;
  space_key: string;
  title: string;
  output_paths: string;
  digest: string;
  committed_at: string;
  run_id: string;
}

type MissingRow = Pick<PageRow, 'title' | 'version' | 'output_paths'> & { id: string };

const SQL = {
  // A stale commit (an older version finishing after a newer one) must not roll the record back.
  commit: `INSERT INTO pages (site, page_id, version, content_version, permissions_version, space_key, title, output_paths, digest, committed_at, run_id)
    VALUES (@site, @id, @version, @contentVersion, @permissionsVersion, @spaceKey, @title, @outputPaths, @digest, @committedAt, @runId)
    ON CONFLICT (site, page_id) DO UPDATE SET version = excluded.version, content_version = excluded.content_version,
      permissions_version = excluded.permissions_version, space_key = excluded.space_key,
      title = excluded.title, output_paths = excluded.output_paths, digest = excluded.digest,
      committed_at = excluded.committed_at, run_id = excluded.run_id
    WHERE excluded.version >= pages.version`,
  // Ids travel as one JSON array so a batch of any size is a single statement.
  // Written as IN (subquery) so SQLite looks each id up by primary key rather than scanning the site.
  versions: `SELECT page_id AS id, version, content_version AS contentVersion FROM pages
    WHERE site = @site AND page_id IN (SELECT value FROM json_each(@ids))`,
  startGeneration: `INSERT INTO generations (site, generation, started_at, touched_at)
    VALUES (@site, @generation, @now, @now) ON CONFLICT DO NOTHING`,
  // No row: the generation was pruned (or never started).
  touchGeneration: `UPDATE generations SET touched_at = @now
    WHERE site = @site AND generation = @generation AND pruned_at IS NULL RETURNING started_at`,
  generation: `SELECT started_at, pruned_at FROM generations WHERE site = @site AND generation = @generation`,
  // "WHERE true" lets SQLite parse ON CONFLICT after INSERT ... SELECT.
  markSeen: `INSERT INTO seen (site, generation, page_id) SELECT @site, @generation, value FROM json_each(@ids) WHERE true
    ON CONFLICT DO NOTHING`,
  // Every site's idle generations: a site that is never ingested again must not keep its marks forever.
  pruneSeen: `DELETE FROM seen WHERE (site, generation) IN
    (SELECT site, generation FROM generations WHERE pruned_at IS NULL AND touched_at < @cutoff)`,
  pruneGenerations: `UPDATE generations SET pruned_at = @now WHERE pruned_at IS NULL AND touched_at < @cutoff`,
  forgetGenerations: `DELETE FROM generations WHERE pruned_at IS NOT NULL AND pruned_at < @forgetBefore`,
  // Timestamps are compared as instants (julianday), not as text: committedAt may come with any precision.
  missing: `SELECT p.page_id AS id, p.title AS title, p.version AS version, p.output_paths AS output_paths
    FROM pages AS p
    WHERE p.site = @site AND p.space_key = @spaceKey
      AND NOT EXISTS (SELECT 1 FROM seen AS s WHERE s.site = p.site AND s.generation = @generation AND s.page_id = p.page_id)
      AND (@startedAt IS NULL OR julianday(p.committed_at) <= julianday(@startedAt))
    ORDER BY p.page_id LIMIT @limit`,
  removePages: `DELETE FROM pages WHERE site = @site AND page_id IN (SELECT value FROM json_each(@ids))
    RETURNING page_id, output_paths`,
  removeSeen: `DELETE FROM seen WHERE site = @site AND page_id IN (SELECT value FROM json_each(@ids))`,
  recordPermissions: `UPDATE pages SET permissions_version = @permissionsVersion
    WHERE site = @site AND page_id = @id AND version = @version`,
  records: `SELECT * FROM pages WHERE site = @site AND page_id IN (SELECT value FROM json_each(@ids)) ORDER BY page_id`,
  count: `SELECT count(*) FROM pages WHERE site = @site`,
  spaces: `SELECT space_key AS spaceKey, count(*) AS pages FROM pages WHERE site = @site GROUP BY space_key ORDER BY space_key`,
  get: `SELECT * FROM pages WHERE site = @site AND page_id = @id`,
  titled: `SELECT * FROM pages WHERE site = @site AND title = @title ORDER BY page_id`,
} as const;

function toRecord(row: PageRow): CheckpointRecord {
  return {
    site: row.site,
    id: row.page_id,
    version: row.version,
    ...(row.content_version ? { contentVersion: row.content_version } : {}),
    ...(row.permissions_version ? { permissionsVersion: row.permissions_version } : {}),
    spaceKey: row.space_key,
    title: row.title,
    outputPaths: JSON.parse(row.output_paths) as string[],
    digest: row.digest,
    committedAt: row.committed_at,
    runId: row.run_id,
  };
}

export class SqliteCheckpointStore implements CheckpointStore {
  private readonly statements: { [K in keyof typeof SQL]: Database.Statement };
  private readonly retentionMs: number;
  private readonly clock: () => Date;

  /** Takes over an open database (see openCheckpoint); throws if its schema is not the one this code expects. */
  constructor(
    readonly path: string,
    private readonly db: Database.Database,
    options: CheckpointOptions = {},
  ) {
    this.statements = Object.fromEntries(
      Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)]),
    ) as SqliteCheckpointStore['statements'];
    this.retentionMs = options.seenRetentionMs ?? DEFAULT_SEEN_RETENTION_MS;
    this.clock = options.clock ?? (() => new Date());
  }

  async ready(): Promise<void> {}

  async commit(input: CommitInput, transaction?: SharedTransaction): Promise<boolean> {
    if (transaction) throw foreignTransaction(this.path);
    const record = parseOrThrow(CommitSchema, input, 'checkpoint record');
    const row = {
      ...record,
      contentVersion: record.contentVersion ?? '',
      permissionsVersion: record.permissionsVersion ?? '',
      outputPaths: JSON.stringify(record.outputPaths),
      committedAt: record.committedAt ?? this.clock().toISOString(),
    };
    return this.guard(() => this.statements.commit.run(row).changes > 0);
  }

  async classify(site: string, refs: VersionRef[]): Promise<Classification> {
    const parsedSite = parseOrThrow(NameSchema, site, 'site');
    const parsed = parseOrThrow(VersionRefsSchema, refs, 'page refs');
    const ids = JSON.stringify(unique(parsed.map((r) => r.id)));
    const rows = this.guard(
      () => this.statements.versions.all({ site: parsedSite, ids }) as Array<RecordedVersion & { id: string }>,
    );
    return classifyRefs(parsed, new Map(rows.map(({ id, ...recorded }) => [id, recorded])));
  }

  async markSeen(site: string, generation: string, ids: string[]): Promise<void> {
    const now = this.clock();
    const args = {
      site: parseOrThrow(NameSchema, site, 'site'),
      generation: parseOrThrow(NameSchema, generation, 'generation'),
      ids: JSON.stringify(unique(parseOrThrow(IdsSchema, ids, 'page ids'))),
      now: now.toISOString(),
    };
    const mark = this.db.transaction(() => {
      if (this.statements.startGeneration.run(args).changes > 0) this.prune(now);
      else if (this.statements.touchGeneration.all(args).length === 0) return; // pruned: missing() refuses it anyway
      this.statements.markSeen.run(args);
    });
    this.guard(() => mark.immediate());
  }

  async missing(site: string, spaceKey: string, generation: string, limit?: number): Promise<MissingRecord[]> {
    const args = {
      site: parseOrThrow(NameSchema, site, 'site'),
      spaceKey: parseOrThrow(NameSchema, spaceKey, 'space key'),
      generation: parseOrThrow(NameSchema, generation, 'generation'),
      limit: parseOrThrow(LimitSchema, limit, 'limit') ?? -1,
      now: this.clock().toISOString(),
    };
    const find = this.db.transaction(() => {
      const touched = this.statements.touchGeneration.all(args) as Array<{ started_at: string }>;
      if (touched.length === 0 && this.statements.generation.get(args))
        throw prunedGenerationError(args.generation, this.retentionMs);
      return this.statements.missing.all({ ...args, startedAt: touched[0]?.started_at ?? null }) as MissingRow[];
    });
    const rows = this.guard(() => find.immediate());
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      spaceKey: args.spaceKey,
      version: r.version,
      outputPaths: JSON.parse(r.output_paths) as string[],
    }));
  }

  async remove(site: string, ids: string[]): Promise<string[]> {
    const args = {
      site: parseOrThrow(NameSchema, site, 'site'),
      ids: JSON.stringify(unique(parseOrThrow(IdsSchema, ids, 'page ids'))),
    };
    const removeAll = this.db.transaction(() => {
      const rows = this.statements.removePages.all(args) as Array<Pick<PageRow, 'page_id' | 'output_paths'>>;
      this.statements.removeSeen.run(args);
      return rows;
    });
    const rows = this.guard(() => removeAll.immediate());
    return rows.sort((a, b) => byId(a.page_id, b.page_id)).flatMap((r) => JSON.parse(r.output_paths) as string[]);
  }

  async recordPermissions(update: PermissionsUpdate, transaction?: SharedTransaction): Promise<boolean> {
    if (transaction) throw foreignTransaction(this.path);
    const args = parseOrThrow(PermissionsUpdateSchema, update, 'permissions update');
    return this.guard(() => this.statements.recordPermissions.run(args).changes > 0);
  }

  async records(site: string, ids: string[]): Promise<CheckpointRecord[]> {
    const args = {
      site: parseOrThrow(NameSchema, site, 'site'),
      ids: JSON.stringify(unique(parseOrThrow(IdsSchema, ids, 'page ids'))),
    };
    const rows = this.guard(() => this.statements.records.all(args) as PageRow[]);
    return rows.map(toRecord).sort((a, b) => byId(a.id, b.id));
  }

  async count(site: string): Promise<number> {
    const parsedSite = parseOrThrow(NameSchema, site, 'site');
    return this.guard(() => this.statements.count.pluck().get({ site: parsedSite }) as number);
  }

  async spaces(site: string): Promise<SpaceCount[]> {
    const parsedSite = parseOrThrow(NameSchema, site, 'site');
    return this.guard(() => this.statements.spaces.all({ site: parsedSite }) as SpaceCount[]);
  }

  async get(site: string, id: string): Promise<CheckpointRecord | undefined> {
    const args = { site: parseOrThrow(NameSchema, site, 'site'), id: parseOrThrow(NameSchema, id, 'page id') };
    const row = this.guard(() => this.statements.get.get(args) as PageRow | undefined);
    return row && toRecord(row);
  }

  async titled(site: string, title: string): Promise<CheckpointRecord[]> {
    const args = { site: parseOrThrow(NameSchema, site, 'site'), title };
    return this.guard(() => this.statements.titled.all(args) as PageRow[]).map(toRecord);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /**
   * Drops the marks of generations idle past the retention; runs inside markSeen's transaction when a generation
   * starts.
   */
  private prune(now: Date): void {
    const cutoff = new Date(now.getTime() - this.retentionMs).toISOString();
    this.statements.pruneSeen.run({ cutoff });
    this.statements.pruneGenerations.run({ cutoff, now: now.toISOString() });
    this.statements.forgetGenerations.run({
      forgetBefore: new Date(now.getTime() - PRUNED_GENERATIONS_KEPT_MS).toISOString(),
    });
  }

  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (err) {
      throw explainSqliteError(this.path, err);
    }
  }
}
