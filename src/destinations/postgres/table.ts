// The PostgreSQL destination: a document's elements are rows of one table keyed by its record id, replaced as a
// whole in one transaction (delete its rows, insert the new ones), so no reader ever sees a document half-written
// or twice. A page's transaction also carries its checkpoint record (writePage), so the two land together or not at
// all; writers of one document take turns on an advisory lock held until their transaction ends.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { type DocumentRecord, recordIdOf } from '../../core/document';
import type { Element } from '../../core/elements';
import { DURABLE_TRANSACTION, type PgDatabase, PgDatabases } from '../../core/pgDatabases';
import { inTransaction } from '../../core/pgTransaction';
import { explainPostgresError, type PostgresTarget, postgresTarget } from '../../core/postgresErrors';
import { StoreError } from '../../core/storeError';
import type { PermissionsPatch } from '../permissionsPatch';
import type { RecordPage, RecordPermissions, StoredDocument, Uploader } from '../uploader';
import { embeddingsColumnOf, quoteTable, REQUIRED_COLUMNS, type TableLayout } from './layout';
import { elementRow } from './rows';

const CONNECT_TIMEOUT_MS = 15_000;

const SQL = {
  columns: `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute AS a
    WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
  lock: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
} as const;

/** What the job will write, to be checked against the table before any page is fetched. */
export interface TableExpectations {
  /** Length of the job's vectors; absent: the job embeds nothing. */
  embeddingDimensions?: number;
  /** The embedding model, to name in messages. */
  embeddingModel?: string;
}

export interface TableOptions {
  /** The worker's pools, shared with the checkpoint; absent: the table opens (and closes) a pool of its own. */
  databases?: PgDatabases;
  /** Connections of a pool of its own. */
  maxConnections?: number;
}

export class PostgresTable implements Uploader {
  private readonly database: PgDatabase;
  private readonly owned: PgDatabases | undefined;
  readonly target: PostgresTarget;
  private readonly quoted: string;
  private layout: Promise<TableLayout> | undefined;

  /** `url` holds the password: it stays in the pool, never in a message. */
  constructor(
    url: string,
    readonly table: string,
    options: TableOptions = {},
  ) {
    this.owned = options.databases ? undefined : new PgDatabases(options.maxConnections);
    this.database = (options.databases ?? (this.owned as PgDatabases)).database(url, 'destination');
    this.target = this.database.target;
    this.quoted = quoteTable(table);
  }

  private get pool(): pg.Pool {
    return this.database.pool;
  }

  /** "table elements in postgresql://user@host:5432/db": the destination as messages name it. */
  describe(): string {
    return `table ${this.table} in ${this.target.display}`;
  }

  /** The table's columns and how it stores embeddings, read once; a missing table is a DestinationError. */
  inspect(): Promise<TableLayout> {
    this.layout ??= this.readLayout().catch((err: unknown) => {
      this.layout = undefined; // the next call looks again: the table may have been created meanwhile
      throw err;
    });
    return this.layout;
  }

  /** Refuses, with one line naming the fix, a table the job cannot write as it would expect. */
  async check(expect: TableExpectations): Promise<void> {
    const layout = await this.inspect();
    const missing = REQUIRED_COLUMNS.filter((column) => !layout.columns.has(column));
    if (missing.length > 0) {
      throw new StoreError(
        'destination',
        `${this.describe()} has no column ${missing.join(', ')}: point --table at a table made by \`durable-ingest postgres init\`, or add the column(s)`,
      );
    }
    const problem = embeddingsProblem(layout, expect);
    if (problem) throw new StoreError('destination', `${this.describe()} ${problem}`);
  }

  async write(document: DocumentRecord, elements: Element[]): Promise<StoredDocument> {
    // Read before the transaction takes its connection: reading inside it would need a second one from the pool.
    const layout = await this.inspect();
    return this.transaction(async (client) => {
      const stored = storedOf(document, elements);
      await this.lock(client, stored);
      await this.replace(client, layout, stored, elements);
      return { commit: true, value: stored };
    });
  }

  /**
   * The page's rows and its checkpoint record in one transaction; nothing is written when a newer version is recorded.
   */
  async writePage(document: DocumentRecord, elements: Element[], record: RecordPage): Promise<StoredDocument> {
    const layout = await this.inspect();
    return this.transaction(async (client) => {
      const stored = storedOf(document, elements);
      await this.lock(client, stored);
      const recorded = await record(stored, { database: this.database, client }).catch((err: unknown) => {
        throw new RecordFailure(err);
      });
      if (!recorded) return { commit: false, value: stored };
      await this.replace(client, layout, stored, elements);
      return { commit: true, value: stored };
    });
  }

  /** The documents' rows and the record of their new permissions in one transaction, or neither. */
  async rewritePermissions(locations: string[], patch: PermissionsPatch, record: RecordPermissions): Promise<void> {
    const layout = await this.inspect();
    await this.transaction(async (client) => {
      for (const location of [...locations].sort()) await this.lock(client, { location, digest: '' });
      await client.query(permissionsUpdate(this.quoted, layout), [
        locations,
        patch.permissionsData ? JSON.stringify(patch.permissionsData) : null,
        patch.capped,
      ]);
      const recorded = await record({ database: this.database, client }).catch((err: unknown) => {
        throw new RecordFailure(err);
      });
      return { commit: recorded, value: undefined };
    });
  }

  async remove(locations: string[]): Promise<void> {
    if (locations.length === 0) return;
    await this.transaction(async (client) => {
      await client.query(`DELETE FROM ${this.quoted} WHERE record_id = ANY($1::text[])`, [locations]);
      return { commit: true, value: undefined };
    });
  }

  /**
   * Holds the table for this process alone until the release is called, or undefined when another process holds it.
   * The lock belongs to a connection of its own, so it ends with the process however the process ends.
   */
  async tryLease(): Promise<(() => Promise<void>) | undefined> {
    const client = await this.pool.connect().catch((err: unknown) => {
      throw explain(this.target, this.table, err);
    });
    try {
      const { rows } = await client.query<{ held: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held',
        [`durable-ingest lease\n${this.quoted}`],
      );
      if (rows[0].held) return async () => client.release(true); // closing the connection ends its lock
    } catch (err) {
      client.release(true);
      throw explain(this.target, this.table, err);
    }
    client.release(true);
    return undefined;
  }

  async close(): Promise<void> {
    await this.owned?.close();
  }

  /** Runs SQL of the caller's (e.g. `durable-ingest postgres init`) on one connection, errors explained. */
  async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      return await work(client);
    } catch (err) {
      throw explain(this.target, this.table, err);
    } finally {
      client?.release();
    }
  }

  private async readLayout(): Promise<TableLayout> {
    const { rows } = await this.withClient((client) =>
      client.query<{ name: string; type: string }>(SQL.columns, [this.quoted]),
    );
    if (rows.length === 0) {
      throw new StoreError(
        'destination',
        `${this.describe()} does not exist: create it with \`durable-ingest postgres init --database-url <url> --table ${this.table} --dimensions <n>\`, or fix --table`,
      );
    }
    const types = new Map(rows.map((r) => [r.name, r.type]));
    const embeddings = types.get('embeddings');
    return {
      table: this.quoted,
      columns: new Set(types.keys()),
      embeddings: embeddings === undefined ? undefined : embeddingsColumnOf(embeddings),
      embeddingsType: embeddings,
    };
  }

  /** Writers of one document take turns: the lock is held until the transaction ends. */
  private async lock(client: pg.ClientBase, { location }: StoredDocument): Promise<void> {
    await client.query(SQL.lock, [`durable-ingest\n${this.quoted}\n${location}`]);
  }

  /** Under the document's lock: its previous rows go, its new rows come. */
  private async replace(
    client: pg.ClientBase,
    layout: TableLayout,
    stored: StoredDocument,
    elements: Element[],
  ): Promise<void> {
    await client.query(`DELETE FROM ${this.quoted} WHERE record_id = $1`, [stored.location]);
    if (elements.length > 0) {
      const rows = elements.map((element) => elementRow(element, stored.location, layout.embeddings));
      // One statement per document; the table's own row type converts each value and drops keys it has no column for.
      await client.query(
        `INSERT INTO ${this.quoted} SELECT * FROM jsonb_populate_recordset(NULL::${this.quoted}, $1::jsonb)`,
        [JSON.stringify(rows)],
      );
    }
  }

  /** The destination's writes wait for the WAL as the server is set to, its checkpoint records with them. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<{ commit: boolean; value: T }>): Promise<T> {
    try {
      return await inTransaction(this.pool, async (client) => {
        await client.query(DURABLE_TRANSACTION);
        return work(client);
      });
    } catch (err) {
      throw err instanceof RecordFailure ? err.cause : explain(this.target, this.table, err);
    }
  }
}

/** The checkpoint's failure inside a page's transaction: rolled back, and passed on in the checkpoint's own words. */
class RecordFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('recording the page failed');
  }
}

