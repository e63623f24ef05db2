// Where elements go: `--destination postgres --database-url ... --table` (`confluence` and `schedule create`).
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

export const DESTINATION_OPTIONS = {
  destination: {
    flags: '--destination <type>',
    help: 'where elements go: local JSON files in --output-dir, or a PostgreSQL table',
    choices: ['local', 'postgres'],
    shownDefault: 'local',
  },
  ...DATABASE_URL_OPTIONS,
  table: {
    flags: '--table <name>',
    help: 'PostgreSQL destination: the table (create it with `durable-ingest postgres init`)',
    shownDefault: DEFAULT_TABLE,
  },
} as const;

export type DestinationOptionFlags = FlagsOf<typeof DESTINATION_OPTIONS>;
