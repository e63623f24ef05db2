// A worker's scratch space: `<work-dir>/<worker id>/`, its own and no one else's. A worker that died leaves its folder
// behind; the next worker started on the same host with the same --work-dir removes it (no page can still need it:
// every page a dead worker held starts again from its first step).
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const OWNER_FILE = '.owner.json';

export interface WorkDir {
  /** Unique to this worker process. */
  id: string;
  dir: string;
  /** Removes the folder (on a clean shutdown). */
  release(): Promise<void>;
}

interface Owner {
  hostname: string;
  pid: number;
}

export async function claimWorkDir(root: string): Promise<WorkDir> {
  const id = `${os.hostname().replace(/[^\w.-]/g, '_')}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const dir = path.join(path.resolve(root), id);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, OWNER_FILE), JSON.stringify({ hostname: os.hostname(), pid: process.pid } satisfies Owner));
  await sweepDeadWorkers(path.resolve(root), dir);
  return { id, dir, release: () => rm(dir, { recursive: true, force: true }) };
}

/** Folders of workers on this host whose process is gone. Folders of other hosts (a shared volume) are theirs to sweep. */
async function sweepDeadWorkers(root: string, own: string): Promise<void> {
  const entries = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && path.join(root, e.name) !== own);
  for (const entry of entries) {
    const owner = ownerOf(path.join(root, entry.name));
    if (owner && owner.hostname === os.hostname() && !isAlive(owner.pid)) await rm(path.join(root, entry.name), { recursive: true, force: true });
  }
}

function ownerOf(dir: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as Owner;
  } catch {
    return undefined; // not a worker's folder: left alone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
