// The S3 destination against a real S3 protocol server (moto, path-style, as MinIO is addressed): an ingest writes
// exactly the objects and elements the local destination writes, at the same relative paths under the prefix, with
// its checkpoint beside the report (never in the bucket); a re-run writes nothing; an edit replaces exactly that
// page's object; --delete-missing removes a vanished page's objects; a worker SIGKILLed mid-run leaves no page
// half-written and none twice once another worker finishes the run; and a bucket the credentials cannot write is one
// line at start, exit code 2, with nothing fetched or written.
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../src/checkpoint';
import { startIngest } from '../../src/client';
import type { Element } from '../../src/core/elements';
import { s3CheckpointLocation } from '../../src/pipeline/activities/destinations';
import type { IngestInput } from '../../src/pipeline/config';
import type { S3Destination } from '../../src/destinations/s3/config';
import { runCli } from '../support/cli';
import { allHistoriesText } from '../support/history';
import { comparableMetadata, outputFiles, readJson, walk } from '../support/outputs';
import { S3_TEST_CREDENTIALS, startS3, type TestS3 } from '../support/s3';
import { ingestThroughKill, jobFor, type Stack, startStack, tempDir } from '../support/stack';

const BUCKET = 'rag';
const PREFIX = 'confluence/prod';
/** Moto takes any key; this one is the secret the job and its histories must never hold. */
const SECRET = 'secret-of-the-s3-test-worker';

let s3: TestS3;
let stack: Stack;
let work: string;

beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket(BUCKET);
  // The in-process worker takes its credentials where any worker does: its environment.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET,
  });
  stack = await startStack({ simulator: { seed: 11, spaces: 2, pagesPerSpace: 3 } });
  work = tempDir('s3-destination');
});
afterAll(async () => {
  await stack?.stop();
  await s3?.stop();
});

const s3Destination = (prefix = PREFIX) =>
  ({ type: 's3', url: `s3://${BUCKET}/${prefix}`, endpoint: s3.endpoint, pathStyle: true }) as const;

function job(overrides: Partial<IngestInput> = {}): IngestInput {
  return jobFor(stack.sim, work, { maxInFlight: 4, destination: s3Destination(), ...overrides });
}
const localJob = (overrides: Partial<IngestInput> = {}) =>
  job({ destination: { type: 'local' }, outputDir: path.join(work, 'local'), ...overrides });
const run = async (input: IngestInput) => (await startIngest(stack.client, input)).result();

/** Every object under the prefix, by its key relative to it. */
async function keys(prefix = PREFIX): Promise<string[]> {
  const found: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}/`, ContinuationToken: token }),
    );
    found.push(...(page.Contents ?? []).map((o) => (o.Key ?? '').slice(prefix.length + 1)));
    token = page.NextContinuationToken;
  } while (token);
  return found.sort();
}

async function elementsAt(key: string, prefix = PREFIX): Promise<Element[]> {
  const object = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${prefix}/${key}` }));
  return JSON.parse(await (object.Body?.transformToString('utf8') ?? '')) as Element[];
}

/**
 * Puts each object back unchanged but marked (user metadata): an object the next run writes loses the mark, so what
 * the run wrote is seen exactly, whatever the clock's resolution.
 */
async function markAll(): Promise<void> {
  for (const key of await keys()) {
    const body = JSON.stringify(await elementsAt(key), null, 2);
    await s3.client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${key}`, Body: body, Metadata: { mark: 'before' } }),
    );
  }
}
async function unmarked(): Promise<string[]> {
  const found: string[] = [];
  for (const key of await keys()) {
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${key}` }));
    if (head.Metadata?.mark !== 'before') found.push(key);
  }
  return found;
}

/** Elements as compared across the two runs. */
function comparable(elements: Element[]): unknown {
  return elements.map(({ metadata, ...element }) => ({ ...element, metadata: comparableMetadata(metadata) }));
}

