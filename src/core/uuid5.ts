// RFC 4122 version-5 (name-based, SHA-1) UUIDs, as Python's uuid.uuid5 makes them: unstructured-ingest's SQL
// destinations key each element row by uuid5(NAMESPACE_DNS, element_id + record_id), and matching it lets a table
// written by either tool be rewritten by the other.
import { createHash } from 'node:crypto';

/** Python's uuid.NAMESPACE_DNS. */
export const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

export function uuid5(name: string, namespace: string = NAMESPACE_DNS): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
