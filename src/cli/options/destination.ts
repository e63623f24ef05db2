// Where elements go: `--destination postgres --database-url ... --table`, or `--destination s3 --s3-url ...`
// (`confluence` and `schedule create`).
import { DEFAULT_TABLE } from '../../destinations/config';
import type { FlagsOf } from './spec';

/** Holds a password: a worker setting (the in-process worker's, or `worker`'s), never part of a job. */
export const DATABASE_URL_OPTIONS = {
  databaseUrl: {
    flags: '--database-url <url>',
    help: 'PostgreSQL destination: postgresql://user:password@host:5432/database',
    env: 'DURABLE_INGEST_DATABASE_URL',
  },
} as const;

export const DESTINATION_OPTIONS = {
  destination: {
    flags: '--destination <type>',
    help: 'where elements go: local JSON files in --output-dir, a PostgreSQL table, or an S3 bucket',
    choices: ['local', 'postgres', 's3'],
    shownDefault: 'local',
  },
  ...DATABASE_URL_OPTIONS,
  table: {
    flags: '--table <name>',
    help: 'PostgreSQL destination: the table (create it with `durable-ingest postgres init`)',
    shownDefault: DEFAULT_TABLE,
  },
  s3Url: {
    flags: '--s3-url <url>',
    help: "S3 destination: s3://bucket/prefix (credentials: the AWS SDK's chain, e.g. AWS_ACCESS_KEY_ID, AWS_PROFILE)",
    env: 'DURABLE_INGEST_S3_URL',
  },
  s3Endpoint: {
    flags: '--s3-endpoint <url>',
    help: 'S3 destination: the URL of an S3-compatible store (MinIO, R2, ...)',
    shownDefault: 'AWS',
  },
  s3Region: {
    flags: '--s3-region <name>',
    help: 'S3 destination: the region',
    shownDefault: 'AWS_REGION, or us-east-1 with --s3-endpoint',
  },
  s3PathStyle: {
    flags: '--s3-path-style',
    help: 'S3 destination: address objects as endpoint/bucket/key (MinIO and most compatibles)',
  },
} as const;

export type DestinationOptionFlags = FlagsOf<typeof DESTINATION_OPTIONS>;
