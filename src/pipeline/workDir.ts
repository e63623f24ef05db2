// A worker's scratch space and its layout, owned here alone: `<work-dir>/<worker id>/`, its own and no one else's, holding
// `<site hash>/...` for what the steps of a site's documents write and `<inbound|remote>/<origin hash>/<name>` for copies
// of what another worker handed over. A worker that died leaves its folder behind; the next worker started on the same
// host with the same --work-dir removes it (no page can still need it: every page a dead worker held starts again from
// its first step).
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { shortHash } from '../core/ids';
import { ownerIsAlive, readOwner, writeOwner } from '../core/owner';
import { ensurePrivateDir, PRIVATE_DIR_MODE } from '../core/ownerOnly';
import { resolveInside } from '../core/safePath';

const OWNER_FILE = '.owner.json';

export interface WorkDir {
  /** Unique to this worker process. */
  id: string;
  dir: string;
  /** Removes the folder (on a clean shutdown). */
  release(): Promise<void>;
}

/** A file of a document of the site at `siteUrl`, in the worker's folder `dir`; `name` may hold subfolders. */
export function siteWorkFile(dir: string, siteUrl: string, name: string): string {
  return resolveInside(dir, shortHash(siteUrl), name);
}

/** Resolves a file name in the worker's folder of one site: what a connector is handed to place its downloads. */
export type WorkFile = (name: string) => string;

export function workFilesOf(dir: string, siteUrl: string): WorkFile {
  return (name) => siteWorkFile(dir, siteUrl, name);
}

/** Where a worker keeps its copy of a file another worker handed over, by where that file came from. */
export function copiedWorkFile(dir: string, kind: 'inbound' | 'remote', origin: string, name: string): string {
  return path.join(dir, kind, shortHash(origin), name);
}

export async function claimWorkDir(root: string): Promise<WorkDir> {
  const id = `${os.hostname().replace(/[^\w.-]/g, '_')}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const dir = path.join(path.resolve(root), id);
  // Its sweep removes what it finds there, and the pages it holds are private: a root another user made is refused.
  ensurePrivateDir(path.resolve(root), 'work dir');
  await mkdir(dir, { mode: PRIVATE_DIR_MODE });
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
