// The checkpoint's door: a postgres:// or postgresql:// URL opens the PostgreSQL store (workers on several machines);
// anything else is the path of the embedded SQLite store (by default <output-dir>/.checkpoint.sqlite).
import { join } from 'node:path';
import { explainSqliteError, openDatabase } from './database';
import { PostgresCheckpointStore } from './postgres';
import { SqliteCheckpointStore } from './sqlite';
import type { CheckpointOptions, CheckpointStore } from './store';

export type { CheckpointOptions, CheckpointStore, Classification, MissingRecord } from './store';
export { DEFAULT_SEEN_RETENTION_MS } from './store';
export type { CheckpointRecord, CommitInput, PermissionsUpdate, VersionRef } from './records';
/** The checkpoint's errors: StoreErrors of role 'checkpoint' (one class with the destination's). */
export { StoreError as CheckpointError } from '../core/storeError';

export const CHECKPOINT_FILE_NAME = '.checkpoint.sqlite';

/** Where an ingest keeps its checkpoint unless told otherwise. */
export function defaultCheckpointPath(outputDir: string): string {
  return join(outputDir, CHECKPOINT_FILE_NAME);
}

/** True for a location that names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location.trim());
}

/**
 * Opens a checkpoint store. `location` is a postgres:// or postgresql:// URL (PostgreSQL: pass `options.scope`,
 * e.g. the absolute output dir, so ingests writing to different places keep apart) or a SQLite file path (created
 * if needed; safe to share between processes on one host). Bad input or a broken file throws a one-line
 * CheckpointError here; PostgreSQL connects in the background, so await `ready()` to learn at once that the URL
 * works (every method waits for it anyway). Messages never contain the password.
 */
export function openCheckpoint(location: string, options: CheckpointOptions = {}): CheckpointStore {
  if (isPostgresUrl(location)) return new PostgresCheckpointStore(location.trim(), options);
  const db = openDatabase(location, options.clock?.());
  try {
    return new SqliteCheckpointStore(location, db, options);
  } catch (err) {
    db.close();
    throw explainSqliteError(location, err);
  }
}