/** Where a document's rows are (its record id) and a digest of its elements, the same as the local output's. */
function storedOf(document: DocumentRecord, elements: Element[]): StoredDocument {
  const digest = createHash('sha256')
    .update(JSON.stringify(elements, null, 2))
    .digest('hex');
  return { location: recordIdOf(document), digest };
}

function embeddingsProblem(
  { embeddings }: TableLayout,
  { embeddingDimensions, embeddingModel }: TableExpectations,
): string | undefined {
  const model = embeddingModel ?? 'the embedding model';
  if (embeddingDimensions === undefined) {
    return embeddings?.kind === 'vector'
      ? `stores vectors (embeddings vector${embeddings.dimensions ? `(${embeddings.dimensions})` : ''}) and the job embeds nothing: give --embedding-provider`
      : undefined;
  }
  if (!embeddings)
    return `has no embeddings column, so the vectors of ${model} would be lost: add one, or use a table made by \`durable-ingest postgres init\``;
  if (
    embeddings.kind === 'vector' &&
    embeddings.dimensions !== undefined &&
    embeddings.dimensions !== embeddingDimensions
  ) {
    return (
      `stores vectors of ${embeddings.dimensions} dimensions and ${model} gives ${embeddingDimensions}: ` +
      `use a model of ${embeddings.dimensions} dimensions, or a table made by \`durable-ingest postgres init --dimensions ${embeddingDimensions}\``
    );
  }
  return undefined;
}

