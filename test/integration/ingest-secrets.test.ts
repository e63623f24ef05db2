// Secrets stay in the worker: no history of an ingest holds a Confluence token or password, an Unstructured API key
// or an embedding API key, although every one of them was used, each from the worker's secrets file where it is
// registered for its own site or endpoint.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { startIngest } from '../../src/client';
import { loadSecretsFile, workerCredentials } from '../../src/cli/secretsFile';
import { IngestInputSchema } from '../../src/pipeline/config';
import { allHistoriesText } from '../support/history';
import { outputFiles } from '../support/outputs';
import { startLocalServer, type LocalServer, type RecordedRequest } from '../fixtures/embedding/local-server';
import { type Stack, startStack } from '../support/stack';

const UNSTRUCTURED_KEY = 'unst-key-5b1f0c2e9d';
const EMBEDDING_KEY = 'sk-embed-7a3c9e1b44';

let stack: Stack;
let cloud: RunningSimulator;
let dc: RunningSimulator;
let unstructuredApi: LocalServer;
let embeddingApi: LocalServer;

function partitionReply(req: RecordedRequest) {
  if (req.headers['unstructured-api-key'] !== UNSTRUCTURED_KEY) return { status: 401, body: { detail: 'bad key' } };
  return {
    status: 200,
    body: [
      {
        type: 'NarrativeText',
        element_id: 'e1',
        text: 'A paragraph the API found.',
        metadata: { filetype: 'text/html' },
      },
    ],
  };
}

function embeddingReply(req: RecordedRequest) {
  if (req.headers.authorization !== `Bearer ${EMBEDDING_KEY}`)
    return { status: 401, body: { error: { message: 'bad key' } } };
  const { input } = JSON.parse(req.body.toString('utf8')) as { input: string[] };
  return {
    status: 200,
    body: { data: input.map((_, index) => ({ object: 'embedding', index, embedding: [index, 1] })) },
  };
}

beforeAll(async () => {
  [stack, dc, unstructuredApi, embeddingApi] = await Promise.all([
    startStack({ simulator: { seed: 3, spaces: 2, pagesPerSpace: 5 }, worker: 'none' }),
    startSimulator({ seed: 4, spaces: 1, pagesPerSpace: 5, mode: 'dc' }),
    startLocalServer(partitionReply),
    startLocalServer(embeddingReply),
  ]);
  cloud = stack.sim;
});
afterAll(async () => {
  await Promise.all([stack?.stop(), dc?.close(), unstructuredApi?.close(), embeddingApi?.close()]);
});

it('keeps every secret out of every workflow history', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
  const cloudJob = IngestInputSchema.parse({
    site: { url: cloud.url, cloud: true, auth: 'api-token', username: cloud.credentials.username },
    outputDir: path.join(dir, 'cloud'),
    workDir: path.join(dir, 'work'),
    pageSize: 2,
    embedding: { provider: 'openai', apiBase: `${embeddingApi.url}/v1` },
  });
  const dcJob = IngestInputSchema.parse({
    site: { url: dc.url, cloud: false, auth: 'password', username: dc.credentials.username },
    outputDir: path.join(dir, 'dc'),
    workDir: path.join(dir, 'work'),
    partitionByApi: { endpoint: `${unstructuredApi.url}/general/v0/general` },
  });
  const secretsFile = path.join(dir, 'secrets.json');
  const registered = {
    sites: { [cloud.url]: { apiToken: cloud.credentials.apiToken }, [dc.url]: { password: dc.credentials.password } },
    endpoints: {
      [unstructuredApi.url]: { apiKey: UNSTRUCTURED_KEY },
      [`${embeddingApi.url}/v1`]: { apiKey: EMBEDDING_KEY },
    },
  };
  writeFileSync(secretsFile, JSON.stringify(registered), { mode: 0o600 });
  const credentials = workerCredentials({ env: {}, file: loadSecretsFile(secretsFile) });
  const worker = await stack.createWorker({ deps: credentials.lookups() });
  const [cloudResult, dcResult] = await worker.runUntil(async () =>
    Promise.all([
      (await startIngest(stack.client, cloudJob)).result(),
      (await startIngest(stack.client, dcJob)).result(),
    ]),
  );
  expect(cloudResult).toMatchObject({ done: 10, failed: 0 });
  expect(dcResult).toMatchObject({ done: 5, failed: 0 });
  expect(outputFiles(cloudJob.outputDir)).toHaveLength(10);
  expect(outputFiles(dcJob.outputDir)).toHaveLength(5);
  expect(unstructuredApi.requests).toHaveLength(5);
  expect(embeddingApi.requests.length).toBeGreaterThan(0);

  const { workflows, text } = await allHistoriesText(stack.client);
  expect(workflows).toBe(17);
  expect(text).toContain(cloud.credentials.username);
  for (const secret of [cloud.credentials.apiToken, dc.credentials.password, UNSTRUCTURED_KEY, EMBEDDING_KEY])
    expect(text).not.toContain(secret);
  for (const [user, secret] of [
    [cloud.credentials.username, cloud.credentials.apiToken],
    [dc.credentials.username, dc.credentials.password],
  ]) {
    expect(text).not.toContain(Buffer.from(`${user}:${secret}`).toString('base64'));
  }
});
