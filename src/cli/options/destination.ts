// Where elements go: `--destination postgres --database-url ... --table`, `--destination s3 --s3-url ...` or
// `--destination opensearch --opensearch-url ... --index` (`confluence` and `schedule create`).
import { DEFAULT_TABLE } from '../../destinations/config';
import type { FlagsOf } from './spec';

/** Holds a password: a worker setting (the in-process worker's, or `worker`'s), never part of a job. */
export const DATABASE_URL_OPTIONS = {
  databaseUrl: {
    flags: '--database-url <url>',
    help: 'PostgreSQL destination: postgresql://user:password@host:5432/database',
    env: 'DURABLE_INGEST_DATABASE_URL',
    secret: true,
  },
} as const;

/** May hold a user and password: a worker setting too, never part of a job. */
export const OPENSEARCH_URL_OPTIONS = {
  opensearchUrl: {
    flags: '--opensearch-url <url>',
    help: 'OpenSearch destination: https://user:password@host:9200',
    env: 'DURABLE_INGEST_OPENSEARCH_URL',
    secret: true,
  },
} as const;

export const DESTINATION_OPTIONS = {
  destination: {
    flags: '--destination <type>',
    help: 'where elements go: local JSON files in --output-dir, a PostgreSQL table, an S3 bucket or an OpenSearch index',
    choices: ['local', 'postgres', 's3', 'opensearch'],
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
  ...OPENSEARCH_URL_OPTIONS,
  index: {
    flags: '--index <name>',
    help: 'OpenSearch destination: the index (create it with `durable-ingest opensearch init`)',
  },
} as const;

export type DestinationOptionFlags = FlagsOf<typeof DESTINATION_OPTIONS>;
