// The checkpoint in SQLite, the embedded default: one file beside the output, WAL mode so several workers on one
// host share it. Each method is one statement or one short transaction.
import { z } from 'zod';
import type Database from 'better-sqlite3';
import { explainSqliteError } from './database';
import type { CheckpointStore, Classification, MissingRecord } from './store';
import {
  CommitSchema,
  IdsSchema,
  VersionRefsSchema,
  parseOrThrow,
  type CheckpointRecord,
  type CommitInput,
  type VersionRef,
} from './records';

interface PageRow {
  site: string;
  page_id: string;
  version: number;
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
  commit: `INSERT INTO pages (site, page_id, version, space_key, title, output_paths, digest, committed_at, run_id)
    VALUES (@site, @id, @version, @spaceKey, @title, @outputPaths, @digest, @committedAt, @runId)
    ON CONFLICT (site, page_id) DO UPDATE SET version = excluded.version, space_key = excluded.space_key,
      title = excluded.title, output_paths = excluded.output_paths, digest = excluded.digest,
      committed_at = excluded.committed_at, run_id = excluded.run_id
    WHERE excluded.version >= pages.version`,
  // Ids travel as one JSON array so a batch of any size is a single statement.
  // Written as IN (subquery) so SQLite looks each id up by primary key rather than scanning the site.
  versions: `SELECT page_id AS id, version FROM pages
    WHERE site = @site AND page_id IN (SELECT value FROM json_each(@ids))`,
  // "WHERE true" lets SQLite parse ON CONFLICT after INSERT ... SELECT.
  markSeen: `INSERT INTO seen (site, page_id, generation) SELECT @site, value, @generation FROM json_each(@ids) WHERE true
    ON CONFLICT (site, page_id) DO UPDATE SET generation = excluded.generation`,
  missing: `SELECT p.page_id AS id, p.title AS title, p.version AS version, p.output_paths AS output_paths
    FROM pages AS p LEFT JOIN seen AS s ON s.site = p.site AND s.page_id = p.page_id
    WHERE p.site = @site AND p.space_key = @spaceKey AND s.generation IS NOT @generation
    ORDER BY p.page_id LIMIT @limit`,
  removePages: `DELETE FROM pages WHERE site = @site AND page_id IN (SELECT value FROM json_each(@ids))
    RETURNING output_paths`,
  removeSeen: `DELETE FROM seen WHERE site = @site AND page_id IN (SELECT value FROM json_each(@ids))`,
  count: `SELECT count(*) FROM pages WHERE site = @site`,
  get: `SELECT * FROM pages WHERE site = @site AND page_id = @id`,
} as const;

const Name = z.string().min(1);
const Limit = z.number().int().positive().optional();

function toRecord(row: PageRow): CheckpointRecord {
  return {
    site: row.site,
    id: row.page_id,
    version: row.version,
    spaceKey: row.space_key,
    title: row.title,
    outputPaths: JSON.parse(row.output_paths) as string[],
    digest: row.digest,
    committedAt: row.committed_at,
    runId: row.run_id,
  };
}

/** Keeps each id once, in first-seen order: a listing that repeats a page must not classify it twice. */
function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

export class SqliteCheckpointStore implements CheckpointStore {
  private readonly statements: { [K in keyof typeof SQL]: Database.Statement };

  /** Takes over an open database (see openCheckpoint); throws if its schema is not the one this code expects. */
  constructor(
    readonly path: string,
    private readonly db: Database.Database,
  ) {
    this.statements = Object.fromEntries(
      Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)]),
    ) as SqliteCheckpointStore['statements'];
  }

  /**
   * Records that a page's upload is done. Idempotent; returns false when a newer version of the page was
   * already recorded (the older commit is then ignored).
   */
  async commit(input: CommitInput): Promise<boolean> {
    const record = parseOrThrow(CommitSchema, input, 'checkpoint record');
    const row = {
      ...record,
      outputPaths: JSON.stringify(record.outputPaths),
      committedAt: record.committedAt ?? new Date().toISOString(),
    };
    return this.guard(() => this.statements.commit.run(row).changes > 0);
  }

  /** Splits a batch of listed refs into pages to ingest and pages whose recorded version matches. */
  async classify(site: string, refs: VersionRef[]): Promise<Classification> {
    const parsedSite = parseOrThrow(Name, site, 'site');
    const parsed = parseOrThrow(VersionRefsSchema, refs, 'page refs');
    const ids = JSON.stringify(parsed.map((r) => r.id));
    const rows = this.guard(() => this.statements.versions.all({ site: parsedSite, ids }) as VersionRef[]);
    const recorded = new Map(rows.map((r) => [r.id, r.version]));
    const isUnchanged = (r: VersionRef) => recorded.get(r.id) === r.version;
    return {
      newOrChanged: unique(parsed.filter((r) => !isUnchanged(r)).map((r) => r.id)),
      unchanged: unique(parsed.filter(isUnchanged).map((r) => r.id)),
    };
  }

  /**
   * Marks pages as listed during `generation`: one full enumeration of the selection, which may span
   * continue-as-new runs (e.g. the first run id of the ingest workflow).
   */
  async markSeen(site: string, generation: string, ids: string[]): Promise<void> {
    const args = {
      site: parseOrThrow(Name, site, 'site'),
      generation: parseOrThrow(Name, generation, 'generation'),
      ids: JSON.stringify(parseOrThrow(IdsSchema, ids, 'page ids')),
    };
    this.guard(() => this.statements.markSeen.run(args));
  }

  /**
   * Recorded pages of a space that were not seen in `generation`. Only meaningful once that generation has
   * listed the whole space (not cut short by a per-space limit). `limit` lets callers work in batches.
   */
  async missing(site: string, spaceKey: string, generation: string, limit?: number): Promise<MissingRecord[]> {
    const args = {
      site: parseOrThrow(Name, site, 'site'),
      spaceKey: parseOrThrow(Name, spaceKey, 'space key'),
      generation: parseOrThrow(Name, generation, 'generation'),
      limit: parseOrThrow(Limit, limit, 'limit') ?? -1,
    };
    const rows = this.guard(() => this.statements.missing.all(args) as MissingRow[]);
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      spaceKey: args.spaceKey,
      version: r.version,
      outputPaths: JSON.parse(r.output_paths) as string[],
    }));
  }

  /** Forgets pages and returns the output paths they had, for the caller to delete. */
  async remove(site: string, ids: string[]): Promise<string[]> {
    const args = {
      site: parseOrThrow(Name, site, 'site'),
      ids: JSON.stringify(parseOrThrow(IdsSchema, ids, 'page ids')),
    };
    const removeAll = this.db.transaction(() => {
      const rows = this.statements.removePages.all(args) as Pick<PageRow, 'output_paths'>[];
      this.statements.removeSeen.run(args);
      return rows.flatMap((r) => JSON.parse(r.output_paths) as string[]);
    });
    return this.guard(() => removeAll.immediate());
  }

  async count(site: string): Promise<number> {
    const parsedSite = parseOrThrow(Name, site, 'site');
    return this.guard(() => this.statements.count.pluck().get({ site: parsedSite }) as number);
  }

  async get(site: string, id: string): Promise<CheckpointRecord | undefined> {
    const args = { site: parseOrThrow(Name, site, 'site'), id: parseOrThrow(Name, id, 'page id') };
    const row = this.guard(() => this.statements.get.get(args) as PageRow | undefined);
    return row && toRecord(row);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (err) {
      throw explainSqliteError(this.path, err);
    }
  }
}
