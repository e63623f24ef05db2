// Attachment names come from page authors: they become file names only after this module made them safe.
// Everything here is deterministic, so a re-run maps the same attachment to the same file (cache reuse).
import { createHash } from 'node:crypto';

/**
 * Longest name in UTF-8 bytes. Filesystems stop at 255; the rest leaves room for the ".json" output
 * suffix and the ".part-xxxxxxxx" temp suffix of a download in progress.
 */
export const MAX_NAME_BYTES = 200;
/** A tail longer than this after the last dot is not treated as an extension worth keeping. */
const MAX_EXTENSION_BYTES = 16;
const FALLBACK_NAME = 'file';

// Windows refuses these as a base name whatever the extension ("con.txt" too), case-insensitively.
const RESERVED = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  'conin$',
  'conout$',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, '\u00b9', '\u00b2', '\u00b3'].flatMap((n) => [`com${n}`, `lpt${n}`]),
]);

// Control characters, characters Windows forbids, and bidi controls that disguise an extension ("exe\u202Efdp.").
const UNSAFE_CHAR = /[\p{Cc}<>:"|?*\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** A single safe path component for `name`: never empty, ".", "..", a reserved name, or longer than MAX_NAME_BYTES. */
export function sanitizeFileName(name: string): string {
  const base = lastComponent(name.normalize('NFC'));
  const cleaned = base
    .replace(UNSAFE_CHAR, '_')
    // Leading dots make hidden files (and "." / ".."); trailing dots and spaces are dropped by Windows.
    .replace(/^[\s.]+/u, '')
    .replace(/[\s.]+$/u, '');
  const named = cleaned === '' ? FALLBACK_NAME : cleaned;
  // Windows looks at the part before the first dot: "nul.tar.gz" and "con .txt" are reserved too.
  const device = named.split('.')[0].replace(/\s+$/u, '').toLowerCase();
  const { stem, ext } = splitExtension(RESERVED.has(device) ? `_${named}` : named);
  return fitBytes(stem, ext, name);
}

export interface NamedItem {
  /** Stable identity of the item (attachment id, or its URL): decides suffixes, not the list order. */
  key: string;
  name: string;
}

/**
 * Safe, distinct names for the files of one page, keyed by item key. Names that collide (case-insensitively,
 * as on macOS and Windows) keep the plain name for the smallest key; the others get "~" + a hash of their key,
 * so a file keeps its name when attachments are added, removed or listed in another order. A `reserved` name (one the
 * page's other documents use beside its files) is never given plain.
 */
export function assignSafeNames(items: readonly NamedItem[], reserved: readonly string[] = []): Map<string, string> {
  const keys = new Set<string>();
  for (const item of items) {
    if (keys.has(item.key))
      throw new Error(`duplicate item key ${JSON.stringify(item.key)}; give each file its own key`);
    keys.add(item.key);
  }
  const groups = new Map<string, NamedItem[]>();
  for (const item of [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const safe = { key: item.key, name: sanitizeFileName(item.name) };
    const fold = foldCase(safe.name);
    groups.set(fold, [...(groups.get(fold) ?? []), safe]);
  }
  const held = new Set(reserved.map(foldCase));
  const taken = new Set([...groups.keys(), ...held]);
  const result = new Map<string, string>();
  for (const [fold, [first, ...rest]] of groups) {
    if (!held.has(fold)) result.set(first.key, first.name);
    for (const item of held.has(fold) ? [first, ...rest] : rest) {
      const name = suffixedName(item, taken);
      taken.add(foldCase(name));
      result.set(item.key, name);
    }
  }
  return result;
}

function lastComponent(name: string): string {
  const parts = name.split(/[/\\]/).filter((p) => p !== '' && p !== '.' && p !== '..');
  return parts.length > 0 ? parts[parts.length - 1] : '';
}

function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { stem: name, ext: '' };
  const ext = name.slice(dot);
  if (utf8Length(ext) > MAX_EXTENSION_BYTES) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext };
}

/** Shortens the stem on code point boundaries; a shortened name carries a hash of the original so it stays distinct. */
function fitBytes(stem: string, ext: string, original: string): string {
  if (utf8Length(stem) + utf8Length(ext) <= MAX_NAME_BYTES) return stem + ext;
  const tag = `~${shortHash(original, 8)}`;
  const budget = MAX_NAME_BYTES - utf8Length(ext) - tag.length;
  return truncateBytes(stem, budget).replace(/[\s.]+$/u, '') + tag + ext;
}

function suffixedName(item: NamedItem, taken: ReadonlySet<string>): string {
  const { stem, ext } = splitExtension(item.name);
  for (const length of [8, 16, 64]) {
    const tag = `~${shortHash(item.key, length)}`;
    const name = truncateBytes(stem, MAX_NAME_BYTES - utf8Length(ext) - tag.length) + tag + ext;
    if (!taken.has(foldCase(name))) return name;
  }
  throw new Error(`cannot find a free name for ${JSON.stringify(item.name)}; rename the attachment`);
}

function truncateBytes(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = utf8Length(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function shortHash(text: string, hexChars: number): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, hexChars);
}

function foldCase(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
