// Where a job writes its elements: the local folder (the default, as unstructured-ingest's local uploader) or a
// PostgreSQL table. The job names a database by its URL without the password: the workers hold the URL with it
// (`--database-url`, DURABLE_INGEST_DATABASE_URL), as they hold every credential.
import { z } from 'zod';
import { ConfigError } from '../core/configError';
import { postgresTarget } from '../core/postgresErrors';
import { StoreError } from '../core/storeError';

/** A table name, optionally schema-qualified; quoted wherever it is used. */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}(\.[A-Za-z_][A-Za-z0-9_$]{0,62})?$/;

export const DEFAULT_TABLE = 'elements';

const TableNameSchema = z
  .string()
  .regex(TABLE_NAME, 'must be a table name such as elements or rag.elements (letters, digits, _)');

function passwordProblem(url: string): string | undefined {
  if (!/^postgres(ql)?:\/\//i.test(url) || !URL.canParse(url))
    return 'must be a postgresql://user@host:port/database URL';
  const parsed = new URL(url);
  if (parsed.password || parsed.searchParams.has('password'))
    return 'must not hold the password (the workers hold the URL with it)';
  return undefined;
}

export const PostgresDestinationSchema = z.object({
  type: z.literal('postgres'),
  /** postgresql://user@host:port/database: which database, never its password. */
  database: z.string().superRefine((url, ctx) => {
    const problem = passwordProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  table: TableNameSchema.default(DEFAULT_TABLE),
});
export type PostgresDestination = z.infer<typeof PostgresDestinationSchema>;

export const DestinationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('local') }),
  PostgresDestinationSchema,
]);
export type Destination = z.infer<typeof DestinationSchema>;

/** `--table` as given to `confluence` and `postgres init` alike: one line naming the rule when it breaks it. */
export function tableFromFlag(table: string): string {
  const parsed = TableNameSchema.safeParse(table);
  if (!parsed.success) throw new ConfigError(`--table "${table}" ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/** The destination flags of `confluence` (and `schedule create`), as commander hands them over. */
export interface DestinationFlags {
  destination?: string;
  /** Holds the password: it goes to the in-process worker only, never into the job. */
  databaseUrl?: string;
  table?: string;
}

/** The job's destination: the database named by its URL without the password. */
export function destinationFromFlags(flags: DestinationFlags): { destination: Destination } {
  if (flags.destination !== 'postgres') {
    if (flags.table !== undefined)
      throw new ConfigError('--table is for --destination postgres; add it, or leave --table out');
    return { destination: { type: 'local' } };
  }
  if (!flags.databaseUrl) {
    throw new ConfigError(
      '--destination postgres needs the database: give --database-url postgresql://user:password@host:5432/database or set DURABLE_INGEST_DATABASE_URL',
    );
  }
  if (!/^postgres(ql)?:\/\//i.test(flags.databaseUrl)) {
    throw new ConfigError('--database-url must be a PostgreSQL URL: postgresql://user:password@host:5432/database');
  }
  let database: string;
  try {
    database = postgresTarget(flags.databaseUrl, 'destination').display;
  } catch (err) {
    throw err instanceof StoreError ? new ConfigError(err.message) : err;
  }
  const table = flags.table === undefined ? undefined : tableFromFlag(flags.table);
  return { destination: PostgresDestinationSchema.parse({ type: 'postgres', database, table }) };
}
