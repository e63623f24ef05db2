// Which partitioner a file goes to: by extension, confirmed (or found, when there is none) by the
// first bytes, so a renamed or extensionless attachment still lands in the right place.
import { extname } from 'node:path';

export type FileKind = 'pdf' | 'docx' | 'xlsx' | 'pptx' | 'csv' | 'txt' | 'md' | 'html' | 'image';

export interface DetectedType {
  kind: FileKind;
  mime: string;
}

const BY_EXTENSION: Record<string, DetectedType> = {
  '.pdf': { kind: 'pdf', mime: 'application/pdf' },
  '.docx': { kind: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  '.xlsx': { kind: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  '.pptx': { kind: 'pptx', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
  '.csv': { kind: 'csv', mime: 'text/csv' },
  '.txt': { kind: 'txt', mime: 'text/plain' },
  '.text': { kind: 'txt', mime: 'text/plain' },
  '.log': { kind: 'txt', mime: 'text/plain' },
  '.md': { kind: 'md', mime: 'text/markdown' },
  '.markdown': { kind: 'md', mime: 'text/markdown' },
  '.html': { kind: 'html', mime: 'text/html' },
  '.htm': { kind: 'html', mime: 'text/html' },
  '.png': { kind: 'image', mime: 'image/png' },
  '.jpg': { kind: 'image', mime: 'image/jpeg' },
  '.jpeg': { kind: 'image', mime: 'image/jpeg' },
  '.gif': { kind: 'image', mime: 'image/gif' },
  '.bmp': { kind: 'image', mime: 'image/bmp' },
  '.tif': { kind: 'image', mime: 'image/tiff' },
  '.tiff': { kind: 'image', mime: 'image/tiff' },
  '.webp': { kind: 'image', mime: 'image/webp' },
  '.heic': { kind: 'image', mime: 'image/heic' },
};

const LEGACY_OFFICE = new Set(['.doc', '.xls', '.ppt']);

const startsWith = (bytes: Uint8Array, magic: number[]): boolean => magic.every((b, i) => bytes[i] === b);

function sniff(bytes: Uint8Array): DetectedType | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return BY_EXTENSION['.pdf'];
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return BY_EXTENSION['.png'];
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return BY_EXTENSION['.jpg'];
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return BY_EXTENSION['.gif'];
  return undefined;
}

const isZip = (bytes: Uint8Array): boolean => startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]);

/** The file's type, or a reason it has none we can partition. */
export function detectFileType(name: string, head: Uint8Array): DetectedType | { reason: string } {
  const ext = extname(name).toLowerCase();
  if (LEGACY_OFFICE.has(ext))
    return { reason: `legacy binary Office format (${ext}) is not supported; save it as ${ext}x` };
  const byName = BY_EXTENSION[ext];
  const byBytes = sniff(head);
  if (byName && ['docx', 'xlsx', 'pptx'].includes(byName.kind) && !isZip(head)) {
    return { reason: `${ext} file is not a zip container, so it is not a valid Office Open XML file` };
  }
  if (byName && byBytes && byBytes.kind !== byName.kind) return byBytes;
  const found = byName ?? byBytes;
  return found ?? { reason: `unsupported file type${ext ? ` (${ext})` : ''}: no partitioner for this format` };
}
