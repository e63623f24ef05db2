// What goes wrong writing a PostgreSQL destination, as one line naming the problem and the fix, never the password
// (core/postgresErrors.ts words the server's and the client's failures).
import {
  explainPostgresError,
  type PostgresRole,
  type PostgresTarget,
  PostgresUrlError,
  postgresTarget,
} from '../../core/postgresErrors';

export class DestinationError extends Error {
  override name = 'DestinationError';
  /** True when the same write may succeed later unchanged (the database restarting); false when a person must act. */
  readonly transient: boolean;

  constructor(message: string, options: { transient?: boolean } = {}) {
    super(message);
    this.transient = options.transient ?? false;
  }
}

const DESTINATION: PostgresRole = {
  database: 'destination database',
  url: 'database URL (--database-url, DURABLE_INGEST_DATABASE_URL)',
  objects: 'the destination table',
  grantFix:
    'grant it SELECT, INSERT and DELETE on the table, and CREATE on the schema for the checkpoint tables kept beside it',
};

/** host, port, user and database of the URL as the pg client reads them; an unreadable URL is a DestinationError. */
export function destinationTarget(url: string): PostgresTarget {
  try {
    return postgresTarget(url, DESTINATION);
  } catch (err) {
    throw err instanceof PostgresUrlError ? new DestinationError(err.message) : err;
  }
}

/** pgvector's refusal of a vector of the wrong length, e.g. "expected 384 dimensions, not 1536". */
const DIMENSION_MISMATCH = /expected (\d+) dimensions, not (\d+)/;

export function explainDestinationError(target: PostgresTarget, table: string, err: unknown): DestinationError {
  if (err instanceof DestinationError) return err;
  const mismatch = DIMENSION_MISMATCH.exec(err instanceof Error ? err.message : '');
  if (mismatch) {
    return new DestinationError(
      `table ${table} in ${target.display} holds vectors of ${mismatch[1]} dimensions and the embedding model gives ${mismatch[2]}: ` +
        `use a model of ${mismatch[1]} dimensions, or a table made by \`durable-ingest postgres init --dimensions ${mismatch[2]}\``,
    );
  }
  const { message, transient } = explainPostgresError(target, err, DESTINATION);
  return new DestinationError(message, { transient });
}
