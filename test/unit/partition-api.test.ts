// partitionViaApi against a local server that parses the multipart request as Unstructured's legacy API would.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/steps/embed';
import { type PartitionFile, partitionViaApi } from '../../src/steps/partition/api';
import { DEFAULT_PARTITION_ENDPOINT, partitionApiFromFlags } from '../../src/steps/partition/apiConfig';
import type { Element } from '../../src/core/elements';
import { type LocalServer, type RecordedRequest, startLocalServer } from '../fixtures/embedding/local-server';

const KEY = 'unst-key-0a1b2c3d4e5f';
const HTML = '<html><body><h1>Release notes</h1><p>The deploy runs every Tuesday.</p></body></html>';

const ELEMENTS: Element[] = [
  {
    type: 'Title',
    element_id: 'a'.repeat(32),
    text: 'Release notes',
    metadata: { filename: 'page.html', filetype: 'text/html', languages: ['eng'] },
  },
  {
    type: 'NarrativeText',
    element_id: 'b'.repeat(32),
    text: 'The deploy runs every Tuesday.',
    metadata: { filename: 'page.html', filetype: 'text/html', languages: ['eng'], parent_id: 'a'.repeat(32) },
  },
];

let file: PartitionFile;
beforeAll(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'partition-api-'));
  writeFileSync(path.join(dir, 'page.html'), HTML);
  file = { path: path.join(dir, 'page.html'), filename: 'page.html', contentType: 'text/html' };
});

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Parses the body with a real multipart parser (undici's, behind Response.formData). */
async function formOf(req: RecordedRequest): Promise<globalThis.FormData> {
  return new Response(req.body, { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
}

const FAST = { retry: { baseDelayMs: 5, maxAttempts: 3 } };

describe('partitionViaApi', () => {
  it('posts the file and the Python client fields as multipart with the key header, and returns the elements', async () => {
    server = await startLocalServer(() => ({ status: 200, body: ELEMENTS }));
    const settings = partitionApiFromFlags(
      {
        partitionByApi: true,
        additionalPartitionArgs: JSON.stringify({
          languages: ['eng', 'deu'],
          max_characters: 1000,
          split_pdf_page: false,
          chunking_strategy: 'by_title',
        }),
      },
      { UNSTRUCTURED_API_KEY: KEY, UNSTRUCTURED_API_URL: server.url },
    )!;

    const elements = await partitionViaApi(file, { ...settings.config, apiKey: settings.apiKey! });

    expect(elements).toEqual(ELEMENTS);
    const [req] = server.requests;
    expect(`${req.method} ${req.url}`).toBe('POST /general/v0/general');
    expect(req.headers['unstructured-api-key']).toBe(KEY);
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = await formOf(req);
    const sent = form.get('files') as File;
    expect(sent.name).toBe('page.html');
    expect(sent.type).toBe('text/html');
    expect(await sent.text()).toBe(HTML);
    expect(form.getAll('languages[]')).toEqual(['eng', 'deu']);
    expect(form.has('languages')).toBe(false);
    expect(Object.fromEntries([...form.entries()].filter(([k]) => k !== 'files' && k !== 'languages[]'))).toEqual({
      strategy: 'auto',
      output_format: 'application/json',
      coordinates: 'false',
      unique_element_ids: 'false',
      split_pdf_page: 'false',
      max_characters: '1000',
      chunking_strategy: 'by_title',
    });
  });

  it('uses an endpoint with a path as given', async () => {
    server = await startLocalServer(() => ({ status: 200, body: [] }));
    await partitionViaApi(file, { apiKey: KEY, endpoint: `${server.url}/custom/partition` });
    expect(server.requests[0].url).toBe('/custom/partition');
  });

  it('waits for Retry-After on a 429, then succeeds', async () => {
    server = await startLocalServer((_req, n) =>
      n === 1
        ? { status: 429, headers: { 'retry-after': '1' }, body: { detail: 'rate limited' } }
        : { status: 200, body: ELEMENTS },
    );
    const started = Date.now();
    const elements = await partitionViaApi(file, { apiKey: KEY, endpoint: server.url });
    expect(elements).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    // The retry sends the whole document again.
    expect(await ((await formOf(server.requests[1])).get('files') as File).text()).toBe(HTML);
  });

  it('retries 5xx with backoff and gives up after the attempt budget with a retryable error', async () => {
    server = await startLocalServer(() => ({ status: 503, body: { detail: 'overloaded' } }));
    const error = await partitionViaApi(file, { apiKey: KEY, endpoint: server.url, ...FAST }).catch((e: unknown) => e);
    expect(server.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ status: 503, retryable: true });
  });

  it('hands a Retry-After longer than the backoff cap to the caller instead of sleeping on it', async () => {
    server = await startLocalServer(() => ({
      status: 429,
      headers: { 'retry-after': '120' },
      body: { detail: 'quota' },
    }));
    const error = await partitionViaApi(file, { apiKey: KEY, endpoint: server.url }).catch((e: unknown) => e);
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 120_000 });
  });

  it('fails a 400 at once with a one-line, key-free message that names the fix', async () => {
    server = await startLocalServer(() => ({
      status: 400,
      body: { detail: `bad field for key ${KEY}:\nunknown strategy "fastest"` },
    }));
    const error = (await partitionViaApi(file, {
      apiKey: KEY,
      endpoint: server.url,
      strategy: 'fastest',
      ...FAST,
    }).catch((e: unknown) => e)) as ServiceError;
    expect(server.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(
      /^Unstructured API answered 400 Bad Request: .*unknown strategy .*check --additional-partition-args/,
    );
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain('\n');
  });

  it('tells a rejected key apart from a bad request', async () => {
    server = await startLocalServer(() => ({ status: 401, body: { detail: 'API key is invalid' } }));
    await expect(partitionViaApi(file, { apiKey: KEY, endpoint: server.url })).rejects.toThrow(
      /401 .*check --api-key \(UNSTRUCTURED_API_KEY\)/,
    );
  });

  it('rejects an answer that is not a list of elements', async () => {
    server = await startLocalServer(() => ({ status: 200, body: [{ type: 'Title', text: 'no id' }] }));
    await expect(partitionViaApi(file, { apiKey: KEY, endpoint: server.url })).rejects.toThrow(
      /not a list of elements \(at \[0\.element_id\]/,
    );
  });

  it('retries when the server cannot be reached, then says which endpoint failed', async () => {
    const port = await closedPort();
    const error = (await partitionViaApi(file, { apiKey: KEY, endpoint: `http://127.0.0.1:${port}`, ...FAST }).catch(
      (e: unknown) => e,
    )) as ServiceError;
    expect(error.message).toBe(
      `Unstructured API unreachable at http://127.0.0.1:${port}: ECONNREFUSED; check the endpoint URL and the network`,
    );
    expect(error.retryable).toBe(true);
  });

  it('names a missing file', async () => {
    await expect(partitionViaApi({ ...file, path: '/nonexistent/page.html' }, { apiKey: KEY })).rejects.toThrow(
      /cannot read \/nonexistent\/page.html .*ENOENT/,
    );
  });
});

describe('partition-by-API settings', () => {
  it('is off without --partition-by-api', () => {
    expect(partitionApiFromFlags({ apiKey: KEY }, {})).toBeUndefined();
  });

  it('defaults the endpoint, prefers flags over env, and keeps the key out of the config', () => {
    const fromEnv = partitionApiFromFlags({ partitionByApi: true }, { UNSTRUCTURED_API_KEY: KEY })!;
    expect(fromEnv.config).toEqual({ endpoint: DEFAULT_PARTITION_ENDPOINT, strategy: 'auto', additionalArgs: {} });
    expect(JSON.stringify(fromEnv.config)).not.toContain(KEY);
    const fromFlags = partitionApiFromFlags(
      { partitionByApi: true, apiKey: 'flag-key', partitionEndpoint: 'https://my.api/general/v0/general' },
      { UNSTRUCTURED_API_KEY: KEY, UNSTRUCTURED_API_URL: 'https://env.api' },
    )!;
    expect(fromFlags.apiKey).toBe('flag-key');
    expect(fromFlags.config.endpoint).toBe('https://my.api/general/v0/general');
  });

  it('explains each bad input', () => {
    expect(() => partitionApiFromFlags({ partitionByApi: true }, {})).toThrow(
      '--partition-by-api needs an Unstructured API key: give --api-key or set UNSTRUCTURED_API_KEY',
    );
    const withKey = (flags: object) => () =>
      partitionApiFromFlags({ partitionByApi: true, ...flags }, { UNSTRUCTURED_API_KEY: KEY });
    expect(withKey({ additionalPartitionArgs: '{strategy: hi_res}' })).toThrow(
      /--additional-partition-args is not JSON .*give an object such as/,
    );
    expect(withKey({ additionalPartitionArgs: '["hi_res"]' })).toThrow(/additionalArgs: /);
    expect(withKey({ additionalPartitionArgs: '{"files": "x"}' })).toThrow(/additionalArgs: may not set "files"/);
    expect(withKey({ partitionEndpoint: 'api.unstructuredapp.io' })).toThrow(/endpoint: must be a URL/);
  });
});

/** A port with nothing listening: bind, read the number, close. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
