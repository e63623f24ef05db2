// Where a job writes its elements: the local folder (the default, as unstructured-ingest's local uploader), a
// PostgreSQL table or an S3 bucket (s3/config.ts). The job names a database by its URL without the password: the workers hold the URL with it
// (`--database-url`, DURABLE_INGEST_DATABASE_URL), as they hold every credential.
import { z } from 'zod';
import { ConfigError } from '../core/configError';
import { postgresTarget } from '../core/postgresErrors';
import { StoreError } from '../core/storeError';
import { givenS3Flags, type S3Flags, S3DestinationSchema, s3DestinationFromFlags } from './s3/config';

/** A table name, optionally schema-qualified; quoted wherever it is used. */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}(\.[A-Za-z_][A-Za-z0-9_$]{0,62})?$/;

export const DEFAULT_TABLE = 'elements';

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
  table: z
    .string()
    .regex(TABLE_NAME, 'must be a table name such as elements or rag.elements (letters, digits, _)')
    .default(DEFAULT_TABLE),
});
export type PostgresDestination = z.infer<typeof PostgresDestinationSchema>;

export const DestinationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('local') }),
  PostgresDestinationSchema,
  S3DestinationSchema,
]);
export type Destination = z.infer<typeof DestinationSchema>;

/** The destination flags of `confluence` (and `schedule create`), as commander hands them over. */
export interface DestinationFlags extends S3Flags {
  destination?: string;
  /** Holds the password: it goes to the in-process worker only, never into the job. */
  databaseUrl?: string;
  table?: string;
}

/** The job's destination: the database named by its URL without the password. */
export function destinationFromFlags(flags: DestinationFlags): { destination: Destination } {
  const s3Flag = givenS3Flags(flags)[0];
  if (s3Flag !== undefined && flags.destination !== 's3')
    throw new ConfigError(`${s3Flag} is for --destination s3; add it, or leave ${s3Flag} out`);
  if (flags.destination !== 'postgres' && flags.table !== undefined)
    throw new ConfigError('--table is for --destination postgres; add it, or leave --table out');
  if (flags.destination === 's3') return { destination: s3DestinationFromFlags(flags) };
  if (flags.destination !== 'postgres') return { destination: { type: 'local' } };
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
  const parsed = PostgresDestinationSchema.safeParse({ type: 'postgres', database, table: flags.table });
  if (!parsed.success) throw new ConfigError(`--table ${parsed.error.issues[0].message}`);
  return { destination: parsed.data };
}
