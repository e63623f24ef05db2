// `npm run bench:s3 -- [--pages N] [--elements E] [--dimensions D] [--in-flight C]`
// Pages per second the S3 destination writes, as the upload step writes them: each page one PUT of its elements' JSON
// and then its checkpoint record (SQLite, as the embedded default keeps it beside the report), C pages in flight,
// against moto's S3 server on this machine (path-style, as a compatible store): a measure of this side of the
// protocol, not of a remote store's latency. Pages are written twice (new, then replaced). Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCheckpoint } from '../src/checkpoint';
import { S3Bucket } from '../src/destinations/s3/bucket';
import { S3_TEST_CREDENTIALS, startS3 } from '../test/support/s3';
import { benchPage, benchSettings, writePass } from './support/destinationBench';

const settings = benchSettings(400);
const { pages: PAGES, elements: ELEMENTS, dimensions: DIMENSIONS, inFlight: IN_FLIGHT } = settings;

async function main(): Promise<void> {
  Object.assign(process.env, S3_TEST_CREDENTIALS);
  const s3 = await startS3();
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-s3-'));
  const checkpoint = openCheckpoint(path.join(dir, 'checkpoint.sqlite'));
  const bucket = new S3Bucket({ type: 's3', url: 's3://bench/elements', endpoint: s3.endpoint, pathStyle: true });
  try {
    await s3.createBucket('bench');
    await bucket.check();
    const newSeconds = await writePass(settings, bucket, checkpoint, 1);
    const replaceSeconds = await writePass(settings, bucket, checkpoint, 2);
    const bytes = Buffer.byteLength(JSON.stringify(benchPage(settings, 0, 1).elements, null, 2));
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
