// The PostgreSQL destination on the command line: the check before an ingest starts, and `durable-ingest postgres
// init`, which creates the table (the destination's options: options/destination.ts).
import type { Command } from 'commander';
import { ConfigError } from '../core/configError';
import { StoreError } from '../core/storeError';
import { DEFAULT_TABLE, tableFromFlag } from '../destinations/config';
import { initTable } from '../destinations/postgres/init';
import { PostgresTable } from '../destinations/postgres/table';
import type { IngestInput, Secrets } from '../pipeline/config';
import { DATABASE_URL_OPTIONS } from './options/destination';
import { withOptions } from './options/spec';
import { checkVectorStore } from './vectorCheck';

/** Runs `work` over the table, a destination's StoreError becoming the one line a user reads. */
async function withTable<T>(databaseUrl: string, table: string, work: (t: PostgresTable) => Promise<T>): Promise<T> {
  let destination: PostgresTable | undefined;
  try {
    destination = new PostgresTable(databaseUrl, table, { maxConnections: 1 });
    return await work(destination);
  } catch (err) {
    throw err instanceof StoreError ? new ConfigError(err.message) : err;
  } finally {
    await destination?.close();
  }
}

/**
 * Before anything starts: the database answers, the table exists and takes the job's vectors (one probe of the model).
 */
export async function checkPostgresDestination(
  input: IngestInput,
  databaseUrl: string | undefined,
  secrets: Secrets,
): Promise<void> {
  if (input.destination.type !== 'postgres' || !databaseUrl) return;
  await withTable(databaseUrl, input.destination.table, (table) => checkVectorStore(table, input, secrets));
}

interface InitFlags {
  databaseUrl?: string;
  table: string;
  dimensions?: string;
}

async function initCommand(flags: InitFlags): Promise<number> {
  const table = tableFromFlag(flags.table);
  if (!flags.databaseUrl)
    throw new ConfigError(
      'give the database: --database-url postgresql://user:password@host:5432/database (or DURABLE_INGEST_DATABASE_URL)',
    );
  const dimensions = flags.dimensions === undefined ? undefined : Number(flags.dimensions);
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && dimensions >= 1 && dimensions <= 16000)) {
    throw new ConfigError(
      `--dimensions must be the embedding model's vector length (1..16000; 384 for the default huggingface model), got "${flags.dimensions}"`,
    );
  }
  const result = await withTable(flags.databaseUrl, table, async (table) => ({
    ...(await initTable(table, dimensions)),
    where: table.describe(),
  }));
  console.log(`${result.created ? 'created' : 'found'} ${result.where}: embeddings ${result.embeddings}`);
  if (result.note) console.error(`note: ${result.note}`);
  return 0;
}

export function addPostgresCommands(
  program: Command,
  action: (run: (flags: InitFlags) => Promise<number>) => (flags: InitFlags) => Promise<void>,
): void {
  const postgres = program.command('postgres').description('the PostgreSQL destination');
  withOptions(postgres.command('init'), DATABASE_URL_OPTIONS)
    .description('create the elements table (vector(n) with an HNSW index where pgvector exists, else real[])')
    .option('--table <name>', 'the table', DEFAULT_TABLE)
    .option('--dimensions <n>', "the embedding model's vector length (384 for the default huggingface model)")
    .action(action(initCommand));
}
