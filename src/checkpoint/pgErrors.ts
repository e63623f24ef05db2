// The checkpoint's words for what goes wrong with its PostgreSQL database (see core/postgresErrors.ts): a
// CheckpointError naming the checkpoint URL and the fix, never the password.
import {
  explainPostgresError as explain,
  type PostgresRole,
  type PostgresTarget,
  PostgresUrlError,
  postgresTarget as target,
} from '../core/postgresErrors';
import { CheckpointError } from './records';

export type { PostgresTarget };

const CHECKPOINT: PostgresRole = {
  database: 'checkpoint database',
  url: 'checkpoint URL',
  objects: 'the checkpoint tables',
  grantFix: 'grant it USAGE and CREATE on the schema, or open the checkpoint once as the database owner',
};

/** Reads host, port, user and database as the pg client will; a URL that cannot be read is a CheckpointError. */
export function postgresTarget(url: string): PostgresTarget {
  try {
    return target(url, CHECKPOINT);
  } catch (err) {
    throw err instanceof PostgresUrlError ? new CheckpointError(err.message) : err;
  }
}

/** The CheckpointError for a failure talking to the checkpoint database; a CheckpointError passes through. */
export function explainPostgresError(database: PostgresTarget, err: unknown): CheckpointError {
  if (err instanceof CheckpointError) return err;
  const { message, transient } = explain(database, err, CHECKPOINT);
  return new CheckpointError(message, { transient });
}
