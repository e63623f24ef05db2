// With a key file, what the Temporal server stores of an ingest is ciphertext, and the codec reads it back.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, WorkflowFailedError } from '@temporalio/client';
import type { DataConverter, Payload } from '@temporalio/common';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startIngest } from '../../src/client';
import { IngestInputSchema, type IngestInput } from '../../src/pipeline/config';
import type { RunningSimulator } from '../../simulator';
import { startCodecServer } from '../../src/temporal/codecServer';
import { ENCRYPTED_ENCODING, type EncryptionCodec } from '../../src/temporal/codec';
import { dataConverterFor } from '../../src/temporal/dataConverter';
import type { DevServer } from '../../src/temporal/devServer';
import { DEFAULT_TASK_QUEUE } from '../../src/worker';
import { type Stack, startStack } from '../support/stack';
import { allExecutions, allHistoriesText } from '../support/history';
import { outputFiles } from '../support/outputs';
import { causesOf } from '../support/errors';

let stack: Stack;
let sim: RunningSimulator;
let server: DevServer;
let converter: DataConverter;
let encrypting: Client;
const dir = mkdtempSync(path.join(os.tmpdir(), 'codec-ingest-'));

beforeAll(async () => {
  const keyFile = path.join(dir, 'key.json');
  writeFileSync(keyFile, JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } }));
  chmodSync(keyFile, 0o600);
  converter = dataConverterFor(keyFile);
  stack = await startStack({
    simulator: { seed: 11, spaces: 2, pagesPerSpace: 3 },
    worker: 'in-process',
    workerOptions: { dataConverter: converter },
  });
  ({ sim, server } = stack);
  encrypting = new Client({ connection: server.client.connection, dataConverter: converter });
});
afterAll(() => stack?.stop());

interface FoundPayload {
  path: string;
  payload: Payload;
}

/** Every Payload in a raw (undecoded) history: the objects whose `metadata.encoding` is bytes. */
function payloadsIn(value: unknown, at: string, out: FoundPayload[]): FoundPayload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return out;
  const record = value as Record<string, unknown>;
  const metadata = record.metadata as Record<string, unknown> | undefined;
  if (metadata?.encoding instanceof Uint8Array) out.push({ path: at, payload: record as Payload });
  else for (const [key, v] of Object.entries(record)) payloadsIn(v, `${at}.${key}`, out);
  return out;
}

/** Every payload the server stored, found through a client without the codec. */
async function rawPayloads(): Promise<FoundPayload[]> {
  const payloads: FoundPayload[] = [];
  for await (const info of allExecutions(server.client)) {
    payloadsIn(
      await server.client.workflow.getHandle(info.workflowId, info.runId).fetchHistory(),
      info.workflowId,
      payloads,
    );
  }
  return payloads;
}

/** The workflow input payload of `temporal workflow show --output json` (bytes are base64 there). */
function startInput(showJson: string): { encoding: string; data: string } {
  const history = JSON.parse(showJson) as {
    events: {
      workflowExecutionStartedEventAttributes?: {
        input: { payloads: { metadata: { encoding: string }; data: string }[] };
      };
    }[];
  };
  const [payload] = history.events[0].workflowExecutionStartedEventAttributes!.input.payloads;
  const text = (b64: string) => Buffer.from(b64, 'base64').toString('latin1');
  return { encoding: text(payload.metadata.encoding), data: text(payload.data) };
}

function input(name: string): IngestInput {
  return IngestInputSchema.parse({
    site: { url: sim.url, cloud: true, auth: 'api-token', username: sim.credentials.username },
    outputDir: path.join(dir, name, 'out-marker-7f3a'),
    workDir: path.join(dir, name, 'work'),
  });
}

