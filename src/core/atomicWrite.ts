import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { asDiskFull } from './diskFull';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './ownerOnly';

/** The suffix of the temp files below; what a crash leaves behind is swept at the end of a run. */
export const TEMP_SUFFIX = /\.[0-9a-f]{12}\.tmp$/;

/**
 * Writes via a temp file in the same directory and renames it into place, so a crash never leaves a truncated file.
 * What it writes is private (0600, in folders it makes 0700): pages, elements, reports and checkpoints alike.
 * A full disk fails as a DiskFullError naming `file` (the system names no file when a write runs out of space).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data, { mode: PRIVATE_FILE_MODE });
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw asDiskFull(err, file) ?? err;
  }
}
