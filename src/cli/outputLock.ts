// One writer per destination in embedded mode, where each run has a Temporal of its own: a lock file in the output
// dir names the process that writes it (a lock left by a process that died is taken over), and a PostgreSQL table is
// held by a session advisory lock, which ends with the process. (On a cluster the ingest's workflow id is the
// destination's lease: see src/client.ts.)
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DestinationBusyError } from '../client';
import { ownerIsAlive, readOwner, writeOwner } from '../core/owner';
import { PRIVATE_DIR_MODE } from '../core/ownerOnly';
import { PostgresTable } from '../destinations/postgres/table';

const LOCK_FILE = '.ingest.lock';

export interface LockOptions {
  wait: boolean;
  onWait?: (holder: string) => void;
}

/** Resolves with the release once this process holds the output dir. */
export async function lockOutputDir(outputDir: string, { wait, onWait }: LockOptions): Promise<() => Promise<void>> {
  const file = path.join(outputDir, LOCK_FILE);
  await mkdir(outputDir, { recursive: true, mode: PRIVATE_DIR_MODE });
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
    if (!wait)
      throw new DestinationBusyError(
        `${outputDir} is being written by ${holder}; wait for it to end, or pass --wait-for-lease to start after it`,
      );
    if (!told) onWait?.(holder);
    told = true;
    await sleep(1000);
  }
}

/** Resolves with the release once this process holds the table. */
export async function lockTable(
  databaseUrl: string,
  table: string,
  { wait, onWait }: LockOptions,
): Promise<() => Promise<void>> {
  const destination = new PostgresTable(databaseUrl, table, { maxConnections: 1 });
  let told = false;
  try {
    for (;;) {
      const release = await destination.tryLease();
      if (release) {
        return async () => {
          await release();
          await destination.close();
        };
      }
      const holder = 'another durable-ingest run';
      if (!wait)
        throw new DestinationBusyError(
          `${destination.describe()} is being written by ${holder}; wait for it to end, or pass --wait-for-lease to start after it`,
        );
      if (!told) onWait?.(holder);
      told = true;
      await sleep(1000);
    }
  } catch (err) {
    await destination.close();
    throw err;
  }
}