/**
 * Fails, with one line naming the fix, unless the database at `url` answers (a worker's check before it takes tasks).
 */
export async function reachDatabase(url: string): Promise<void> {
  const target = postgresTarget(url, 'destination');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw explain(target, '', err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** pgvector's refusal of a vector of the wrong length, e.g. "expected 384 dimensions, not 1536". */
const DIMENSION_MISMATCH = /expected (\d+) dimensions, not (\d+)/;

/** The server's or the client's failure in the destination's words: a wrong vector length names the model's fix. */
function explain(target: PostgresTarget, table: string, err: unknown): StoreError {
  const mismatch = err instanceof StoreError ? null : DIMENSION_MISMATCH.exec(err instanceof Error ? err.message : '');
  if (!mismatch) return explainPostgresError(target, err, 'destination');
  return new StoreError(
    'destination',
    `table ${table} in ${target.display} holds vectors of ${mismatch[1]} dimensions and the embedding model gives ${mismatch[2]}: ` +
      `use a model of ${mismatch[1]} dimensions, or a table made by \`durable-ingest postgres init --dimensions ${mismatch[2]}\``,
  );
}

/**
 * permissions_data, and the same inside metadata (and record_locator's permissions_capped, where the table has it);
 * $1 the record ids, $2 the permissions (null: none), $3 whether they were capped.
 */
function permissionsUpdate(table: string, layout: TableLayout): string {
  const data = `CASE WHEN $2::jsonb IS NULL THEN metadata #- '{data_source,permissions_data}'
    ELSE jsonb_set(metadata, '{data_source,permissions_data}', $2::jsonb) END`;
  const metadata = `CASE WHEN $3::boolean
    THEN jsonb_set(${data}, '{data_source,record_locator,permissions_capped}', 'true'::jsonb)
    ELSE (${data}) #- '{data_source,record_locator,permissions_capped}' END`;
  const locator = layout.columns.has('record_locator')
    ? `, record_locator = (CASE WHEN $3::boolean THEN jsonb_set(record_locator::jsonb, '{permissions_capped}', 'true'::jsonb)
        ELSE record_locator::jsonb - 'permissions_capped'::text END)::text`
    : '';
  return `UPDATE ${table} SET permissions_data = $2::jsonb, metadata = ${metadata}${locator}
    WHERE record_id = ANY($1::text[])`;
}