describe('the S3 destination', () => {
  it('writes the objects the local destination writes as files: same paths under the prefix, same elements', async () => {
    const [localResult, s3Result] = [await run(localJob()), await run(job())];
    expect(localResult).toMatchObject({ done: 6, failed: 0 });
    expect(s3Result).toMatchObject({ done: 6, failed: 0 });

    const local = localJob().outputDir;
    const files = outputFiles(local).sort();
    expect(files).toHaveLength(6);
    expect(await keys()).toEqual(files);
    for (const file of files) {
      const elements = readJson<Element[]>(path.join(local, file));
      const stored = await elementsAt(file);
      expect(stored.length, file).toBe(elements.length);
      expect(comparable(stored), file).toEqual(comparable(elements));
    }
    // The checkpoint and the report stay in the output dir; the bucket holds elements only.
    expect(walk(job().outputDir).filter((f) => f.startsWith('.checkpoint-s3-') && f.endsWith('.sqlite'))).toHaveLength(
      1,
    );
    expect(outputFiles(job().outputDir)).toEqual([]);
  });

  it('a worker SIGKILLed mid-run leaves every page whole and once: the objects the local ingest wrote', async () => {
    const killed = job({
      destination: s3Destination('killed'),
      outputDir: path.join(work, 'killed'),
      maxInFlight: 2,
      activityTimeoutSeconds: 10,
    });
    const checkpoint = () =>
      openCheckpoint(s3CheckpointLocation(killed.outputDir, killed.destination as S3Destination).file);
    // Slow answers keep pages at every step when the worker dies, whatever the machine's speed.
    stack.sim.setFaults({ latencyMs: 150 });
    const { result, whileDown: recordedAtKill } = await ingestThroughKill(stack, killed, {
      taskQueue: 's3-killed',
      killAfter: 2,
      whileDown: async () => {
        const store = checkpoint();
        return store.count(killed.site.url).finally(() => store.close());
      },
    }).finally(() => stack.sim.setFaults({ latencyMs: 0 }));
    expect(recordedAtKill).toBeLessThan(6);
    expect(result).toMatchObject({ done: 6, failed: 0 });

    const local = localJob().outputDir;
    const files = outputFiles(local).sort();
    expect(await keys('killed')).toEqual(files);
    // Which worker partitioned a page shows only in file_directory: its own scratch folder.
    const anyWorker = (elements: Element[]) =>
      comparable(elements.map((e) => ({ ...e, metadata: { ...e.metadata, file_directory: undefined } })));
    for (const file of files)
      expect(anyWorker(await elementsAt(file, 'killed')), file).toEqual(
        anyWorker(readJson<Element[]>(path.join(local, file))),
      );
    const store = checkpoint();
    expect(await store.count(killed.site.url).finally(() => store.close())).toBe(6);
  });

  it('a re-run writes nothing', async () => {
    await markAll();
    expect(await run(job())).toMatchObject({ done: 0, skipped: 6, failed: 0 });
    expect(await unmarked()).toEqual([]);
  });

  it("an edit replaces exactly that page's object", async () => {
    await markAll();
    const edited = stack.sim.site.pages[0];
    stack.sim.site.editPage(edited.id, { title: 'Renamed for the S3 test' });
    expect(await run(job())).toMatchObject({ done: 1, skipped: 5, failed: 0 });
    expect(await run(localJob())).toMatchObject({ done: 1, skipped: 5, failed: 0 });

    const [key] = await unmarked();
    expect(await unmarked()).toEqual([key]);
    expect(key.endsWith(`/${edited.id}.html.json`), key).toBe(true);
    const stored = await elementsAt(key);
    expect(stored.map((e) => e.text)).toContain('Renamed for the S3 test');
    expect(comparable(stored)).toEqual(comparable(readJson<Element[]>(path.join(localJob().outputDir, key))));
  });

  it('--delete-missing removes the objects of a page gone from the source', async () => {
    const gone = stack.sim.site.pages[stack.sim.site.pages.length - 1];
    stack.sim.site.deletePage(gone.id);
    const result = await run(job({ deleteMissing: true }));
    expect(result.missingCount).toBe(1);
    const left = await keys();
    expect(left.filter((k) => k.includes(gone.id))).toEqual([]);
    expect(left).toHaveLength(5);
  });
});

