// One --max-concurrency per site across the cluster: two worker processes, each with --max-concurrency C, share the
// site's slots through leases in PostgreSQL, so the site never has more than C of their requests in flight, not 2C;
// and a worker killed while holding slots gives them back when its lease runs out.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { measureClusterLoad, measureSlotRecovery } from '../support/clusterLoad';
import { startPostgres, type TestPostgres } from '../support/postgres';

const SLOTS = 4;
const LEASE_MS = 2000;
/** Long enough that requests overlap: a worker alone keeps all its slots busy. */
const LATENCY_MS = 50;
let postgres: TestPostgres;

beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterAll(() => postgres?.stop());

const load = () => ({ concurrency: SLOTS, latencyMs: LATENCY_MS, leaseMs: LEASE_MS, pgUrl: postgres.url });

it('keeps two workers together under the site concurrency', { timeout: 60_000 }, async () => {
  const shared = await measureClusterLoad({ ...load(), seconds: 3, workers: 2 });
  expect(shared.peakInFlight).toBe(SLOTS);
  // Slots move between the workers within a renewal or two: the site stays about as busy as C allows.
  expect(shared.perSecond).toBeGreaterThanOrEqual(((SLOTS * 1000) / LATENCY_MS) * 0.6);
});

it("gives a killed worker's slots back within its lease", { timeout: 60_000 }, async () => {
  const recovery = await measureSlotRecovery({ ...load(), seconds: 7 });
  // Not before the lease the dead worker last renewed ran out (renewed every fifth of a lease), nor long after.
  expect(recovery.backMs).toBeGreaterThanOrEqual(LEASE_MS / 2);
  expect(recovery.backMs).toBeLessThanOrEqual(LEASE_MS + 1000);
  // The site never saw more than C; the survivor alone filled them all.
  expect(recovery.peakBefore).toBeLessThanOrEqual(SLOTS);
  expect(recovery.peakAfter).toBe(SLOTS);
});
