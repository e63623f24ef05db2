// partitionFile: an attachment on disk -> elements, dispatched by file type. It never throws: a file
// we cannot partition comes back as a typed skip with a one-line reason for the run report.
import { open, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Element } from '../../core/elements';
import { docxRawElements } from './docx';
import { detectFileType, type DetectedType } from './fileType';
import { finishElements, htmlRawElements } from './html';
import type { RawElement } from './rawElement';
import { markdownRawElements } from './markdown';
import { pdfRawElements } from './pdf';
import { textLineElements } from './plainText';
import { pptxRawElements } from './pptx';
import { csvRawElements, xlsxRawElements } from './spreadsheet';

export interface FilePartitionOptions {
  /** Name written to metadata.filename and hashed into ids; defaults to the path's basename. */
  filename?: string;
  fileDirectory?: string;
  lastModified?: string;
  url?: string;
}

export type FilePartitionResult =
  | { status: 'partitioned'; filetype: string; elements: Element[] }
  | { status: 'skipped'; filetype?: string; reason: string };

const PARTITIONERS: Record<
  DetectedType['kind'],
  (bytes: Buffer, type: DetectedType) => Promise<RawElement[]> | RawElement[]
> = {
  pdf: (b) => pdfRawElements(new Uint8Array(b)),
  docx: (b) => docxRawElements(b),
  xlsx: (b) => xlsxRawElements(b),
  pptx: (b) => pptxRawElements(new Uint8Array(b)),
  csv: (b) => csvRawElements(b.toString('utf8')),
  txt: (b) => textLineElements(b.toString('utf8')),
  md: (b) => markdownRawElements(b.toString('utf8')),
  html: (b) => htmlRawElements(b.toString('utf8')),
  // No OCR here: an image becomes one Image element that the extract step can fill with base64.
  image: (_, type) => [{ type: 'Image', text: '', image_mime_type: type.mime }],
};

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8), 0, 8, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;

export async function partitionFile(path: string, opts: FilePartitionOptions = {}): Promise<FilePartitionResult> {
  const filename = opts.filename ?? basename(path);
  let head: Uint8Array;
  try {
    head = await readHead(path);
  } catch (err) {
    return { status: 'skipped', reason: `cannot read ${filename}: ${message(err)}` };
  }
  const type = detectFileType(filename, head);
  if ('reason' in type) return { status: 'skipped', reason: `${filename}: ${type.reason}` };
  try {
    const raw = await PARTITIONERS[type.kind](await readFile(path), type);
    if (type.kind === 'pdf' && raw.length === 0) {
      return {
        status: 'skipped',
        filetype: type.mime,
        reason: `${filename}: PDF has no text layer (scanned pages need OCR, which is not available)`,
      };
    }
    const elements = finishElements(raw, {
      filename,
      fileDirectory: opts.fileDirectory ?? dirname(path),
      lastModified: opts.lastModified,
      url: opts.url,
      filetype: type.mime,
    });
    return { status: 'partitioned', filetype: type.mime, elements };
  } catch (err) {
    return {
      status: 'skipped',
      filetype: type.mime,
      reason: `${filename}: could not be read as ${type.kind}: ${message(err)}`,
    };
  }
}
