// The AES-256-GCM payload codec and its key file: round trips, rotation, tampering, and one-line errors.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_METADATA,
  loadKeyRing,
  parseKeyRing,
  SINGLE_KEY_ID,
} from '../../src/temporal/codec';
import { dataConverterFor } from '../../src/temporal/dataConverter';
import { errorOf } from '../support/errors';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const dir = mkdtempSync(path.join(os.tmpdir(), 'codec-'));

function ring(current: string, keys: Record<string, string>) {
  return parseKeyRing(JSON.stringify({ current, keys }), 'test key file');
}

function text(payload: Payload): string {
  return Buffer.concat([
    Buffer.from(payload.data ?? []),
    ...Object.values(payload.metadata ?? {}).map((v) => Buffer.from(v)),
  ]).toString('latin1');
}

const plain = defaultPayloadConverter.toPayload({ title: 'The quarterly llama census', body: 'x'.repeat(100) });

describe('EncryptionCodec', () => {
  it('encrypts with the current key id and decrypts back to the same payload', async () => {
    const codec = new EncryptionCodec(ring('k1', { k1 }));
    const [sealed] = await codec.encode([plain]);
    expect(Buffer.from(sealed.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(sealed.metadata![KEY_ID_METADATA]!).toString()).toBe('k1');
    expect(text(sealed)).not.toContain('llama');
    const [opened] = await codec.decode([sealed]);
    expect(defaultPayloadConverter.fromPayload(opened)).toEqual(defaultPayloadConverter.fromPayload(plain));
  });

  it('uses a fresh IV each time', async () => {
    const codec = new EncryptionCodec(ring('k1', { k1 }));
    const [a, b] = await codec.encode([plain, plain]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('after rotation, encrypts with the new key and still decrypts the old one', async () => {
    const [old] = await new EncryptionCodec(ring('k1', { k1 })).encode([plain]);
    const rotated = new EncryptionCodec(ring('k2', { k1, k2 }));
    const [fresh] = await rotated.encode([plain]);
    expect(Buffer.from(fresh.metadata![KEY_ID_METADATA]!).toString()).toBe('k2');
    const [a, b] = await rotated.decode([old, fresh]);
    expect(defaultPayloadConverter.fromPayload(a)).toEqual(defaultPayloadConverter.fromPayload(plain));
    expect(defaultPayloadConverter.fromPayload(b)).toEqual(defaultPayloadConverter.fromPayload(plain));
  });

  it('passes through payloads that were never encrypted', async () => {
    const [out] = await new EncryptionCodec(ring('k1', { k1 })).decode([plain]);
    expect(out).toBe(plain);
  });

  it('names an unknown key id', async () => {
    const [sealed] = await new EncryptionCodec(ring('k2', { k2 })).encode([plain]);
    await expect(new EncryptionCodec(ring('k1', { k1 })).decode([sealed])).rejects.toThrow(
      /key id "k2", which the key file lacks/,
    );
  });

  it('rejects altered ciphertext, a relabelled key id, and a different key under the same id', async () => {
    const codec = new EncryptionCodec(ring('k1', { k1, k2 }));
    const [sealed] = await codec.encode([plain]);
    const flipped = Buffer.from(sealed.data!);
    flipped[20] ^= 1;
    await expect(codec.decode([{ ...sealed, data: flipped }])).rejects.toThrow(/does not authenticate/);
    const relabelled = { ...sealed, metadata: { ...sealed.metadata, [KEY_ID_METADATA]: Buffer.from('k2') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/does not authenticate/);
    await expect(new EncryptionCodec(ring('k1', { k1: k2 })).decode([sealed])).rejects.toThrow(/does not authenticate/);
  });
});

describe('key file', () => {
  function keyFile(content: string, mode = 0o600): string {
    const file = path.join(dir, `key-${randomBytes(4).toString('hex')}`);
    writeFileSync(file, content);
    chmodSync(file, mode);
    return file;
  }

  it('accepts a single base64 key under the id "default"', () => {
    const loaded = loadKeyRing(keyFile(`${k1}\n`));
    expect(loaded.current).toBe(SINGLE_KEY_ID);
    expect(loaded.keys.get(SINGLE_KEY_ID)!.toString('base64')).toBe(k1);
  });

  it('accepts the JSON key ring', () => {
    const loaded = loadKeyRing(keyFile(JSON.stringify({ current: 'k2', keys: { k1, k2 } })));
    expect(loaded.current).toBe('k2');
    expect([...loaded.keys.keys()]).toEqual(['k1', 'k2']);
  });

  it('gives one clear line for each bad key file, without key material', () => {
    const short = randomBytes(16).toString('base64');
    const cases: [string, RegExp][] = [
      [short, /key "default" is not the base64 of 32 bytes: make one with `openssl rand -base64 32`/],
      ['{"current":"k1","keys":{"k1":', /is not valid JSON/],
      [JSON.stringify({ current: 'k3', keys: { k1 } }), /current key "k3" is not among keys \(k1\)/],
      [JSON.stringify({ current: 'k1', keys: { k1: short } }), /key "k1" is not the base64 of 32 bytes/],
      [JSON.stringify({ current: 'k1', keys: { k1 }, extra: 1 }), /unknown key\(s\) extra/],
      [JSON.stringify({ keys: { k1 } }), /current: /],
      [JSON.stringify({ current: 'k 1', keys: { 'k 1': k1 } }), /current: a key id of letters/],
    ];
    for (const [content, expected] of cases) {
      const message = errorOf(() => loadKeyRing(keyFile(content)));
      expect(message).toMatch(expected);
      expect(message).not.toContain('\n');
      expect(message).not.toContain(short);
      expect(message).not.toContain(k1);
    }
  });

  it('refuses a key file others can read', () => {
    const file = keyFile(k1, 0o644);
    expect(errorOf(() => loadKeyRing(file))).toBe(
      `encryption key file ${file} is readable by group or others (mode 0644): run chmod 600 ${file}`,
    );
  });

  it('dataConverterFor: default without a key file; codec and encoded failures with one', () => {
    expect(dataConverterFor(undefined)).toEqual({});
    const converter = dataConverterFor(keyFile(k1));
    expect(converter.payloadCodecs).toHaveLength(1);
    expect(converter.payloadCodecs![0]).toBeInstanceOf(EncryptionCodec);
    expect(converter.failureConverterPath).toMatch(/failureConverter\.ts$/);
  });
});
