// The PostgreSQL destination: a document's elements are rows of one table keyed by its record id, replaced as a
// whole in one transaction (delete its rows, insert the new ones), so no reader ever sees a document half-written
// or twice. A page's transaction also carries its checkpoint record (writePage), so the two land together or not at
// all; writers of one document take turns on an advisory lock held until their transaction ends.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { type DocumentRecord, recordIdOf } from '../../core/document';
import type { Element } from '../../core/elements';
import { inTransaction } from '../../core/pgTransaction';
import type { PostgresTarget } from '../../core/postgresErrors';
import type { PermissionsPatch } from '../permissionsPatch';
import type { RecordPage, RecordPermissions, StoredDocument, Uploader } from '../uploader';
import { DestinationError, destinationTarget, explainDestinationError } from './errors';
import { embeddingsColumnOf, quoteTable, REQUIRED_COLUMNS, type TableLayout } from './layout';
import { elementRow } from './rows';

const CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_CONNECTIONS = 5;

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

export class PostgresTable implements Uploader {
  private readonly pool: pg.Pool;
  readonly target: PostgresTarget;
  private readonly quoted: string;
  private layout: Promise<TableLayout> | undefined;

  /** `url` holds the password: it stays in this object, never in a message. */
  constructor(
    url: string,
    readonly table: string,
    options: { maxConnections?: number } = {},
  ) {
    this.target = destinationTarget(url);
    this.quoted = quoteTable(table);
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'durable-ingest destination',
    });
    // An idle connection the server closed is dropped by the pool; the next query opens another.
    this.pool.on('error', () => undefined);
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
      throw new DestinationError(
        `${this.describe()} has no column ${missing.join(', ')}: point --table at a table made by \`durable-ingest postgres init\`, or add the column(s)`,
      );
    }
    const problem = embeddingsProblem(layout, expect);
    if (problem) throw new DestinationError(`${this.describe()} ${problem}`);
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
      const recorded = await record(stored, client).catch((err: unknown) => {
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
      const recorded = await record(client).catch((err: unknown) => {
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
      throw explainDestinationError(this.target, this.table, err);
    });
    try {
      const { rows } = await client.query<{ held: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held',
        [`durable-ingest lease\n${this.quoted}`],
      );
      if (rows[0].held) return async () => client.release(true); // closing the connection ends its lock
    } catch (err) {
      client.release(true);
      throw explainDestinationError(this.target, this.table, err);
    }
    client.release(true);
    return undefined;
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  /** Runs SQL of the caller's (e.g. `durable-ingest postgres init`) on one connection, errors explained. */
  async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      return await work(client);
    } catch (err) {
      throw explainDestinationError(this.target, this.table, err);
    } finally {
      client?.release();
    }
  }

  private async readLayout(): Promise<TableLayout> {
    const { rows } = await this.withClient((client) =>
      client.query<{ name: string; type: string }>(SQL.columns, [this.quoted]),
    );
    if (rows.length === 0) {
      throw new DestinationError(
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

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<{ commit: boolean; value: T }>): Promise<T> {
    try {
      return await inTransaction(this.pool, work);
    } catch (err) {
      throw err instanceof RecordFailure ? err.cause : explainDestinationError(this.target, this.table, err);
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
  const target = destinationTarget(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw explainDestinationError(target, '', err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * permissions_data, and the same inside metadata (and record_locator's permissions_capped, where the table has it);
 * $1 the record ids, $2 the permissions (null: none), $3 whether they were capped.
 */
function permissionsUpdate(table: string, layout: TableLayout): string {
  const capped = (json: string) =>
    `CASE WHEN $3 THEN jsonb_set(${json}, '{permissions_capped}', 'true') ELSE ${json} - 'permissions_capped' END`;
  const metadata = `jsonb_set(metadata, '{data_source}', coalesce(metadata->'data_source', '{}'::jsonb) - 'permissions_data'
      || CASE WHEN $2::jsonb IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('permissions_data', $2::jsonb) END)`;
  const withLocator = `CASE WHEN metadata->'data_source' ? 'record_locator'
      THEN jsonb_set(${metadata}, '{data_source,record_locator}', ${capped(`(${metadata})->'data_source'->'record_locator'`)})
      ELSE ${metadata} END`;
  const locator = layout.columns.has('record_locator')
    ? `, record_locator = CASE WHEN record_locator IS NULL THEN NULL ELSE (${capped('record_locator::jsonb')})::text END`
    : '';
  return `UPDATE ${table} SET permissions_data = $2::jsonb, metadata = ${withLocator}${locator}
    WHERE record_id = ANY($1::text[])`;
}
