// Zip bombs made in the test, a megabyte of zeros at a time, so the test itself never holds the inflated size.
import { readFileSync } from 'node:fs';
import { unzipSync, Zip, ZipDeflate } from 'fflate';

/** `fixture` (an Office file) with one more entry, `name`, of `mib` MiB of zeros. */
export function withBomb(fixture: string, name: string, mib: number): Buffer {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    chunks.push(chunk);
  });
  for (const [part, data] of Object.entries(unzipSync(readFileSync(fixture)))) {
    const entry = new ZipDeflate(part, { level: 1 });
    zip.add(entry);
    entry.push(data, true);
  }
  const bomb = new ZipDeflate(name, { level: 9 });
  zip.add(bomb);
  const zeros = new Uint8Array(2 ** 20);
  for (let i = 1; i <= mib; i++) bomb.push(zeros, i === mib);
  zip.end();
  return Buffer.concat(chunks);
}
