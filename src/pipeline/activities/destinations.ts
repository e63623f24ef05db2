// Where a job's elements and its checkpoint records go, as this worker opens them once and keeps them: the output dir
// (local JSON, with the checkpoint in a SQLite file beside it or in the worker's --checkpoint-url), or a PostgreSQL
// table, whose checkpoint lives in the same database so that a page's rows and its record commit in one transaction.
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { type CheckpointStore, defaultCheckpointPath, openCheckpoint } from '../../checkpoint';
import type { PgDatabases } from '../../core/pgDatabases';
import { StoreError } from '../../core/storeError';
import type { Destination } from '../../destinations/config';
import { localUploader } from '../../destinations/local';
import { PostgresTable } from '../../destinations/postgres/table';
import type { Uploader } from '../../destinations/uploader';
import { databaseUrlFor } from '../credentials';
import type { ActivityDeps } from './deps';

/**
 * What activities name a destination by: the job's output dir and destination (absent in runs from before destinations
 * had a type: local).
 */
export interface DestinationRef {
  outputDir: string;
  destination?: Destination;
}

export interface OpenDestination {
  uploader: Uploader;
  checkpoint: CheckpointStore;
  /** The PostgreSQL table, for the checks before an ingest starts. */
  table?: PostgresTable;
}

export type Destinations = (ref: DestinationRef) => OpenDestination;

/** The checkpoint of a table's pages: in its database, a scope per table. */
export function tableScope(table: string): string {
  return `table:${table}`;
}

function local(outputDir: string, checkpointUrl: string | undefined, databases: PgDatabases): OpenDestination {
  const checkpoint = checkpointUrl
    ? openCheckpoint(checkpointUrl, { scope: path.resolve(outputDir), databases })
    : openCheckpoint(defaultCheckpointPath(outputDir));
  return { uploader: localUploader(outputDir), checkpoint };
}

function table(url: string, name: string, databases: PgDatabases): OpenDestination {
  const uploader = new PostgresTable(url, name, { databases });
  return { uploader, checkpoint: openCheckpoint(url, { scope: tableScope(name), databases }), table: uploader };
}

/** One open destination per output dir or table for the worker's life, on the worker's one pool per database. */
export function workerDestinations(
  deps: Pick<ActivityDeps, 'checkpointUrl' | 'databaseUrl'>,
  databases: PgDatabases,
): Destinations {
  const open = new Map<string, OpenDestination>();
  return ({ outputDir, destination }) => {
    const key =
      destination?.type === 'postgres' ? JSON.stringify([destination.database, destination.table]) : outputDir;
    let found = open.get(key);
    if (!found) {
      found =
        destination?.type === 'postgres'
          ? table(databaseUrlFor(deps.databaseUrl, destination), destination.table, databases)
          : local(outputDir, deps.checkpointUrl, databases);
      open.set(key, found);
    }
    return found;
  };
}

/** A mistake a retry cannot fix (wrong password, a missing table) stops at once; a server restarting is retried. */
export async function storing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof StoreError && !err.transient)
      throw ApplicationFailure.create({ message: err.message, type: err.name, nonRetryable: true });
    throw err;
  }
}
