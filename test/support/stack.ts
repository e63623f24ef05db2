// The real parts of an ingest, started for a test: simulator, dev server, worker processes, and a job for them.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { IngestInputSchema, type IngestInput } from '../../src/pipeline/config';
import { queryProgress, type IngestHandle } from '../../src/client';
import type { RunningSimulator } from '../../simulator';
import type { IngestProgress } from '../../src/pipeline/progress';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'durable-ingest.js');

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** A Cloud ingest of the simulator's site into a fresh directory. */
export function jobFor(sim: RunningSimulator, dir: string, overrides: Partial<IngestInput> = {}): IngestInput {
  return IngestInputSchema.parse({
    site: { url: sim.url, cloud: true, auth: 'api-token', username: sim.credentials.username },
    selection: { maxNumOfDocsFromEachSpace: 100_000 },
    outputDir: path.join(dir, 'out'),
    workDir: path.join(dir, 'work'),
    ...overrides,
  });
}

/** `durable-ingest worker` in its own process, as an operator runs it; the token comes from its environment. */
export function startWorkerProcess(address: string, sim: RunningSimulator): ChildProcess {
  return spawn(process.execPath, [BIN, 'worker'], {
    env: { ...process.env, TEMPORAL_ADDRESS: address, CONFLUENCE_API_TOKEN: sim.credentials.apiToken },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function killHard(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = once(worker, 'exit');
  worker.kill('SIGKILL');
  await exited;
}

/** Polls the progress query until `done` reaches the count (queries fail while no worker runs: keep polling). */
export async function waitForDone(handle: IngestHandle, done: number, timeoutMs = 300_000): Promise<IngestProgress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await queryProgress(handle).catch(() => undefined);
    if (progress && progress.done >= done) return progress;
    if (Date.now() > deadline) throw new Error(`ingest did not reach ${done} done pages within ${timeoutMs} ms (last: ${progress?.done})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function handleOf(client: Client, workflowId: string): IngestHandle {
  return client.workflow.getHandle(workflowId);
}

/** Sum of the simulator's page-body requests (each GET of a page with its body). */
export function bodyRequests(sim: RunningSimulator): number {
  return [...sim.stats.pageBodyRequests.values()].reduce((a, b) => a + b, 0);
}
