// `npm run bench:opensearch -- [--pages N] [--elements E] [--dimensions D] [--in-flight C]`
// Documents per second the OpenSearch destination writes, as the upload step writes them: each page one bulk request,
// a refresh, the delete of its documents no longer there (shown by the index's own refresh), then its checkpoint
// record (SQLite, as a run without --checkpoint-url keeps it), C pages in flight, into an index made by `opensearch
// init` on a single node from Maven's jars (test/support/opensearch.ts). Pages are written twice: the first pass indexes, the second
// replaces every page's documents (a re-ingest of changed pages). Prints one JSON line.
import path from 'node:path';
import { openCheckpoint } from '../src/checkpoint';
import { initIndex } from '../src/destinations/opensearch/init';
import { OpenSearchIndex } from '../src/destinations/opensearch/openSearchIndex';
import { startOpenSearch } from '../test/support/opensearch';
import { tempDir } from '../test/support/stack';
import { benchSettings, writePass } from './support/destinationBench';

const settings = benchSettings(200);
const { pages: PAGES, elements: ELEMENTS, dimensions: DIMENSIONS, inFlight: IN_FLIGHT } = settings;

async function main(): Promise<void> {
  const node = await startOpenSearch();
  const checkpoint = openCheckpoint(path.join(tempDir('bench-opensearch'), 'checkpoint.sqlite'));
  try {
    const index = new OpenSearchIndex(node.url, 'elements');
    const init = await initIndex(index, DIMENSIONS);
    const insertSeconds = await writePass(settings, index, checkpoint, 1);
    const replaceSeconds = await writePass(settings, index, checkpoint, 2);
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
