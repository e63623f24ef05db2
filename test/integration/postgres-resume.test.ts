// A worker writing the PostgreSQL destination is SIGKILLed mid-run, another takes over, and the run completes with
// no duplicate and no partial page: each page's rows are exactly its elements, as the local destination writes them,
// and each page is recorded once in the checkpoint beside them.
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startIngest } from '../../src/client';
import type { Element } from '../../src/core/elements';
import { initTable } from '../../src/destinations/postgres/init';
import { PostgresTable } from '../../src/destinations/postgres/table';
import { outputFiles, readJson } from '../support/outputs';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { jobFor, killHard, type Stack, startStack, tempDir, waitForDone } from '../support/stack';

const PAGES = 60;

let server: TestPostgres;
let databaseUrl: string;
let stack: Stack;

beforeAll(async () => {
  server = await startPostgres();
  databaseUrl = await server.createDatabase('rag');
  const table = new PostgresTable(databaseUrl, 'elements');
  try {
    await initTable(table);
  } finally {
    await table.close();
  }
  stack = await startStack({
    simulator: { seed: 5, spaces: 2, pagesPerSpace: PAGES / 2, faults: { latencyMs: 20 } },
    worker: 'none',
  });
});
afterAll(async () => {
  await stack?.stop();
  await server?.stop();
});

it('a SIGKILL mid-run and a resume leave no duplicate and no partial page', { timeout: 300_000 }, async () => {
  const work = tempDir('pg-resume');
  const destination = {
    type: 'postgres' as const,
    database: `postgresql://postgres@127.0.0.1:${server.port}/rag`,
    table: 'elements',
  };
  const job = jobFor(stack.sim, work, { destination, activityTimeoutSeconds: 10, maxInFlight: 8 });
  const env = { DURABLE_INGEST_DATABASE_URL: databaseUrl };
  let worker = stack.startWorkerProcess({ env });
  const handle = await startIngest(stack.client, job);
  try {
    await waitForDone(handle, 15);
    await killHard(worker);
    worker = stack.startWorkerProcess({ env });
    const result = await handle.result();
    expect(result).toMatchObject({ done: PAGES, failed: 0 });
    // The outputs to compare with: the same pages written by the local destination.
    const local = jobFor(stack.sim, work, { outputDir: path.join(work, 'local') });
    expect(await (await startIngest(stack.client, local)).result()).toMatchObject({ done: PAGES, failed: 0 });
  } finally {
    await killHard(worker);
  }

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const counts = await db.query<{ record_id: string; n: string; ids: string }>(
      'SELECT record_id, count(*) AS n, count(DISTINCT id) AS ids FROM elements GROUP BY record_id',
    );
    const rowsPerPage = new Map(counts.rows.map((r) => [r.record_id, Number(r.n)]));
    for (const r of counts.rows) expect(Number(r.ids)).toBe(Number(r.n));
    const outputDir = path.join(work, 'local');
    const expected = new Map(
      outputFiles(outputDir).map((f) => [
        path.basename(f, '.html.json'),
        readJson<Element[]>(path.join(outputDir, f)).length,
      ]),
    );
    expect(expected.size).toBe(PAGES);
    expect(rowsPerPage).toEqual(expected);
    const recorded = await db.query<{ n: string; pages: string }>(
      `SELECT count(*) AS n, count(DISTINCT page_id) AS pages FROM checkpoint_pages WHERE scope = 'table:elements'`,
    );
    expect(recorded.rows[0]).toEqual({ n: String(PAGES), pages: String(PAGES) });
  } finally {
    await db.end();
  }
});
