// `durable-ingest postgres init`: creates the elements table with its indexes. With --dimensions and pgvector on the
// server, embeddings are vector(n) with an HNSW index (cosine); without pgvector they are real[], and the note says
// what that costs. A table that exists already is left as it is.
import { createTableStatements } from './layout';
import type { PostgresTable } from './table';

export interface InitResult {
  created: boolean;
  /** How the table stores embeddings: vector(384), real[]... */
  embeddings: string;
  /** Why the table is not what was asked, when it is not. */
  note?: string;
}

const VECTOR_AVAILABLE = `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available`;

export async function initTable(table: PostgresTable, dimensions?: number): Promise<InitResult> {
  const existing = await table.inspect().catch(() => undefined);
  if (existing) {
    return {
      created: false,
      embeddings: existing.embeddingsType ?? 'no embeddings column',
      note: `${table.describe()} exists already; it was left as it is`,
    };
  }
  const vector = await table.withClient(async (client) => {
    const available =
      dimensions !== undefined && (await client.query<{ available: boolean }>(VECTOR_AVAILABLE)).rows[0].available;
    await client.query('BEGIN');
    try {
      if (available) await client.query('CREATE EXTENSION IF NOT EXISTS vector');
      for (const statement of createTableStatements({
        table: table.table,
        vectorDimensions: available ? dimensions : undefined,
      }))
        await client.query(statement);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    return available;
  });
  if (vector) return { created: true, embeddings: `vector(${dimensions})` };
  const note =
    dimensions === undefined
      ? 'no --dimensions given: embeddings are stored as real[] (no vector index)'
      : 'the pgvector extension is not available on this server: embeddings are stored as real[], without a vector index or the <=> operator; install pgvector and create the table again for vector search';
  return { created: true, embeddings: 'real[]', note };
}
