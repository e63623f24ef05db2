// Attachment bytes, generated on demand from the attachment's id and version so nothing large sits in memory.
import { crc32, deflateSync } from 'node:zlib';
import type { SimAttachment } from './model';
import { Rng } from './rng';

/** A real, decodable RGB PNG: a gradient with a seeded tint. */
export function pngBytes(width: number, height: number, rng: Rng): Buffer {
  const tint = [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)];
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter type: none
    for (let x = 0; x < width; x++) {
      const at = row + 1 + x * 3;
      raw[at] = (tint[0] + x * 4) & 0xff;
      raw[at + 1] = (tint[1] + y * 4) & 0xff;
      raw[at + 2] = tint[2];
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit depth, truecolour, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0);
  return Buffer.concat([length, typed, crc]);
}

/** A minimal one-page PDF with a text line, with a correct cross-reference table. */
export function pdfBytes(text: string): Buffer {
  const safe = text.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
  const stream = `BT /F1 18 Tf 72 720 Td (${safe}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export function attachmentBytes(att: SimAttachment, seed: number): Buffer {
  const rng = Rng.derive(seed, `${att.id}:${att.version}`);
  switch (att.mediaType) {
    case 'image/png':
      return pngBytes(rng.int(16, 64), rng.int(16, 48), rng);
    case 'application/pdf':
      return pdfBytes(`${att.title} (version ${att.version})`);
    case 'text/csv':
      return Buffer.from(
        `${['id,name,value', ...[1, 2, 3, 4].map((i) => `${i},item-${rng.hex(4)},${rng.int(1, 999)}`)].join('\n')}\n`,
      );
    case 'application/json':
      return Buffer.from(
        JSON.stringify(
          { attachment: att.title, version: att.version, values: [rng.int(1, 99), rng.int(1, 99)] },
          null,
          2,
        ),
      );
    default:
      return Buffer.from(`${att.title}\nversion ${att.version}\nnotes: ${rng.hex(16)}\n`, 'utf8');
  }
}

const sizes = new Map<string, number>();

/** Byte length of an attachment (generated once per id and version, then remembered). */
export function attachmentSize(att: SimAttachment, seed: number): number {
  const key = `${seed}:${att.id}:${att.version}`;
  let size = sizes.get(key);
  if (size === undefined) {
    size = attachmentBytes(att, seed).length;
    sizes.set(key, size);
  }
  return size;
}
