// Where a job writes its elements: the local folder (the default, as unstructured-ingest's local uploader), a
// PostgreSQL table, an S3 bucket (s3/config.ts) or an OpenSearch index. The job names a database or a cluster by its
// URL without the password: the workers hold the URL with it (`--database-url`, `--opensearch-url`), as they hold
// every credential.
import { z } from 'zod';
import { ConfigError } from '../core/configError';
import { postgresTarget } from '../core/postgresErrors';
import { StoreError } from '../core/storeError';
import { givenS3Flags, type S3Flags, S3DestinationSchema, s3DestinationFromFlags } from './s3/config';

/** A table name, optionally schema-qualified; quoted wherever it is used. */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}(\.[A-Za-z_][A-Za-z0-9_$]{0,62})?$/;

export const DEFAULT_TABLE = 'elements';

/** OpenSearch's own rule for index names, less the names it reserves (leading _, -, +) and wildcards. */
const INDEX_NAME = /^[a-z0-9][a-z0-9_.-]{0,254}$/;
const INDEX_RULE = 'must be an index name: lowercase letters, digits, _ . - (not starting with _ - +)';

function clusterUrlProblem(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return 'must be an http(s)://host:9200 URL';
  const parsed = new URL(url);
  if (parsed.username || parsed.password) return 'must not hold a user or password (the workers hold the URL with it)';
  return undefined;
}

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

export const OpenSearchDestinationSchema = z.object({
  type: z.literal('opensearch'),
  /** http(s)://host:port of the cluster: never a user or password. */
  url: z.string().superRefine((url, ctx) => {
    const problem = clusterUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  index: z.string().regex(INDEX_NAME, INDEX_RULE),
});
export type OpenSearchDestination = z.infer<typeof OpenSearchDestinationSchema>;

export const DestinationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('local') }),
  PostgresDestinationSchema,
  S3DestinationSchema,
  OpenSearchDestinationSchema,
]);
export type Destination = z.infer<typeof DestinationSchema>;

/** `--table` as given to `confluence` and `postgres init` alike: one line naming the rule when it breaks it. */
export function tableFromFlag(table: string): string {
  const parsed = TableNameSchema.safeParse(table);
  if (!parsed.success) throw new ConfigError(`--table "${table}" ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/** The destination flags of `confluence` (and `schedule create`), as commander hands them over. */
export interface DestinationFlags extends S3Flags {
  destination?: string;
  /** Holds the password: it goes to the in-process worker only, never into the job. */
  databaseUrl?: string;
  table?: string;
  /** Holds the user and password when basic auth is in it: the in-process worker's only, never the job's. */
  opensearchUrl?: string;
  index?: string;
}

/** The job's destination: the database named by its URL without the password. */
export function destinationFromFlags(flags: DestinationFlags): { destination: Destination } {
  const s3Flag = givenS3Flags(flags)[0];
  if (s3Flag !== undefined && flags.destination !== 's3')
    throw new ConfigError(`${s3Flag} is for --destination s3; add it, or leave ${s3Flag} out`);
  if (flags.destination !== 'opensearch' && flags.index !== undefined)
    throw new ConfigError('--index is for --destination opensearch; add it, or leave --index out');
  if (flags.destination !== 'postgres' && flags.table !== undefined)
    throw new ConfigError('--table is for --destination postgres; add it, or leave --table out');
  if (flags.destination === 's3') return { destination: s3DestinationFromFlags(flags) };
  if (flags.destination === 'opensearch') return { destination: openSearchFromFlags(flags) };
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
  const table = flags.table === undefined ? undefined : tableFromFlag(flags.table);
  return { destination: PostgresDestinationSchema.parse({ type: 'postgres', database, table }) };
}

/** The cluster's URL as a job may hold it: its origin and path, without user or password. */
export function clusterUrlOf(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.href.replace(/\/$/, '');
}

function openSearchFromFlags(flags: DestinationFlags): OpenSearchDestination {
  if (flags.table !== undefined)
    throw new ConfigError('--table is for --destination postgres; OpenSearch takes --index');
  if (!flags.opensearchUrl)
    throw new ConfigError(
      '--destination opensearch needs the cluster: give --opensearch-url https://user:password@host:9200 or set DURABLE_INGEST_OPENSEARCH_URL',
    );
  if (!/^https?:\/\//i.test(flags.opensearchUrl) || !URL.canParse(flags.opensearchUrl))
    throw new ConfigError('--opensearch-url must be an http(s) URL: https://user:password@host:9200');
  if (!flags.index)
    throw new ConfigError(
      '--destination opensearch needs --index <name> (create it with `durable-ingest opensearch init`)',
    );
  const parsed = OpenSearchDestinationSchema.safeParse({
    type: 'opensearch',
    url: clusterUrlOf(flags.opensearchUrl),
    index: flags.index,
  });
  if (!parsed.success) throw new ConfigError(`--index ${parsed.error.issues[0].message}`);
  return parsed.data;
}
