// A worker's scratch space: `<work-dir>/<worker id>/`, its own and no one else's. A worker that died leaves its folder
// behind; the next worker started on the same host with the same --work-dir removes it (no page can still need it:
// every page a dead worker held starts again from its first step).
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ownerIsAlive, readOwner, writeOwner } from '../core/owner';

const OWNER_FILE = '.owner.json';

export interface WorkDir {
  /** Unique to this worker process. */
  id: string;
  dir: string;
  /** Removes the folder (on a clean shutdown). */
  release(): Promise<void>;
}

export async function claimWorkDir(root: string): Promise<WorkDir> {
  const id = `${os.hostname().replace(/[^\w.-]/g, '_')}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const dir = path.join(path.resolve(root), id);
  await mkdir(dir, { recursive: true });
  await writeOwner(path.join(dir, OWNER_FILE));
  await sweepDeadWorkers(path.resolve(root), dir);
  return { id, dir, release: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Folders of workers on this host whose process is gone. Folders of other hosts (a shared volume) are theirs to sweep.
 */
async function sweepDeadWorkers(root: string, own: string): Promise<void> {
  const entries = readdirSync(root, { withFileTypes: true }).filter(
    (e) => e.isDirectory() && path.join(root, e.name) !== own,
  );
  for (const entry of entries) {
    const owner = readOwner(path.join(root, entry.name, OWNER_FILE));
    if (owner && !ownerIsAlive(owner)) await rm(path.join(root, entry.name), { recursive: true, force: true });
  }
}