it('stores only ciphertext (titles, input, results) and the codec recovers the page titles', async () => {
  const ingest = input('ok');
  const result = await (await startIngest(encrypting, ingest)).result();
  expect(result.done).toBe(6);
  expect(outputFiles(ingest.outputDir)).toHaveLength(6);

  const titles = sim.site.pages.map((p) => p.title);
  expect(titles).toHaveLength(6);
  const { text } = await allHistoriesText(server.client);
  for (const title of titles) expect(text).not.toContain(title);
  expect(text).not.toContain('out-marker-7f3a');

  // Search attributes are indexed by the server and so never pass through a codec, nor does the bookkeeping the SDK's
  // core writes into markers (a local activity's `details.data`: sequence number, activity type, attempt, times; a
  // patch's `details.patch-data`: the patch's name, which the code gives). The step's result beside it
  // (`details.result`) and everything else must be sealed.
  const bookkeeping = (path: string) =>
    path.includes('searchAttributes') || /markerRecordedEventAttributes\.details\.(data|patch-data)\./.test(path);
  const coded = (await rawPayloads()).filter((p) => !bookkeeping(p.path));
  expect(
    coded.filter((p) => p.path.includes('markerRecordedEventAttributes.details.result')).length,
  ).toBeGreaterThanOrEqual(6);
  expect(coded.length).toBeGreaterThan(20);
  const unsealed = coded.filter((p) => Buffer.from(p.payload.metadata!.encoding!).toString() !== ENCRYPTED_ENCODING);
  expect(unsealed.map((p) => p.path)).toEqual([]);

  const decoded = await converter.payloadCodecs![0].decode(coded.map((p) => p.payload));
  const plainText = decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
  for (const title of titles) expect(plainText).toContain(title);
  expect(plainText).toContain('out-marker-7f3a');
});

it('encodes failure messages too, and a client with the key reads them', async () => {
  const handle = await encrypting.workflow.start('confluenceIngestWorkflow', {
    taskQueue: DEFAULT_TASK_QUEUE,
    workflowId: 'codec-invalid-input',
    args: [{ site: { url: 'not a url', auth: 'api-token' } }],
  });
  const failure = await handle.result().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(causesOf(failure).map((e) => e.message)).toContainEqual(
    expect.stringMatching(/^invalid workflow input: site\.url: /),
  );

  const history = await server.client.workflow.getHandle('codec-invalid-input').fetchHistory();
  const failed = history.events!.find((e) => e.workflowExecutionFailedEventAttributes)!
    .workflowExecutionFailedEventAttributes!.failure!;
  const chain: (typeof failed)[] = [];
  for (let f: typeof failed | null | undefined = failed; f; f = f.cause) chain.push(f);
  // The SDK's own wrapper ("Activity task failed") says nothing about the data; every other message is sealed.
  const ours = chain.filter((f) => f.message !== 'Activity task failed');
  expect(ours.length).toBeGreaterThan(0);
  for (const f of ours) {
    expect(f.message).toBe('Encoded failure');
    expect(f.stackTrace ?? '').toBe('');
    expect(Buffer.from(f.encodedAttributes!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
  }
  expect((await allHistoriesText(server.client)).text).not.toContain('invalid workflow input');
});

it('lets the temporal CLI start and read encrypted ingests through the codec server', async () => {
  const codecServer = await startCodecServer({
    codec: converter.payloadCodecs![0] as EncryptionCodec,
    authorization: 'Bearer cli-test',
  });
  // Async: the codec server answers from this very process.
  const temporal = (...args: string[]) =>
    promisify(execFile)(process.env.TEMPORAL_CLI!, [...args, '--address', server.address], {
      maxBuffer: 64 * 1024 * 1024,
    }).then((r) => r.stdout);
  const codec = ['--codec-endpoint', codecServer.url, '--codec-auth', 'Bearer cli-test'];
  try {
    const ingest = input('cli');
    await temporal(
      'workflow',
      'start',
      '--type',
      'confluenceIngestWorkflow',
      '--task-queue',
      DEFAULT_TASK_QUEUE,
      '--workflow-id',
      'cli-encrypted',
      '--input',
      JSON.stringify(ingest),
      ...codec,
    );
    expect(await encrypting.workflow.getHandle('cli-encrypted').result()).toMatchObject({ done: 6, failed: 0 });
    expect(outputFiles(ingest.outputDir)).toHaveLength(6);

    const raw = startInput(await temporal('workflow', 'show', '--workflow-id', 'cli-encrypted', '--output', 'json'));
    expect(raw.encoding).toBe(ENCRYPTED_ENCODING);
    expect(raw.data).not.toContain(ingest.outputDir);
    const decoded = startInput(
      await temporal('workflow', 'show', '--workflow-id', 'cli-encrypted', '--output', 'json', ...codec),
    );
    expect(decoded.encoding).toBe('json/plain');
    expect(JSON.parse(decoded.data)).toEqual(ingest);
  } finally {
    await codecServer.close();
  }
});
