// The site budget across a cluster, measured longer than its test: N worker processes each with
// --max-requests-per-second R against a site limited to R, with and without the shared budget in PostgreSQL.
// `npm run bench:budget -- [--rate 20] [--seconds 20] [--workers 4]`; prints JSON.
import { parseArgs } from 'node:util';
import { measureClusterLoad } from '../test/support/clusterLoad';
import { startPostgres } from '../test/support/postgres';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '20' },
      seconds: { type: 'string', default: '20' },
      workers: { type: 'string', default: '4' },
    },
  });
  const load = { rate: Number(values.rate), seconds: Number(values.seconds), workers: Number(values.workers) };
  const postgres = await startPostgres();
  try {
    const perProcess = await measureClusterLoad(load);
    const shared = await measureClusterLoad({ ...load, pgUrl: postgres.url });
    process.stdout.write(`${JSON.stringify({ ...load, perProcess, shared }, null, 2)}\n`);
  } finally {
    await postgres.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