it("writes a page's extracted files and comments beside it, as the local output has them", async () => {
  const extract = { files: true, includeAttachments: true, comments: true, downloadDir: path.join(work, 'downloads') };
  const withFiles = { extract: extract as IngestInput['extract'], reprocess: true };
  const prefix = 'with-files';
  expect(await run(job({ ...withFiles, destination: s3Destination(prefix) }))).toMatchObject({ failed: 0 });
  const local = path.join(work, 'local-files');
  expect(await run(localJob({ ...withFiles, outputDir: local }))).toMatchObject({ failed: 0 });

  const files = outputFiles(local).sort();
  expect(files.filter((f) => f.endsWith('/comments.json')).length).toBeGreaterThan(0);
  expect(files.filter((f) => f.split('/').length === 3 && !f.endsWith('/comments.json')).length).toBeGreaterThan(0);
  expect(await keys(prefix)).toEqual(files);
  for (const file of files)
    expect((await elementsAt(file, prefix)).length, file).toBe(readJson<Element[]>(path.join(local, file)).length);
});

it('keeps the S3 credentials out of every workflow history (the job names bucket and endpoint only)', async () => {
  const { workflows, text } = await allHistoriesText(stack.client);
  expect(workflows).toBeGreaterThan(10);
  expect(text).toContain(`s3://${BUCKET}/${PREFIX}`);
  expect(text).not.toContain(SECRET);
});

describe('bad input: one line at start, exit code 2, nothing fetched or written', () => {
  const ingest = (extra: string[]) =>
    runCli(
      [
        'confluence',
        '--cloud',
        '--output-dir',
        path.join(work, 'cli-out'),
        '--work-dir',
        path.join(work, 'cli-work'),
        '--destination',
        's3',
        '--s3-endpoint',
        s3.endpoint,
        '--s3-path-style',
        ...extra,
      ],
      {
        CONFLUENCE_URL: stack.sim.url,
        CONFLUENCE_USERNAME: stack.sim.credentials.username,
        CONFLUENCE_API_TOKEN: stack.sim.credentials.apiToken,
        AWS_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRET,
      },
    );

  /** `refuseKeys`: the store refuses every key during the run (the test's own checks sign with one too). */
  async function expectRefused(extra: string[], message: RegExp, refuseKeys = false) {
    const before = await keys();
    const bodies = stack.sim.stats.pageBodyRequests.size;
    if (refuseKeys) await s3.refuseUnknownKeys(true);
    const result = await ingest(extra).finally(() => refuseKeys && s3.refuseUnknownKeys(false));
    expect(result.code, result.stderr).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toContain(SECRET);
    expect(stack.sim.stats.pageBodyRequests.size).toBe(bodies);
    expect(await keys()).toEqual(before);
    expect(outputFiles(path.join(work, 'cli-out'))).toEqual([]);
  }

  it('credentials the store does not know', () =>
    expectRefused(
      ['--s3-url', `s3://${BUCKET}/${PREFIX}`],
      /refused the worker's S3 credentials \(HTTP 403\): fix AWS_ACCESS_KEY_ID \/ AWS_SECRET_ACCESS_KEY/,
      true,
    ));

  it('a bucket that does not exist', () =>
    expectRefused(
      ['--s3-url', 's3://nowhere/x'],
      /s3:\/\/nowhere\/x\/ at http:\/\/127\.0\.0\.1:\d+: the bucket does not exist/,
    ));

  it('a store that does not answer', () =>
    expectRefused(
      ['--s3-url', `s3://${BUCKET}/x`, '--s3-endpoint', 'http://127.0.0.1:9'],
      /cannot reach S3 for s3:\/\/rag\/x\/ at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/,
    ));

  it('no --s3-url, or one that is not s3://', async () => {
    await expectRefused([], /^durable-ingest: --destination s3 needs the bucket: give --s3-url/);
    await expectRefused(
      ['--s3-url', `https://${BUCKET}.s3.amazonaws.com/x`],
      /^durable-ingest: --s3-url must be s3:\/\/bucket\/prefix/,
    );
  });
});
