// metadata.orig_elements as Unstructured writes it: base64 of zlib-deflated JSON, where the JSON is
// Python's json.dumps(sort_keys=True) with its default separators and ASCII-only escapes.
import { deflateSync, inflateSync } from 'node:zlib';

export function encodeOrigElements(elements: unknown[]): string {
  return deflateSync(Buffer.from(pythonJson(elements), 'utf8')).toString('base64');
}

export function decodeOrigElements(encoded: string): unknown[] {
  const value: unknown = JSON.parse(inflateSync(Buffer.from(encoded, 'base64')).toString('utf8'));
  if (!Array.isArray(value)) throw new Error('orig_elements does not hold a JSON array of elements');
  return value;
}

function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pythonString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${pythonString(k)}: ${pythonJson(v)}`).join(', ')}}`;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function pythonString(s: string): string {
  // UTF-16 units are exactly what Python's ensure_ascii escapes (astral characters as surrogate pairs).
  return `"${s.replace(/[\u0000-\u001f"\\\u007f-\uffff]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}
