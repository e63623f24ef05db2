// Credentials bound to their site, on a real dev server: a job that names a site, a partition endpoint or an embedding
// API the worker holds no credential for fails at once with NoCredentials, and that server never sees one. And a job
// starts on a cluster from a client that holds no secret at all: the worker process has them.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startIngest } from '../../src/client';
import { SiteSchema } from '../../src/pipeline/config';
import { NO_CREDENTIALS, WorkerCredentials } from '../../src/pipeline/credentials';
import { EmbeddingConfigSchema } from '../../src/steps/embed/config';
import { PartitionApiConfigSchema } from '../../src/steps/partition/apiConfig';
import { runCli } from '../support/cli';
import { causesOf } from '../support/errors';
import { outputFiles } from '../support/outputs';
import { startLocalServer, type LocalServer, type RecordedRequest } from '../fixtures/embedding/local-server';
import { jobFor, type Stack, startStack, tempDir } from '../support/stack';

const UNSTRUCTURED_KEY = 'unst-key-registered-elsewhere';

let stack: Stack;
/** Another origin: it records every request and refuses them all. */
let other: LocalServer;

const carriesCredential = (req: RecordedRequest) =>
  ['authorization', 'unstructured-api-key', 'api-key'].some((header) => header in req.headers);

beforeAll(async () => {
  [stack, other] = await Promise.all([
    startStack({ simulator: { seed: 11, spaces: 1, pagesPerSpace: 3 }, worker: 'none' }),
    startLocalServer(() => ({ status: 401, body: { message: 'no' } })),
  ]);
});
afterAll(async () => {
  await Promise.all([stack?.stop(), other?.close()]);
});

it('fails a run on a site the worker holds no credentials for, sending that site nothing', {
  timeout: 120_000,
}, async () => {
  const { sim } = stack;
  const site = SiteSchema.parse({ url: other.url, cloud: true, auth: 'api-token', username: sim.credentials.username });
  const job = jobFor(sim, tempDir('creds-site'), { site });
  const worker = await stack.createWorker();
  const started = Date.now();
  const err = await worker.runUntil(async () =>
    (await startIngest(stack.client, job)).result().catch((e: unknown) => e),
  );
  const root = causesOf(err).at(-1) as Error & { type?: string };
  expect(root.type).toBe(NO_CREDENTIALS);
  expect(root.message).toBe(
    `this worker holds no credentials for Confluence site ${other.url}/wiki; register it under "sites" in the worker's secrets file (--secrets-file), or start the worker with CONFLUENCE_URL=${other.url}/wiki for its CONFLUENCE_* variables`,
  );
  // Non-retryable: no backoff between attempts.
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(other.requests.filter(carriesCredential)).toEqual([]);
  expect(other.requests).toEqual([]);
});

it('fails the pages whose partition endpoint or embedding API has no registered key; neither endpoint sees a key', {
  timeout: 180_000,
}, async () => {
  const { sim } = stack;
  const dir = tempDir('creds-endpoints');
  const credentials = new WorkerCredentials({
    sites: { [sim.url]: { apiToken: sim.credentials.apiToken } },
    endpoints: { 'https://api.unstructuredapp.io': { apiKey: UNSTRUCTURED_KEY } },
  });
  const partitionJob = jobFor(sim, path.join(dir, 'partition'), {
    partitionByApi: PartitionApiConfigSchema.parse({ endpoint: `${other.url}/general/v0/general` }),
  });
  const embedJob = jobFor(sim, path.join(dir, 'embed'), {
    embedding: EmbeddingConfigSchema.parse({ provider: 'azure-openai', apiBase: other.url }),
  });
  const worker = await stack.createWorker({ deps: credentials.lookups() });
  const [partitioned, embedded] = await worker.runUntil(async () =>
    Promise.all([
      (await startIngest(stack.client, partitionJob)).result(),
      (await startIngest(stack.client, embedJob)).result(),
    ]),
  );
  expect(partitioned).toMatchObject({ listed: 3, done: 0, failed: 3 });
  expect(embedded).toMatchObject({ listed: 3, done: 0, failed: 3 });
  for (const failure of partitioned.failures) {
    expect(failure.reason).toContain(
      `this worker holds no API key for the Unstructured API at ${other.url}; register it under "endpoints" in the worker's secrets file (--secrets-file)`,
    );
  }
  for (const failure of embedded.failures)
    expect(failure.reason).toContain(`this worker holds no API key for the embedding API at ${other.url};`);
  expect(outputFiles(partitionJob.outputDir)).toHaveLength(0);
  expect(other.requests.filter(carriesCredential)).toEqual([]);
  expect(other.requests).toEqual([]);
});

it('starts a run on a cluster from a client with no secret; the worker process holds the token', {
  timeout: 180_000,
}, async () => {
  const { sim } = stack;
  stack.startWorkerProcess();
  const out = path.join(tempDir('creds-cli'), 'out');
  const site = ['--url', sim.url, '--cloud', '--username', sim.credentials.username];
  const cluster = ['--temporal-address', stack.address, '--output-dir', out];
  // No CONFLUENCE_* secret in the client's environment (runCli passes only PATH, HOME and TEMPORAL_CLI).
  const unsaid = await runCli(['confluence', ...site, ...cluster]);
  expect(unsaid.code).toBe(2);
  expect(unsaid.stderr.trim()).toBe(
    'durable-ingest: say how the workers sign in: give --auth api-token|password|pat|oauth',
  );

  const run = await runCli(['confluence', ...site, '--auth', 'api-token', ...cluster]);
  expect(run.stderr).toContain('3 of 3 pages ingested');
  expect(run.code).toBe(0);
  expect(outputFiles(out)).toHaveLength(3);

  // The same worker, asked for a site it holds nothing for: the run fails at once, saying what to register.
  const elsewhere = await runCli([
    'confluence',
    '--url',
    other.url,
    '--cloud',
    '--username',
    'me@example.com',
    '--auth',
    'api-token',
    ...cluster,
  ]);
  expect(elsewhere.code).toBe(2);
  expect(elsewhere.stderr).toContain(
    `this worker holds no credentials for Confluence site ${other.url}/wiki; register it under "sites"`,
  );
  expect(other.requests).toEqual([]);
});
