// One budget per site across the cluster: two worker processes, each with --max-requests-per-second R, share a token
// bucket in PostgreSQL, so the site sees R requests a second in all, not 2R.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { measureClusterLoad } from '../support/clusterLoad';
import { startPostgres, type TestPostgres } from '../support/postgres';

const RATE = 20;
let postgres: TestPostgres;

beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterAll(() => postgres?.stop());

it('keeps two workers together under the site rate', { timeout: 60_000 }, async () => {
  const shared = await measureClusterLoad({ rate: RATE, seconds: 4, workers: 2, pgUrl: postgres.url });
  // The bucket lends at most one batch (a tenth of a second's worth) beyond the rate; in any one second, answers
  // bunched by response times may add about the site's own burst (a quarter second's worth).
  expect(shared.perSecond).toBeLessThanOrEqual(RATE * 1.1);
  expect(shared.peakSecond).toBeLessThanOrEqual(RATE * 1.25);
  expect(shared.perSecond).toBeGreaterThanOrEqual(RATE * 0.6);
  expect(shared.rateLimited).toBeLessThanOrEqual(2);
});
