import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA, sniffBytes, sniffFile } from '../../src/connectors/confluence/extract/mediaType';

// Minimal real files: a 1x1 PNG, GIF, WebP and JPEG (header + tables), a one-page PDF header.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');

/** A stored (uncompressed) ZIP with the given entries, central directory and end record. */
function zip(entries: Array<[string, Buffer | string]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.from(content);
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
// A large first part pushes the telling names far past the head: only the central directory reveals them.
const BIG = 'x'.repeat(100_000);
const DOCX = zip([
  ['[Content_Types].xml', TYPES],
  ['docProps/thumbnail.xml', BIG],
  ['word/document.xml', '<w:document/>'],
]);
const XLSX = zip([
  ['[Content_Types].xml', TYPES],
  ['xl/workbook.xml', '<workbook/>'],
]);
const PPTX = zip([
  ['[Content_Types].xml', TYPES],
  ['ppt/presentation.xml', '<p:presentation/>'],
]);
const PLAIN_ZIP = zip([
  ['readme.txt', 'hello'],
  ['word.xml', 'not office'],
]);

const SVG = Buffer.from(
  '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
);

const cases: Array<[string, Buffer, string]> = [
  ['png', PNG, MEDIA.png],
  ['gif', GIF, MEDIA.gif],
  ['webp', WEBP, MEDIA.webp],
  ['jpeg', JPEG, MEDIA.jpeg],
  ['pdf', PDF, MEDIA.pdf],
  ['pdf after junk', Buffer.concat([Buffer.from('\r\n\r\n'), PDF]), MEDIA.pdf],
  ['svg with prolog', SVG, MEDIA.svg],
  ['bare svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), MEDIA.svg],
  ['html login page', Buffer.from('<!DOCTYPE html>\n<html><body>Log in</body></html>'), MEDIA.html],
  ['xml that is not svg', Buffer.from('<?xml version="1.0"?><feed><svg/></feed>'), MEDIA.text],
  ['text mentioning svg', Buffer.from('see <svg> below'), MEDIA.text],
  ['plain text', Buffer.from('Meeting notes\n\tÜbersicht – 2024\n'), MEDIA.text],
  ['docx', DOCX, MEDIA.docx],
  ['xlsx', XLSX, MEDIA.xlsx],
  ['pptx', PPTX, MEDIA.pptx],
  ['other zip', PLAIN_ZIP, MEDIA.zip],
  ['binary', Buffer.from([0x00, 0x01, 0x02, 0xfe, 0xff, 0x10]), MEDIA.binary],
  ['empty', Buffer.alloc(0), MEDIA.binary],
  ['png claimed but truncated magic', PNG.subarray(0, 4), MEDIA.binary],
];

describe('sniffBytes', () => {
  it.each(cases)('%s', async (_name, bytes, expected) => {
    expect(await sniffBytes(bytes)).toBe(expected);
  });

  it('works on a view into a larger buffer', async () => {
    const outer = Buffer.concat([Buffer.from('junk'), PNG]);
    expect(await sniffBytes(new Uint8Array(outer.buffer, outer.byteOffset + 4, PNG.length))).toBe(MEDIA.png);
  });
});

describe('sniffFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sniff-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(cases)('%s', async (name, bytes, expected) => {
    const file = path.join(dir, name.replace(/\W/g, '_'));
    await writeFile(file, bytes);
    expect(await sniffFile(file)).toBe(expected);
  });
});
