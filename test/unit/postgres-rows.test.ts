// The PostgreSQL destination's pure parts: row ids as unstructured-ingest computes them (Python's uuid5), elements
// flattened into its columns, the table's DDL, the job's destination from flags, and which database URL a worker uses.
import { describe, expect, it } from 'vitest';
import { jobFromFlags } from '../../src/cli/flags';
import { ConfigError } from '../../src/core/configError';
import { recordIdOf } from '../../src/core/document';
import type { Element } from '../../src/core/elements';
import { DestinationSchema, destinationFromFlags } from '../../src/destinations/config';
import { destinationKey } from '../../src/destinations/identity';
import { createTableStatements, embeddingsColumnOf, quoteTable } from '../../src/destinations/postgres/layout';
import { elementRow, rowId } from '../../src/destinations/postgres/rows';
import { databaseUrlFor } from '../../src/pipeline/credentials';

describe('rowId', () => {
  it("is Python's uuid.uuid5(uuid.NAMESPACE_DNS, element_id + record_id)", () => {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, 'abc123'))" and so on.
    expect(rowId('abc', '123')).toBe('0b0af0c5-3144-5f0f-8eb3-7d284ff26bc5');
    expect(rowId('e1f0', '12345')).toBe('d98ee447-2bf4-56ca-84f8-d4cb02d4ad1b');
    expect(rowId('', '')).toBe('4ebd0208-8328-5d69-8c44-ec50939c0967');
    expect(rowId('ünïcode', '98')).toBe('f4b542da-b550-56c1-ae82-895a48dead85');
    expect(rowId('e1', 'p1')).toBe('f229dfb1-3b1e-5b4b-a3ca-e5fb4d39de19');
  });
});

describe('elementRow', () => {
  const permissions = [
    { read: { users: ['u1'], groups: ['g1'] } },
    { update: { users: [], groups: [] } },
    { delete: { users: [], groups: [] } },
  ] as const;
  const element: Element = {
    type: 'Title',
    element_id: 'abc',
    text: 'Hello',
    embeddings: [0.5, -0.25],
    metadata: {
      filename: '42.html',
      languages: ['eng'],
      page_number: 3,
      link_urls: ['https://x/1'],
      coordinates: { points: [[1, 2]], system: 'PixelSpace', layout_width: 10, layout_height: 20 },
      data_source: {
        url: 'https://site/wiki/42',
        version: '7',
        record_locator: { space_id: 'ENG', document_id: '42' },
        date_created: '2024-01-02T03:04:05.000Z',
        date_processed: '1700000000',
        permissions_data: permissions as never,
      },
    },
  };

  it("flattens the element's fields, metadata, data_source and coordinates into unstructured-ingest's columns", () => {
    const row = elementRow(element, '42', { kind: 'array' });
    expect(row).toMatchObject({
      id: rowId('abc', '42'),
      record_id: '42',
      element_id: 'abc',
      text: 'Hello',
      type: 'Title',
      embeddings: [0.5, -0.25],
      filename: '42.html',
      languages: ['eng'],
      page_number: '3',
      link_urls: ['https://x/1'],
      url: 'https://site/wiki/42',
      version: '7',
      record_locator: '{"space_id":"ENG","document_id":"42"}',
      points: '[[1,2]]',
      system: 'PixelSpace',
      layout_width: 10,
      date_created: '2024-01-02T03:04:05.000Z',
      date_processed: '2023-11-14T22:13:20.000Z',
      permissions_data: permissions,
      metadata: element.metadata,
    });
  });

  it("writes a vector column's value in pgvector's text form, and none for an element without vectors", () => {
    expect(elementRow(element, '42', { kind: 'vector', dimensions: 2 }).embeddings).toBe('[0.5,-0.25]');
    expect(elementRow({ ...element, embeddings: undefined }, '42', { kind: 'vector' }).embeddings).toBeNull();
  });
});

