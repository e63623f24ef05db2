// Several worker processes on one simulated site, each with the same ceilings (--max-requests-per-second,
// --max-concurrency), with or without the cluster's shared budget and slots in PostgreSQL: what the site saw (from its
// own timeline and in-flight count); and how soon a killed worker's slots come back.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { type RunningSimulator, startSimulator } from '../../simulator';

export interface ClusterLoad {
  /** Requests a second the site allows and each worker keeps to; absent: no rate limit. */
  rate?: number;
  /** Each worker's --max-concurrency (default 8). */
  concurrency?: number;
  /** Added to every answer, so that requests overlap at the site. */
  latencyMs?: number;
  seconds: number;
  workers: number;
  /** The checkpoint database; absent: each process keeps only its own ceilings. */
  pgUrl?: string;
  /** The workers' lease on their share of the site's slots (default: the product's). */
  leaseMs?: number;
}

export interface ClusterLoadResult {
  requests: number;
  /** Requests a second at the site, first to last. */
  perSecond: number;
  /** The most requests the site saw in any one second. */
  peakSecond: number;
  rateLimited: number;
  /** The most requests the site had in flight at once. */
  peakInFlight: number;
}

export interface LoadWorker {
  child: ChildProcess;
  /** Resolves when it exits 0, rejects otherwise (a kill included). */
  exited: Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

export async function measureClusterLoad(load: ClusterLoad): Promise<ClusterLoadResult> {
  const sim = await startLoadSite(load);
  try {
    await Promise.all(Array.from({ length: load.workers }, () => startLoadWorker(sim, load).exited));
    const times = sim.stats.timeline.map((t) => t.at);
    const span = (times.at(-1)! - times[0]) / 1000;
    let peakSecond = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      peakSecond = Math.max(peakSecond, i - j + 1);
    }
    const { rateLimited, peakInFlight } = sim.stats;
    return { requests: times.length, perSecond: times.length / span, peakSecond, rateLimited, peakInFlight };
  } finally {
    await sim.close();
  }
}

export function startLoadSite(load: Pick<ClusterLoad, 'rate' | 'latencyMs'>): Promise<RunningSimulator> {
  const limit = load.rate && { requestsPerSecond: load.rate, burstSize: Math.max(1, Math.round(load.rate / 4)) };
  return startSimulator({
    mode: 'cloud',
    seed: 24,
    spaces: 1,
    pagesPerSpace: 50,
    faults: { ...limit, latencyMs: load.latencyMs ?? 0 },
  });
}

/** One worker process (test/support/budgetLoad.ts) reading pages of the site for `load.seconds`. */
export function startLoadWorker(sim: RunningSimulator, load: Omit<ClusterLoad, 'workers'>): LoadWorker {
  const env = {
    ...process.env,
    BUDGET_SIM_URL: sim.url,
    BUDGET_SIM_USER: sim.credentials.username,
    BUDGET_SIM_TOKEN: sim.credentials.apiToken,
    BUDGET_RATE: String(load.rate ?? ''),
    BUDGET_CONCURRENCY: String(load.concurrency ?? 8),
    BUDGET_SECONDS: String(load.seconds),
    BUDGET_PG_URL: load.pgUrl ?? '',
    BUDGET_LEASE_MS: String(load.leaseMs ?? ''),
  };
  const child = spawn(process.execPath, ['bin/run-ts.js', 'test/support/budgetLoad.ts'], { cwd: ROOT, env });
  const exited = new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`load worker exited ${code ?? signal}: ${stderr}`)),
    );
  });
  return { child, exited };
}

export interface SlotRecovery {
  /** From the kill until the survivor's row held every slot. */
  backMs: number;
  /** The most requests in flight at the site while both lived, and after the kill. */
  peakBefore: number;
  peakAfter: number;
}

/**
 * Two workers share the site's slots; one is SIGKILLed while it holds some (its requests in flight die with it), the
 * other runs on for `seconds` from its start.
 */
export async function measureSlotRecovery(
  load: Omit<ClusterLoad, 'workers' | 'pgUrl'> & { pgUrl: string },
): Promise<SlotRecovery> {
  const sim = await startLoadSite(load);
  const db = new pg.Pool({ connectionString: load.pgUrl, max: 1 });
  // An idle connection the server closed is dropped by the pool, not thrown at the process.
  db.on('error', () => undefined);
  const held = () => siteSlots(db, sim.url);
  const doomed = startLoadWorker(sim, { ...load, seconds: 600 });
  const survivor = startLoadWorker(sim, load);
  // Awaited below when all goes well; a failure kills both.
  for (const { exited } of [doomed, survivor]) exited.catch(() => undefined);
  try {
    await until(async () => (await held()).filter((slots) => slots > 0).length === 2);
    doomed.child.kill('SIGKILL');
    const killedAt = Date.now();
    await until(async () => (await held()).join() === String(load.concurrency));
    const backMs = Date.now() - killedAt;
    const peakBefore = sim.stats.peakInFlight;
    sim.stats.peakInFlight = sim.stats.inFlight;
    await survivor.exited;
    return { backMs, peakBefore, peakAfter: sim.stats.peakInFlight };
  } finally {
    // On a failure before the kill, neither may outlive the measurement.
    for (const { child } of [doomed, survivor]) if (child.exitCode === null && !child.killed) child.kill('SIGKILL');
    await db.end();
    await sim.close();
  }
}

/** The slots each live worker's row holds for the site. */
async function siteSlots(db: pg.Pool, siteUrl: string): Promise<number[]> {
  const { rows } = await db.query<{ slots: number }>(
    'SELECT slots FROM durable_ingest_site_slots WHERE site = $1 AND expires_at > clock_timestamp()',
    [new URL(siteUrl).href],
  );
  return rows.map((r) => r.slots);
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check().catch(() => false)); await sleep(20)) {
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
  }
}
