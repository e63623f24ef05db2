// One worker's worth of load on a simulated site for a few seconds, for the cluster budget's and slots' tests and
// benches: reads pages 8 at a time through its own --max-concurrency and --max-requests-per-second ceilings and,
// given a database, the site's cluster budget and slots. Settings (secrets included) come in the environment; prints
// {"requests": n} when done.
import pg from 'pg';
import { closeConfluencePools, createConfluenceClient, resolveAuth } from '../../src/connectors/confluence/client';
import { ClusterBudget } from '../../src/connectors/confluence/client/clusterBudget';
import { ClusterSlots } from '../../src/connectors/confluence/client/clusterSlots';

async function main(): Promise<void> {
  const env = process.env;
  const rate = env.BUDGET_RATE ? Number(env.BUDGET_RATE) : undefined;
  const concurrency = Number(env.BUDGET_CONCURRENCY);
  const until = Date.now() + Number(env.BUDGET_SECONDS) * 1000;
  const database = env.BUDGET_PG_URL ? new pg.Pool({ connectionString: env.BUDGET_PG_URL, max: 2 }) : undefined;
  const { site, secrets } = resolveAuth({
    url: env.BUDGET_SIM_URL!,
    cloud: true,
    username: env.BUDGET_SIM_USER!,
    apiToken: env.BUDGET_SIM_TOKEN!,
  });
  const key = new URL(site.url).href;
  const leaseMs = env.BUDGET_LEASE_MS ? Number(env.BUDGET_LEASE_MS) : undefined;
  const client = createConfluenceClient({ ...site, maxRequestsPerSecond: rate }, secrets, {
    pool: {
      maxConcurrency: concurrency,
      budget: database && rate ? new ClusterBudget(database, key, rate) : undefined,
      slots: database && new ClusterSlots(database, key, concurrency, { leaseMs }),
    },
  });
  const [space] = (await client.listSpaces({ limit: 1 })).items;
  const ids = (await client.listPages(space, { limit: 50 })).items.map((p) => p.id);
  let requests = 2;
  const loop = async (first: number) => {
    for (let i = first; Date.now() < until; i += 8) {
      await client.getPage(ids[i % ids.length]);
      requests++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, k) => loop(k)));
  await closeConfluencePools();
  await database?.end();
  process.stdout.write(`${JSON.stringify({ requests })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
