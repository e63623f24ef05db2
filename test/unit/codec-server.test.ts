// The codec server over real HTTP: Temporal's remote-codec JSON, CORS for the UI's origin, the optional auth check.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCodecServer, type RunningCodecServer } from '../../src/temporal/codecServer';
import { addOpsCommands, type OpsIO } from '../../src/cli/ops';
import { ENCRYPTION_KEY_FILE_ENV } from '../../src/temporal/dataConverter';
import { EncryptionCodec, parseKeyRing } from '../../src/temporal/codec';
import { until } from '../support/until';

const UI = 'http://ui.example:8080';
const AUTH = 'Bearer codec-test-token';
const codec = new EncryptionCodec(parseKeyRing(randomBytes(32).toString('base64'), 'test key'));
let open: RunningCodecServer;
let guarded: RunningCodecServer;

beforeAll(async () => {
  [open, guarded] = await Promise.all([
    startCodecServer({ codec, corsOrigins: [UI] }),
    startCodecServer({ codec, corsOrigins: [UI], authorization: AUTH }),
  ]);
});
afterAll(async () => {
  await Promise.all([open?.close(), guarded?.close()]);
});

function toJson(p: Payload) {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
    ),
    data: Buffer.from(p.data!).toString('base64'),
  };
}

function fromJson(p: { metadata: Record<string, string>; data: string }): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data, 'base64'),
  };
}

