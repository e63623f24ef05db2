import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { asDiskFull } from './diskFull';

/** The suffix of the temp files below; what a crash leaves behind is swept at the end of a run. */
export const TEMP_SUFFIX = /\.[0-9a-f]{12}\.tmp$/;

/**
 * Writes via a temp file in the same directory and renames it into place, so a crash never leaves a truncated file.
 * A full disk fails as a DiskFullError naming `file` (the system names no file when a write runs out of space).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw asDiskFull(err, file) ?? err;
  }
}
