// The media type of a file from its bytes: servers and the reference claim "image/png" for anything,
// and a login page served with 200 must not be inlined as an image.
import { open } from 'node:fs/promises';
import { Parser } from 'htmlparser2';

export const MEDIA = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  text: 'text/plain',
  html: 'text/html',
  binary: 'application/octet-stream',
} as const;

/** Bytes enough for every signature below and for an SVG's prolog. */
const HEAD_BYTES = 8192;
/** The ZIP end record sits in the last 22 bytes plus an optional comment of up to 64 KiB. */
const EOCD_SEARCH_BYTES = 22 + 0xffff;
/** Central directories beyond this are not read: the file stays "application/zip". */
const MAX_CENTRAL_DIRECTORY_BYTES = 4 * 1024 * 1024;

type ReadAt = (offset: number, length: number) => Promise<Buffer>;

/** Media type of content held in memory (inline images). */
export function sniffBytes(bytes: Uint8Array): Promise<string> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return sniff(buf.length, async (offset, length) => buf.subarray(offset, offset + length));
}

/** Media type of a file on disk, reading only its head (and its ZIP directory when it is a ZIP). */
export async function sniffFile(filePath: string): Promise<string> {
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    return await sniff(size, async (offset, length) => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    });
  } finally {
    await handle.close();
  }
}

async function sniff(size: number, readAt: ReadAt): Promise<string> {
  const head = await readAt(0, Math.min(size, HEAD_BYTES));
  const type = sniffHead(head);
  return type === MEDIA.zip ? officeType(size, readAt) : type;
}

function startsWith(head: Buffer, bytes: number[] | string, at = 0): boolean {
  const sig = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return head.length >= at + sig.length && head.subarray(at, at + sig.length).equals(sig);
}

function sniffHead(head: Buffer): string {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return MEDIA.png;
  if (startsWith(head, [0xff, 0xd8, 0xff])) return MEDIA.jpeg;
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return MEDIA.gif;
  if (startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8)) return MEDIA.webp;
  // Readers accept the PDF header anywhere in the first KiB.
  if (head.subarray(0, 1024).includes('%PDF-', 0, 'latin1')) return MEDIA.pdf;
  if (startsWith(head, 'PK\x03\x04') || startsWith(head, 'PK\x05\x06')) return MEDIA.zip;
  const text = decodeText(head);
  if (text === undefined) return MEDIA.binary;
  const root = rootElement(text);
  return root === 'svg' ? MEDIA.svg : root?.toLowerCase() === 'html' ? MEDIA.html : MEDIA.text;
}

/** The head as text when it is UTF-8 without control characters other than whitespace; undefined otherwise. */
function decodeText(head: Buffer): string | undefined {
  if (head.length === 0) return undefined;
  let text: string;
  try {
    // stream: a multi-byte character cut by the head's end is not an error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return undefined;
  }
  return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

/** Local name of the document's first element, if only an XML prolog (declaration, comments, doctype) precedes it. */
function rootElement(text: string): string | undefined {
  let root: string | undefined;
  let textBefore = false;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (root === undefined && !textBefore) root = name.slice(name.indexOf(':') + 1);
        parser.pause();
      },
      ontext(data) {
        if (root === undefined && data.trim() !== '') textBefore = true;
      },
    },
    { xmlMode: true },
  );
  parser.write(text.replace(/^\uFEFF/, ''));
  return root;
}

/** Tells DOCX, XLSX and PPTX apart from other ZIPs by the part names in the central directory. */
async function officeType(size: number, readAt: ReadAt): Promise<string> {
  const tailStart = Math.max(0, size - EOCD_SEARCH_BYTES);
  const tail = await readAt(tailStart, size - tailStart);
  const eocd = tail.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  if (eocd < 0 || eocd + 22 > tail.length) return MEDIA.zip;
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  // 0xffffffff marks ZIP64; not worth following for a media type.
  if (cdSize > MAX_CENTRAL_DIRECTORY_BYTES || cdOffset + cdSize > size) return MEDIA.zip;
  const names = centralDirectoryNames(await readAt(cdOffset, cdSize));
  if (names.has('word/document.xml')) return MEDIA.docx;
  if (names.has('xl/workbook.xml')) return MEDIA.xlsx;
  if (names.has('ppt/presentation.xml')) return MEDIA.pptx;
  return MEDIA.zip;
}

function centralDirectoryNames(cd: Buffer): Set<string> {
  const names = new Set<string>();
  let at = 0;
  while (at + 46 <= cd.length && cd.readUInt32LE(at) === 0x02014b50) {
    const nameLength = cd.readUInt16LE(at + 28);
    const extraLength = cd.readUInt16LE(at + 30);
    const commentLength = cd.readUInt16LE(at + 32);
    names.add(cd.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

export function isImageType(mediaType: string): boolean {
  return mediaType.startsWith('image/');
}
