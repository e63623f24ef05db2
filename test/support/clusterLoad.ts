// Several worker processes on one simulated site limited to `rate` requests a second, each with that ceiling, with or
// without the cluster budget in PostgreSQL: what the site saw (from its own timeline).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startSimulator } from '../../simulator';

export interface ClusterLoad {
  rate: number;
  seconds: number;
  workers: number;
  /** The checkpoint database; absent: each process keeps only its own ceiling. */
  pgUrl?: string;
}

export interface ClusterLoadResult {
  requests: number;
  /** Requests a second at the site, first to last. */
  perSecond: number;
  /** The most requests the site saw in any one second. */
  peakSecond: number;
  rateLimited: number;
}

const ROOT = path.resolve(__dirname, '../..');

export async function measureClusterLoad(load: ClusterLoad): Promise<ClusterLoadResult> {
  const sim = await startSimulator({
    mode: 'cloud',
    seed: 24,
    spaces: 1,
    pagesPerSpace: 50,
    faults: { requestsPerSecond: load.rate, burstSize: Math.max(1, Math.round(load.rate / 4)) },
  });
  try {
    const env = {
      ...process.env,
      BUDGET_SIM_URL: sim.url,
      BUDGET_SIM_USER: sim.credentials.username,
      BUDGET_SIM_TOKEN: sim.credentials.apiToken,
      BUDGET_RATE: String(load.rate),
      BUDGET_SECONDS: String(load.seconds),
      BUDGET_PG_URL: load.pgUrl ?? '',
    };
    await Promise.all(Array.from({ length: load.workers }, () => worker(env)));
    const times = sim.stats.timeline.map((t) => t.at);
    const span = (times.at(-1)! - times[0]) / 1000;
    let peakSecond = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      peakSecond = Math.max(peakSecond, i - j + 1);
    }
    return { requests: times.length, perSecond: times.length / span, peakSecond, rateLimited: sim.stats.rateLimited };
  } finally {
    await sim.close();
  }
}

function worker(env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/run-ts.js', 'test/support/budgetLoad.ts'], { cwd: ROOT, env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`load worker exited ${code}: ${stderr}`))));
  });
}
