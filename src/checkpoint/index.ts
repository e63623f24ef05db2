// The checkpoint's door: open the embedded SQLite store for an output dir.
import { join } from 'node:path';
import { explainSqliteError, openDatabase } from './database';
import { SqliteCheckpointStore } from './sqlite';
import type { CheckpointStore } from './store';

export type { CheckpointStore, Classification, MissingRecord } from './store';
export { CheckpointError, type CheckpointRecord, type CommitInput, type VersionRef } from './records';

export const CHECKPOINT_FILE_NAME = '.checkpoint.sqlite';

/** Where an ingest keeps its checkpoint unless told otherwise. */
export function defaultCheckpointPath(outputDir: string): string {
  return join(outputDir, CHECKPOINT_FILE_NAME);
}

/** Opens (creating if needed) the checkpoint file; safe to call from several processes on one host. */
export function openCheckpoint(path: string): CheckpointStore {
  const db = openDatabase(path);
  try {
    return new SqliteCheckpointStore(path, db);
  } catch (err) {
    db.close();
    throw explainSqliteError(path, err);
  }
}
