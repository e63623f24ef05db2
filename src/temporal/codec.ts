// AES-256-GCM payload encryption, so page text and failure messages reach the Temporal server only as ciphertext.
// Keys carry ids: payloads are encrypted with the current key and decrypted with whichever key their id names,
// so a key can be rotated without losing the histories written under the old one.
//
// Key file, either of:
//   {"current": "k2", "keys": {"k1": "<base64 of 32 bytes>", "k2": "<base64 of 32 bytes>"}}
//   <base64 of 32 bytes>            (a single key; its id is "default")
// Make a key with `openssl rand -base64 32`; the file must be readable by its owner only (chmod 600).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { ConfigError } from '../core/configError';
import { assertOwnerOnly } from '../core/ownerOnly';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
export const SINGLE_KEY_ID = 'default';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface KeyRing {
  current: string;
  keys: ReadonlyMap<string, Buffer>;
}

const KeyFileSchema = z.strictObject({
  current: z.string().regex(KEY_ID, 'a key id of letters, digits, ".", "_" or "-"'),
  keys: z.record(z.string().regex(KEY_ID, 'key ids are letters, digits, ".", "_" or "-"'), z.string()),
});

function decodeKey(base64: string, id: string, source: string): Buffer {
  const trimmed = base64.trim();
  const key = Buffer.from(trimmed, 'base64');
  // Buffer.from ignores what is not base64; a round trip catches a mangled key.
  if (key.length !== KEY_BYTES || key.toString('base64') !== trimmed) {
    throw new ConfigError(
      `${source}: key "${id}" is not the base64 of ${KEY_BYTES} bytes: make one with \`openssl rand -base64 32\``,
    );
  }
  return key;
}

/** Parses a key file's text; `source` names it in errors, which never include key material. */
export function parseKeyRing(text: string, source: string): KeyRing {
  if (!text.trimStart().startsWith('{'))
    return { current: SINGLE_KEY_ID, keys: new Map([[SINGLE_KEY_ID, decodeKey(text, SINGLE_KEY_ID, source)]]) };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ConfigError(
      `${source} is not valid JSON: write {"current":"k1","keys":{"k1":"<base64 key>"}} or a single base64 key`,
    );
  }
  const parsed = KeyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) =>
        `${i.path.join('.') || '(top level)'}: ${i.code === 'unrecognized_keys' ? `unknown key(s) ${i.keys.join(', ')}` : i.message}`,
    );
    throw new ConfigError(`${source}: ${problems.join('; ')}; expected {"current":"k1","keys":{"k1":"<base64 key>"}}`);
  }
  const { current, keys } = parsed.data;
  if (!(current in keys))
    throw new ConfigError(
      `${source}: current key "${current}" is not among keys (${Object.keys(keys).join(', ') || 'none'}): add it or fix "current"`,
    );
  return { current, keys: new Map(Object.entries(keys).map(([id, b64]) => [id, decodeKey(b64, id, source)])) };
}

export function loadKeyRing(file: string): KeyRing {
  assertOwnerOnly(file, 'encryption key file');
  return parseKeyRing(readFileSync(file, 'utf8'), `encryption key file ${file}`);
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly ring: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (encodingOf(payload) === ENCRYPTED_ENCODING ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.ring.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.ring.keys.get(keyId)!, iv);
    // The key id is authenticated too, so a payload cannot be relabelled to another key unnoticed.
    cipher.setAAD(Buffer.from(keyId));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(keyId) },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
    const key = this.ring.keys.get(keyId);
    if (!key)
      throw new Error(
        `payload was encrypted with key id "${keyId}", which the key file lacks: add that key to "keys" (keep old keys after rotating)`,
      );
    const data = Buffer.from(payload.data ?? []);
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new Error(`encrypted payload is ${data.length} bytes, too short to be one: it was altered`);
    const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new Error(
        `payload encrypted with key id "${keyId}" does not authenticate: the key under that id differs from the one used, or the payload was altered`,
      );
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}

function encodingOf(payload: Payload): string | undefined {
  const value = payload.metadata?.encoding;
  return value ? Buffer.from(value).toString() : undefined;
}
