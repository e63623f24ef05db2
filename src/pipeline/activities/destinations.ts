// Where a job's elements and its checkpoint records go, as this worker opens them once and keeps them: the output dir
// (local JSON, with the checkpoint in a SQLite file beside it or in the worker's --checkpoint-url), or a PostgreSQL
// table, whose checkpoint lives in the same database so that a page's rows and its record commit in one transaction.
import path from 'node:path';
import type pg from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import {
  CheckpointError,
  type CheckpointStore,
  type CommitInput,
  type PermissionsUpdate,
  defaultCheckpointPath,
  openCheckpoint,
} from '../../checkpoint';
import { PostgresCheckpointStore } from '../../checkpoint/postgres';
import type { Destination } from '../../destinations/config';
import { localUploader } from '../../destinations/local';
import { DestinationError } from '../../destinations/postgres/errors';
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
  /** Commits a page's record; inside `transaction` (the destination's, open) when the checkpoint is in its database. */
  commit(input: CommitInput, transaction?: pg.ClientBase): Promise<boolean>;
  /** Records a page's rewritten permissions; inside `transaction` when the checkpoint is in its database. */
  recordPermissions(update: PermissionsUpdate, transaction?: pg.ClientBase): Promise<boolean>;
  /** The PostgreSQL table, for the checks before an ingest starts. */
  table?: PostgresTable;
}

export type Destinations = (ref: DestinationRef) => OpenDestination;

/** The checkpoint of a table's pages: in its database, a scope per table. */
export function tableScope(table: string): string {
  return `table:${table}`;
}

function local(outputDir: string, checkpointUrl: string | undefined): OpenDestination {
  const checkpoint = checkpointUrl
    ? openCheckpoint(checkpointUrl, { scope: path.resolve(outputDir) })
    : openCheckpoint(defaultCheckpointPath(outputDir));
  return {
    uploader: localUploader(outputDir),
    checkpoint,
    commit: (input) => checkpoint.commit(input),
    recordPermissions: (update) => checkpoint.recordPermissions(update),
  };
}

function table(url: string, name: string): OpenDestination {
  const uploader = new PostgresTable(url, name);
  const checkpoint = new PostgresCheckpointStore(url, { scope: tableScope(name) });
  const commit = (input: CommitInput, transaction?: pg.ClientBase) =>
    transaction ? checkpoint.commitIn(transaction, input) : checkpoint.commit(input);
  const recordPermissions = (update: PermissionsUpdate, transaction?: pg.ClientBase) =>
    transaction ? checkpoint.recordPermissionsIn(transaction, update) : checkpoint.recordPermissions(update);
  return { uploader, checkpoint, commit, recordPermissions, table: uploader };
}

/** One open destination per output dir or table for the worker's life. */
export function workerDestinations(deps: Pick<ActivityDeps, 'checkpointUrl' | 'databaseUrl'>): Destinations {
  const open = new Map<string, OpenDestination>();
  return ({ outputDir, destination }) => {
    const key =
      destination?.type === 'postgres' ? JSON.stringify([destination.database, destination.table]) : outputDir;
    let found = open.get(key);
    if (!found) {
      found =
        destination?.type === 'postgres'
          ? table(databaseUrlFor(deps.databaseUrl, destination), destination.table)
          : local(outputDir, deps.checkpointUrl);
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
    if ((err instanceof CheckpointError || err instanceof DestinationError) && !err.transient)
      throw ApplicationFailure.create({ message: err.message, type: err.name, nonRetryable: true });
    throw err;
  }
}
