// Office files are zips, and a zip says little true about itself: a 400 KB file can inflate to gigabytes, and the sizes
// it declares may lie. Entries are found through the central directory (where every reader, mammoth's and exceljs's
// included, looks them up), and inflated in small steps with the bytes that come out counted against caps.
import { Inflate } from 'fflate';

export interface ZipLimits {
  /** Inflated bytes of one entry. */
  entryBytes: number;
  /** Inflated bytes of all entries read from one file. */
  totalBytes: number;
  entries: number;
}

// Real Office parts are a few MB at most; a worker holds several files at once.
export const ZIP_LIMITS: ZipLimits = { entryBytes: 32 * 2 ** 20, totalBytes: 128 * 2 ** 20, entries: 10_000 };

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  headerOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
// Deflate gives at most ~1032 bytes per input byte: a step of 4 KB never holds more than ~4 MB at once.
const STEP = 4096;
const MiB = 2 ** 20;

const LEFT_OUT = 'left out: a zip bomb, or a file too large to read here';

function entries(zip: Uint8Array, limits: ZipLimits): Entry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  const stop = Math.max(0, end - 0xffff);
  while (end >= stop && view.getUint32(end, true) !== EOCD) end--;
  if (end < stop) throw new Error('not a zip file (no end of central directory); the file is damaged');
  let at = view.getUint32(end + 16, true);
  const out: Entry[] = [];
  while (at + 46 <= zip.length && view.getUint32(at, true) === CENTRAL) {
    if (out.length >= limits.entries) throw new Error(`more than ${limits.entries} zip entries; ${LEFT_OUT}`);
    const nameLength = view.getUint16(at + 28, true);
    out.push({
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      declaredSize: view.getUint32(at + 24, true),
      headerOffset: view.getUint32(at + 42, true),
      name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

function dataOf(zip: Uint8Array, entry: Entry): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const at = entry.headerOffset;
  if (at + 30 > zip.length || view.getUint32(at, true) !== LOCAL) {
    throw new Error(`zip entry ${entry.name} points outside the file; the file is damaged`);
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  return zip.subarray(start, start + entry.compressedSize);
}

/**
 * Inflates one entry, throwing as soon as more bytes came out than its share of the limits; keeps them only when asked.
 */
function inflate(zip: Uint8Array, entry: Entry, share: Share, keep: boolean): { bytes: number; data?: Uint8Array } {
  const { cap } = share;
  const tooLarge = (): Error => new Error(`zip entry ${entry.name} inflates to more than ${share.what}; ${LEFT_OUT}`);
  if (entry.declaredSize > cap) throw tooLarge();
  const raw = dataOf(zip, entry);
  if (entry.method === 0) return { bytes: raw.length, data: keep ? raw : undefined };
  if (entry.method !== 8) throw new Error(`zip entry ${entry.name} uses compression method ${entry.method}; resave it`);
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const inflater = new Inflate((chunk) => {
    bytes += chunk.length;
    if (bytes > cap) throw tooLarge();
    if (keep) chunks.push(chunk);
  });
  for (let at = 0; at < raw.length; at += STEP) inflater.push(raw.subarray(at, at + STEP), at + STEP >= raw.length);
  if (raw.length === 0) inflater.push(raw, true);
  return { bytes, data: keep ? concat(chunks, bytes) : undefined };
}

interface Share {
  cap: number;
  /** The cap, as an error names it. */
  what: string;
}

function shareOf(limits: ZipLimits, used: number): Share {
  const left = limits.totalBytes - used;
  return limits.entryBytes <= left
    ? { cap: limits.entryBytes, what: `${limits.entryBytes / MiB} MiB (the cap per entry)` }
    : { cap: left, what: `what is left of ${limits.totalBytes / MiB} MiB (the cap per file)` };
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The entries `wanted` picks, inflated within the limits. */
export function unzipWithin(
  zip: Uint8Array,
  wanted: (name: string) => boolean,
  limits: ZipLimits = ZIP_LIMITS,
): Record<string, Uint8Array> {
  const parts: Record<string, Uint8Array> = {};
  let total = 0;
  for (const entry of entries(zip, limits)) {
    if (!wanted(entry.name)) continue;
    const { bytes, data } = inflate(zip, entry, shareOf(limits, total), true);
    total += bytes;
    parts[entry.name] = data!;
  }
  return parts;
}

/**
 * Throws unless every entry inflates within the limits: for readers that unzip the whole file themselves (mammoth,
 * exceljs). The bytes are counted and dropped, so the check holds no more than one step in memory.
 */
export function checkZipWithin(zip: Uint8Array, limits: ZipLimits = ZIP_LIMITS): void {
  let total = 0;
  for (const entry of entries(zip, limits)) {
    total += inflate(zip, entry, shareOf(limits, total), false).bytes;
  }
}