describe('the table', () => {
  it('quotes every identifier of a possibly schema-qualified name', () => {
    expect(quoteTable('rag.elements')).toBe('"rag"."elements"');
    expect(quoteTable('elements')).toBe('"elements"');
  });

  it('makes vector(n) with an HNSW index when asked for dimensions, real[] without', () => {
    const [create, ...indexes] = createTableStatements({ table: 'rag.elements', vectorDimensions: 384 });
    expect(create).toMatch(/^CREATE TABLE IF NOT EXISTS "rag"\."elements" \(/);
    expect(create).toContain('embeddings vector(384)');
    expect(create).toContain('permissions_data JSONB');
    expect(create).toContain('record_id VARCHAR NOT NULL');
    expect(indexes.join('\n')).toContain('USING hnsw (embeddings vector_cosine_ops)');
    const plain = createTableStatements({ table: 'elements' });
    expect(plain[0]).toContain('embeddings REAL[]');
    expect(plain.join('\n')).not.toContain('hnsw');
  });

  it('reads how a table stores embeddings from its column type', () => {
    expect(embeddingsColumnOf('vector(384)')).toEqual({ kind: 'vector', dimensions: 384 });
    expect(embeddingsColumnOf('vector')).toEqual({ kind: 'vector', dimensions: undefined });
    expect(embeddingsColumnOf('real[]')).toEqual({ kind: 'array' });
    expect(embeddingsColumnOf('numeric[]')).toEqual({ kind: 'array' });
    expect(embeddingsColumnOf('text')).toEqual({ kind: 'text' });
  });
});

describe('record ids', () => {
  it('are the page id for a page, and the page id and file name for a file it carries', () => {
    expect(recordIdOf({ identifier: '42' })).toBe('42');
    expect(recordIdOf({ identifier: '42', carriedName: 'report.pdf' })).toBe('42/report.pdf');
  });
});

describe('the destination of a job', () => {
  it('names the database without its password', () => {
    const { destination } = destinationFromFlags({
      destination: 'postgres',
      databaseUrl: 'postgresql://ingest:s3cret@db:5433/rag',
      table: 'rag.elements',
    });
    expect(destination).toEqual({
      type: 'postgres',
      database: 'postgresql://ingest@db:5433/rag',
      table: 'rag.elements',
    });
    expect(JSON.stringify(destination)).not.toContain('s3cret');
  });

  it('comes from the flags of a job for a cluster (confluence, schedule create) without the password', () => {
    const { input } = jobFromFlags(
      {
        url: 'https://x.atlassian.net',
        cloud: true,
        username: 'me@example.com',
        auth: 'api-token',
        outputDir: 'out',
        workDir: 'work',
        destination: 'postgres',
        databaseUrl: 'postgresql://ingest:s3cret@db/rag',
      },
      { workersHoldSecrets: true },
      {},
    );
    expect(input.destination).toEqual({
      type: 'postgres',
      database: 'postgresql://ingest@db:5432/rag',
      table: 'elements',
    });
    expect(JSON.stringify(input)).not.toContain('s3cret');
  });

  it('refuses a job that carries a password, and a table name that is not one', () => {
    expect(
      DestinationSchema.safeParse({ type: 'postgres', database: 'postgresql://ingest:s3cret@db/rag' }).success,
    ).toBe(false);
    expect(
      DestinationSchema.safeParse({ type: 'postgres', database: 'postgresql://ingest@db/rag?password=x' }).success,
    ).toBe(false);
    expect(() =>
      destinationFromFlags({ destination: 'postgres', databaseUrl: 'postgresql://u@db/rag', table: 'x; drop table y' }),
    ).toThrow(ConfigError);
    expect(() => destinationFromFlags({ table: 'elements' })).toThrow('--table is for --destination postgres');
  });

  it('is one destination per database and table, whoever writes it', () => {
    const a = destinationKey('out', { type: 'postgres', database: 'postgresql://a@db:5432/rag', table: 'elements' });
    const b = destinationKey('other', { type: 'postgres', database: 'postgresql://b@db:5432/rag', table: 'elements' });
    expect(a).toBe(b);
    expect(destinationKey('out', { type: 'local' })).toBe('out');
  });
});

describe('the database URL a worker uses', () => {
  const destination = { type: 'postgres' as const, database: 'postgresql://ingest@db:5432/rag', table: 'elements' };

  it("is the worker's own for the same host, port and database", () => {
    expect(databaseUrlFor('postgresql://ingest:pw@db:5432/rag', destination)).toBe(
      'postgresql://ingest:pw@db:5432/rag',
    );
  });

  it('fails the job (NoCredentials, naming no password) for another database or none', () => {
    expect(() => databaseUrlFor('postgresql://ingest:pw@other:5432/rag', destination)).toThrow(
      /holds no database URL for db:5432\/rag; it holds one for other:5432\/rag/,
    );
    expect(() => databaseUrlFor(undefined, destination)).toThrow(/start it with --database-url/);
    try {
      databaseUrlFor('postgresql://ingest:pw@other:5432/rag', destination);
    } catch (err) {
      expect((err as Error).message).not.toContain('pw@');
      expect((err as { type?: string }).type).toBe('NoCredentials');
    }
  });
});
