// Which process on which host holds something (a worker's scratch folder, an output dir), and whether it still runs.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { PRIVATE_FILE_MODE } from './ownerOnly';

export interface Owner {
  hostname: string;
  pid: number;
}

/** `exclusive`: fail with EEXIST when the file exists (a lock). */
export async function writeOwner(file: string, exclusive = false): Promise<void> {
  await writeFile(file, JSON.stringify({ hostname: os.hostname(), pid: process.pid } satisfies Owner), {
    flag: exclusive ? 'wx' : 'w',
    mode: PRIVATE_FILE_MODE,
  });
}

/** The owner recorded in `file`; undefined when there is none (or it is unreadable). */
export function readOwner(file: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

/**
 * True when the owner is a live process on this host; an owner on another host cannot be checked and counts as live.
 */
export function ownerIsAlive(owner: Owner): boolean {
  if (owner.hostname !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
