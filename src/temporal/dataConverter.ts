// The data converter of clients and workers: the default one, or with payload encryption when a key file is given.
// Client and worker must agree: a worker without the key cannot read what an encrypting client started.
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, loadKeyRing } from './codec';

export const ENCRYPTION_KEY_FILE_ENV = 'DURABLE_INGEST_ENCRYPTION_KEY_FILE';

/** A path, not an instance: the worker bundles this file into the workflow sandbox. */
const FAILURE_CONVERTER_PATH = path.join(__dirname, 'failureConverter.ts');

export function dataConverterFor(keyFile?: string): DataConverter {
  if (!keyFile) return {};
  return { payloadCodecs: [new EncryptionCodec(loadKeyRing(keyFile))], failureConverterPath: FAILURE_CONVERTER_PATH };
}
