// Where elements go: `--destination postgres --database-url ... --table` or `--destination opensearch --opensearch-url
// ... --index` (`confluence` and `schedule create`).
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

/** May hold a user and password: a worker setting too, never part of a job. */
export const OPENSEARCH_URL_OPTIONS = {
  opensearchUrl: {
    flags: '--opensearch-url <url>',
    help: 'OpenSearch destination: https://user:password@host:9200',
    env: 'DURABLE_INGEST_OPENSEARCH_URL',
  },
} as const;

export const DESTINATION_OPTIONS = {
  destination: {
    flags: '--destination <type>',
    help: 'where elements go: local JSON files in --output-dir, a PostgreSQL table or an OpenSearch index',
    choices: ['local', 'postgres', 'opensearch'],
    shownDefault: 'local',
  },
  ...DATABASE_URL_OPTIONS,
  table: {
    flags: '--table <name>',
    help: 'PostgreSQL destination: the table (create it with `durable-ingest postgres init`)',
    shownDefault: DEFAULT_TABLE,
  },
  ...OPENSEARCH_URL_OPTIONS,
  index: {
    flags: '--index <name>',
    help: 'OpenSearch destination: the index (create it with `durable-ingest opensearch init`)',
  },
} as const;

export type DestinationOptionFlags = FlagsOf<typeof DESTINATION_OPTIONS>;
