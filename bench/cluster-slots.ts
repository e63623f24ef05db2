// The site's slots across a cluster, measured longer than their test: N worker processes each with --max-concurrency
// C against a site answering in L ms, with and without the shared slots in PostgreSQL (what the site had in flight,
// requests a second against the C*1000/L it allows, and the database's transactions a second); then how soon a
// SIGKILLed worker's slots come back with the product's lease.
// `npm run bench:slots -- [--concurrency 8] [--latency 50] [--seconds 20] [--workers 4]`; prints JSON.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { measureClusterLoad, measureSlotRecovery } from '../test/support/clusterLoad';
import { startPostgres } from '../test/support/postgres';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '8' },
      latency: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '20' },
      workers: { type: 'string', default: '4' },
    },
  });
  const load = {
    concurrency: Number(values.concurrency),
    latencyMs: Number(values.latency),
    seconds: Number(values.seconds),
    workers: Number(values.workers),
  };
  const postgres = await startPostgres();
  try {
    const perProcess = await measureClusterLoad(load);
    const before = await commits(postgres.url);
    const shared = await measureClusterLoad({ ...load, pgUrl: postgres.url });
    const transactionsPerSecond = ((await commits(postgres.url)) - before) / load.seconds;
    const recovery = await measureSlotRecovery({ ...load, seconds: 10, pgUrl: postgres.url });
    const allowed = (load.concurrency * 1000) / load.latencyMs;
    const report = { ...load, allowed, perProcess, shared: { ...shared, transactionsPerSecond }, recovery };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await postgres.stop();
  }
}

/** Transactions committed in the database so far (each renewal of a worker's slots is one). */
async function commits(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
