// `npm run bench:opensearch -- [--pages N] [--elements E] [--dimensions D] [--in-flight C]`
// Documents per second the OpenSearch destination writes, as the upload step writes them: each page one bulk request,
// a refresh, the delete of its documents no longer there (shown by the index's own refresh), then its checkpoint
// record (SQLite, as a run without --checkpoint-url keeps it), C pages in flight, into an index made by `opensearch
// init` on a single node from Maven's jars (test/support/opensearch.ts). Pages are written twice: the first pass indexes, the second
// replaces every page's documents (a re-ingest of changed pages). Prints one JSON line.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openCheckpoint } from '../src/checkpoint';
import type { CheckpointStore } from '../src/checkpoint';
import type { DocumentRecord } from '../src/core/document';
import type { Element } from '../src/core/elements';
import { initIndex } from '../src/destinations/opensearch/init';
import { OpenSearchIndex } from '../src/destinations/opensearch/openSearchIndex';
import { startOpenSearch } from '../test/support/opensearch';
import { tempDir } from '../test/support/stack';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '200' },
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

async function pass(index: OpenSearchIndex, checkpoint: CheckpointStore, version: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < PAGES) {
        const { document, elements } = page(next++, version);
        await index.writePage(document, elements, (stored) =>
          checkpoint.commit({
            site: SITE,
            id: document.identifier,
            version,
            spaceKey: 'BENCH',
            title: document.displayName,
            outputPaths: [stored.location],
            digest: stored.digest,
            runId: 'bench',
          }),
        );
      }
    }),
  );
  return (performance.now() - start) / 1000;
}

async function main(): Promise<void> {
  const node = await startOpenSearch();
  const checkpoint = openCheckpoint(path.join(tempDir('bench-opensearch'), 'checkpoint.sqlite'));
  try {
    const index = new OpenSearchIndex(node.url, 'elements');
    const init = await initIndex(index, DIMENSIONS);
    const insertSeconds = await pass(index, checkpoint, 1);
    const replaceSeconds = await pass(index, checkpoint, 2);
    const documents = PAGES * ELEMENTS;
    console.log(
      JSON.stringify({
        pages: PAGES,
        elementsPerPage: ELEMENTS,
        dimensions: DIMENSIONS,
        inFlight: IN_FLIGHT,
        embeddings: init.embeddings,
        documents,
        indexDocumentsPerSecond: Math.round(documents / insertSeconds),
        indexPagesPerSecond: Math.round(PAGES / insertSeconds),
        replaceDocumentsPerSecond: Math.round(documents / replaceSeconds),
        replacePagesPerSecond: Math.round(PAGES / replaceSeconds),
      }),
    );
  } finally {
    await checkpoint.close();
    await node.stop();
  }
}

void main();