function post(server: RunningCodecServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const value = { title: 'Quarterly llama census', count: 3 };

/** A POST with headers fetch will not let a caller set (Host), as a page rebound to our address would send. */
function rawPost(server: RunningCodecServer, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/decode`, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('codec server, against other users and other sites', () => {
  const body = JSON.stringify({ payloads: [] });

  it('refuses to serve beyond loopback without an Authorization header to require', async () => {
    await expect(startCodecServer({ codec, host: '0.0.0.0' })).rejects.toThrow(
      'a codec server on 0.0.0.0 would decrypt for anyone who reaches it: give --auth-header-file, or --host 127.0.0.1',
    );
    const exposed = await startCodecServer({ codec, host: '0.0.0.0', authorization: AUTH });
    await exposed.close();
  });

  it('answers only to its own names: a DNS name rebound to it is refused', async () => {
    const json = { 'Content-Type': 'application/json' };
    expect(await rawPost(open, { ...json, Host: 'attacker.example:8888' }, body)).toBe(421);
    expect(await rawPost(open, { ...json, Host: `localhost:${new URL(open.url).port}` }, body)).toBe(200);
    expect(await rawPost(open, { ...json, Host: '[::1]:8888' }, body)).toBe(200);
    const named = await startCodecServer({ codec, allowedHosts: ['codec-server'] });
    try {
      expect(await rawPost(named, { ...json, Host: 'codec-server:8888' }, body)).toBe(200);
    } finally {
      await named.close();
    }
  });

  it('takes JSON only: a text/plain body, which a page may send without a preflight, is refused', async () => {
    expect(await rawPost(open, { 'Content-Type': 'text/plain' }, body)).toBe(415);
    expect(await rawPost(open, {}, body)).toBe(415);
    expect(await rawPost(open, { 'Content-Type': 'application/json; charset=utf-8' }, body)).toBe(200);
  });
});

describe('codec server', () => {
  it('encodes and decodes payloads, interchangeably with the worker codec', async () => {
    const encoded = await post(open, '/encode', { payloads: [toJson(defaultPayloadConverter.toPayload(value))] });
    expect(encoded.status).toBe(200);
    const sealed = (await encoded.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(sealed.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(sealed.payloads[0].data, 'base64').toString('latin1')).not.toContain('llama');

    // The worker's codec opens what the server sealed ...
    const [opened] = await codec.decode([fromJson(sealed.payloads[0])]);
    expect(defaultPayloadConverter.fromPayload(opened)).toEqual(value);

    // ... and the server opens what the worker sealed, as the UI asks it to.
    const [workerSealed] = await codec.encode([defaultPayloadConverter.toPayload(value)]);
    const decoded = await post(open, '/decode', { payloads: [toJson(workerSealed)] });
    expect(decoded.status).toBe(200);
    const plain = (await decoded.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(plain.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(plain.payloads[0].data, 'base64').toString())).toEqual(value);
  });

  it('answers the UI origin with CORS headers, preflight included, and other origins without', async () => {
    const preflight = await fetch(`${open.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        Origin: UI,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-namespace',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');

    const fromUi = await post(open, '/decode', { payloads: [] }, { Origin: UI });
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(UI);
    const elsewhere = await post(open, '/decode', { payloads: [] }, { Origin: 'http://evil.example' });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('requires the configured Authorization header, except on preflight', async () => {
    const body = { payloads: [toJson(defaultPayloadConverter.toPayload(value))] };
    expect((await post(guarded, '/encode', body)).status).toBe(401);
    expect((await post(guarded, '/encode', body, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(guarded, '/encode', body, { Authorization: AUTH })).status).toBe(200);
    const preflight = await fetch(`${guarded.url}/encode`, { method: 'OPTIONS', headers: { Origin: UI } });
    expect(preflight.status).toBe(204);
  });

  it('rejects bad requests with a one-line reason', async () => {
    const cases: [Promise<Response>, number, RegExp][] = [
      [post(open, '/decode', '{"payloads": ['), 400, /not JSON/],
      [post(open, '/decode', { payloads: [{ data: 'not base64!' }] }), 400, /payloads\.0\.data: must be base64/],
      [post(open, '/decode', { items: [] }), 400, /payloads: /],
      [post(open, '/other', { payloads: [] }), 404, /POST \/encode or \/decode/],
      [fetch(`${open.url}/decode`), 405, /GET not allowed/],
    ];
    for (const [response, status, message] of cases) {
      const res = await response;
      expect(res.status).toBe(status);
      const { error } = (await res.json()) as { error: string };
      expect(error).toMatch(message);
      expect(error).not.toContain('\n');
    }
  });

  it('reports a payload sealed under an unknown key id without failing the server', async () => {
    const other = new EncryptionCodec(
      parseKeyRing(JSON.stringify({ current: 'k9', keys: { k9: randomBytes(32).toString('base64') } }), 'other'),
    );
    const [foreign] = await other.encode([defaultPayloadConverter.toPayload(value)]);
    const res = await post(open, '/decode', { payloads: [toJson(foreign)] });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toMatch(/key id "k9", which the key file lacks/);
    expect((await post(open, '/decode', { payloads: [] })).status).toBe(200);
  });
});

describe('durable-ingest codec-server', () => {
  function program(io: Partial<OpsIO>): Command {
    return addOpsCommands(new Command('durable-ingest').exitOverride(), {
      out: () => undefined,
      err: () => undefined,
      fail: () => undefined,
      stopSignal: () => Promise.resolve(),
      ...io,
    });
  }

  it('serves with the key file until asked to stop', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'codec-cmd-'));
    const keyFile = path.join(dir, 'key');
    writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const said: string[] = [];
    const serving = program({ out: (t) => said.push(t), stopSignal: () => stopped }).parseAsync(
      ['codec-server', '--port', '0', '--key-file', keyFile, '--auth-header', AUTH],
      { from: 'user' },
    );
    await until(() => said.length > 0, 'the codec server to print its address');
    const url = /^codec server on (http:\/\/127\.0\.0\.1:\d+) /.exec(said[0])![1];
    const res = await post(
      { url, close: async () => undefined },
      '/encode',
      { payloads: [toJson(defaultPayloadConverter.toPayload(value))] },
      { Authorization: AUTH },
    );
    expect(res.status).toBe(200);
    stop();
    await serving;
    await expect(fetch(`${url}/encode`, { method: 'POST' })).rejects.toThrow();
  });

  it('explains a missing or exposed key file in one line', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'codec-cmd-'));
    const exposed = path.join(dir, 'key');
    writeFileSync(exposed, randomBytes(32).toString('base64'), { mode: 0o644 });
    const errors: string[] = [];
    const codes: number[] = [];
    const saved = process.env[ENCRYPTION_KEY_FILE_ENV];
    delete process.env[ENCRYPTION_KEY_FILE_ENV];
    try {
      for (const args of [['codec-server'], ['codec-server', '--key-file', exposed]]) {
        await program({ err: (t) => errors.push(t), fail: (c) => codes.push(c) }).parseAsync(args, { from: 'user' });
      }
    } finally {
      if (saved !== undefined) process.env[ENCRYPTION_KEY_FILE_ENV] = saved;
    }
    expect(codes).toEqual([2, 2]);
    expect(errors).toEqual([
      `durable-ingest: missing key file: give --key-file or set ${ENCRYPTION_KEY_FILE_ENV}`,
      `durable-ingest: encryption key file ${exposed} is readable by group or others (mode 0644): run chmod 600 ${exposed}`,
    ]);
  });
});
