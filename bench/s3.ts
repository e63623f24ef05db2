// `npm run bench:s3 -- [--pages N] [--elements E] [--dimensions D] [--in-flight C]`
// Pages per second the S3 destination writes, as the upload step writes them: each page one PUT of its elements' JSON
// and then its checkpoint record (SQLite, as the embedded default keeps it beside the report), C pages in flight,
// against moto's S3 server on this machine (path-style, as a compatible store): a measure of this side of the
// protocol, not of a remote store's latency. Pages are written twice (new, then replaced). Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type CheckpointStore, openCheckpoint } from '../src/checkpoint';
import type { DocumentRecord } from '../src/core/document';
import type { Element } from '../src/core/elements';
import { S3Bucket } from '../src/destinations/s3/bucket';
import { S3_TEST_CREDENTIALS, startS3 } from '../test/support/s3';

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

function page(id: number, version: number): { document: DocumentRecord; elements: Element[] } {
  const dataSource = {
    url: `${SITE}/wiki/${id}`,
    version: String(version),
    record_locator: { space_id: 'BENCH', document_id: String(id) },
    date_processed: new Date().toISOString(),
  };
  const elements = Array.from({ length: ELEMENTS }, (_, i) => ({
    type: i === 0 ? 'Title' : 'NarrativeText',
    element_id: `${id}-${version}-${i}`,
    text: `Element ${i} of page ${id}: ${'lorem ipsum dolor sit amet '.repeat(8)}`,
    metadata: { filename: `${id}.html`, filetype: 'text/html', languages: ['eng'], data_source: dataSource },
    embeddings: Array.from({ length: DIMENSIONS }, (_, k) => Math.sin(id + i + k)),
  }));
  const document = {
    identifier: String(id),
    version,
    displayName: `Page ${id}`,
    collection: 'BENCH',
    sourceIdentifiers: { filename: `${id}.html`, relativePath: `BENCH/${id}.html` },
    metadata: dataSource,
    content: { path: '' },
    mediaType: 'text/html',
  } as DocumentRecord;
  return { document, elements: elements as Element[] };
}

async function pass(bucket: S3Bucket, checkpoint: CheckpointStore, version: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < PAGES) {
        const { document, elements } = page(next++, version);
        await bucket.writePage(document, elements, (stored) =>
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
  Object.assign(process.env, S3_TEST_CREDENTIALS);
  const s3 = await startS3();
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-s3-'));
  const checkpoint = openCheckpoint(path.join(dir, 'checkpoint.sqlite'));
  const bucket = new S3Bucket({ type: 's3', url: 's3://bench/elements', endpoint: s3.endpoint, pathStyle: true });
  try {
    await s3.createBucket('bench');
    await bucket.check();
    const newSeconds = await pass(bucket, checkpoint, 1);
    const replaceSeconds = await pass(bucket, checkpoint, 2);
    const bytes = Buffer.byteLength(JSON.stringify(page(0, 1).elements, null, 2));
    console.log(
      JSON.stringify({
        pages: PAGES,
        elementsPerPage: ELEMENTS,
        dimensions: DIMENSIONS,
        inFlight: IN_FLIGHT,
        objectBytes: bytes,
        newPagesPerSecond: Math.round(PAGES / newSeconds),
        replacePagesPerSecond: Math.round(PAGES / replaceSeconds),
        newMegabytesPerSecond: Number(((PAGES * bytes) / newSeconds / 1e6).toFixed(1)),
      }),
    );
  } finally {
    bucket.close();
    await checkpoint.close();
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
