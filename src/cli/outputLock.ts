// One writer per destination in embedded mode, where each run has a Temporal of its own: a lock file in the output
// dir names the process that writes it. A lock left by a process that died is taken over. (On a cluster the ingest's
// workflow id is the destination's lease: see src/client.ts.)
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DestinationBusyError } from '../client';
import { ownerIsAlive, readOwner, writeOwner } from '../core/owner';

const LOCK_FILE = '.ingest.lock';

export interface LockOptions {
  wait: boolean;
  onWait?: (holder: string) => void;
}

/** Resolves with the release once this process holds the output dir. */
export async function lockOutputDir(outputDir: string, { wait, onWait }: LockOptions): Promise<() => Promise<void>> {
  const file = path.join(outputDir, LOCK_FILE);
  await mkdir(outputDir, { recursive: true });
  let told = false;
  for (;;) {
    try {
      await writeOwner(file, true);
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(file);
    if (!owner || !ownerIsAlive(owner)) {
      await rm(file, { force: true });
      continue;
    }
    const holder = `another durable-ingest run (process ${owner.pid} on ${owner.hostname})`;
    if (!wait) throw new DestinationBusyError(`${outputDir} is being written by ${holder}; wait for it to end, or pass --wait-for-lease to start after it`);
    if (!told) onWait?.(holder);
    told = true;
    await sleep(1000);
  }
}
