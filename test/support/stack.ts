// The real parts of an ingest, started for a test: simulator, dev server, worker (in-process or processes), and a job
// for them.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { RunningSimulator, SimulatorOptionsInput } from '../../simulator';
import { startSimulator } from '../../simulator';
import { type IngestHandle, queryProgress, startIngest } from '../../src/client';
import { type IngestInput, IngestInputSchema, type Secrets } from '../../src/pipeline/config';
import { oneSiteTable, WorkerCredentials } from '../../src/pipeline/credentials';
import type { IngestProgress } from '../../src/pipeline/progress';
import { type DevServer, type DevServerOptions, startDevServer } from '../../src/temporal/devServer';
import { freePort } from './ports';
import { createWorker, type IngestWorker, type WorkerOptions } from '../../src/worker';
import { until } from './until';

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
    ...overrides,
  });
}

/**
 * `durable-ingest worker` in its own process, as an operator runs it; the token (for the simulator's site) comes from
 * its environment.
 */
export function startWorkerProcess(
  address: string,
  sim: RunningSimulator,
  extra: { args?: string[]; env?: NodeJS.ProcessEnv; stderr?: 'inherit' | 'pipe' } = {},
): ChildProcess {
  return spawn(process.execPath, [BIN, 'worker', ...(extra.args ?? [])], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      CONFLUENCE_URL: sim.url,
      CONFLUENCE_API_TOKEN: sim.credentials.apiToken,
      ...extra.env,
    },
    stdio: ['ignore', 'ignore', extra.stderr ?? 'inherit'],
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
  let last: number | undefined;
  return until(
    async () => {
      const progress = await queryProgress(handle).catch(() => undefined);
      last = progress?.done ?? last;
      return progress && progress.done >= done ? progress : undefined;
    },
    `ingest ${handle.workflowId} to have ${done} pages done`,
    { timeoutMs, intervalMs: 250, lastSeen: () => ({ done: last }) },
  );
}

/**
 * Runs a job on `durable-ingest worker` processes polling a task queue of its own, so that no other worker of the
 * stack takes any of it: the first is SIGKILLed once `killAfter` pages are done, `whileDown` looks at what it left
 * (nothing can change it then), and a second worker finishes the same run.
 */
export async function ingestThroughKill<T>(
  stack: Stack,
  job: IngestInput,
  options: {
    taskQueue: string;
    killAfter: number;
    env?: NodeJS.ProcessEnv;
    whileDown: () => Promise<T>;
  },
): Promise<{ result: IngestProgress; whileDown: T }> {
  const start = () => stack.startWorkerProcess({ args: ['--task-queue', options.taskQueue], env: options.env });
  const workers = [start()];
  try {
    const handle = await startIngest(stack.client, job, { taskQueue: options.taskQueue });
    await waitForDone(handle, options.killAfter);
    await killHard(workers[0]);
    const seen = await options.whileDown();
    workers.push(start());
    return { result: await handle.result(), whileDown: seen };
  } finally {
    await Promise.all(workers.map(killHard));
  }
}

export function handleOf(client: Client, workflowId: string): IngestHandle {
  return client.workflow.getHandle(workflowId);
}

/** Sum of the simulator's page-body requests (each GET of a page with its body). */
export function bodyRequests(sim: RunningSimulator): number {
  return [...sim.stats.pageBodyRequests.values()].reduce((a, b) => a + b, 0);
}

/**
 * Which worker the stack starts and keeps running until stop():
 * - `in-process`: src/worker.ts's worker in the test's own process (its activities share the test's memory);
 * - `process`: `durable-ingest worker` in a child process, as an operator runs it (token from its environment);
 * - `none`: the test starts its own, with createWorker() or startWorkerProcess().
 */
export type StackWorker = 'in-process' | 'process' | 'none';

/** Deps given add to the stack's credentials (a database URL, a checkpoint URL...) or replace them. */
export type InProcessWorkerOptions = Partial<Omit<WorkerOptions, 'connection' | 'deps'>> & {
  deps?: Partial<WorkerOptions['deps']>;
};

export interface StackOptions {
  /** The simulated Confluence site. */
  simulator: SimulatorOptionsInput;
  /** Options of the Temporal dev server; with a dbFilename the stack can restart it on the same port and state. */
  devServer?: DevServerOptions;
  /** Default `in-process`. */
  worker?: StackWorker;
  /**
   * For the in-process worker: a data converter, a task queue, its own deps... (connection and credentials are the
   * stack's).
   */
  workerOptions?: InProcessWorkerOptions;
  /**
   * In-process workers' credentials, for the simulator's site (and Unstructured's and OpenAI's default endpoints);
   * default its API token.
   */
  secrets?: Secrets;
}

export interface Stack {
  readonly sim: RunningSimulator;
  /** The dev server now running (another one after restartServer). */
  readonly server: DevServer;
  /** The dev server's frontend address (host:port). */
  readonly address: string;
  readonly client: Client;
  /** The stack's in-process worker, running (worker: 'in-process'). */
  readonly worker: IngestWorker | undefined;
  /** The stack's worker process (worker: 'process'). */
  readonly workerProcess: ChildProcess | undefined;
  /** A new in-process worker on the stack's connection and credentials, not yet running (for `runUntil`). */
  createWorker(options?: InProcessWorkerOptions): Promise<IngestWorker>;
  /** One more `durable-ingest worker` process against the stack; stop() kills it if it still runs. */
  startWorkerProcess(extra?: Parameters<typeof startWorkerProcess>[2]): ChildProcess;
  /**
   * Stops the dev server and, `downMs` later, starts it again on the same port and database file (needs
   * devServer.dbFilename).
   */
  restartServer(downMs?: number): Promise<void>;
  /** Workers first (processes killed, the in-process one shut down), then the simulator and the dev server. */
  stop(): Promise<void>;
}

/** Starts the simulator and the dev server side by side, then the worker the options ask for. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const serverOptions: DevServerOptions = { ...options.devServer };
  // A restart must find the server where the worker processes and clients look for it.
  if (serverOptions.dbFilename && serverOptions.port === undefined) serverOptions.port = await freePort();
  const [simResult, serverResult] = await Promise.allSettled([
    startSimulator(options.simulator),
    startDevServer(serverOptions),
  ]);
  if (simResult.status === 'rejected' || serverResult.status === 'rejected') {
    await Promise.allSettled([
      simResult.status === 'fulfilled' ? simResult.value.close() : undefined,
      serverResult.status === 'fulfilled' ? serverResult.value.stop() : undefined,
    ]);
    throw simResult.status === 'rejected' ? simResult.reason : (serverResult as PromiseRejectedResult).reason;
  }
  const sim = simResult.value;
  let server = serverResult.value;
  const credentials = new WorkerCredentials(
    oneSiteTable({ siteUrl: sim.url }, options.secrets ?? { apiToken: sim.credentials.apiToken }),
  );
  const processes: ChildProcess[] = [];
  let worker: IngestWorker | undefined;
  let workerProcess: ChildProcess | undefined;
  let running: Promise<void> | undefined;
  let workerFailure: unknown;

  const stack: Stack = {
    sim,
    get server() {
      return server;
    },
    get address() {
      return server.address;
    },
    get client() {
      return server.client;
    },
    get worker() {
      return worker;
    },
    get workerProcess() {
      return workerProcess;
    },
    createWorker: (extra = {}) =>
      createWorker({
        ...options.workerOptions,
        ...extra,
        // Deps given add to (or replace) the stack's credentials, e.g. a database URL.
        deps: { ...credentials.lookups(), ...options.workerOptions?.deps, ...extra.deps },
        connection: server.nativeConnection,
      }),
    startWorkerProcess(extra) {
      const child = startWorkerProcess(server.address, sim, extra);
      processes.push(child);
      return child;
    },
    async restartServer(downMs = 0) {
      if (!serverOptions.dbFilename)
        throw new Error(
          'restartServer needs devServer.dbFilename: a server restarted without its database has lost every run',
        );
      await server.stop();
      await new Promise((r) => setTimeout(r, downMs));
      server = await startDevServer(serverOptions);
    },
    async stop() {
      await Promise.all(processes.map(killHard));
      if (worker?.getState() === 'RUNNING') worker.shutdown();
      await running;
      await Promise.allSettled([sim.close(), server.stop()]);
      if (workerFailure) throw workerFailure;
    },
  };

  try {
    const mode = options.worker ?? 'in-process';
    if (mode === 'in-process') {
      worker = await stack.createWorker();
      running = worker.run().catch((err: unknown) => {
        // Ingests would wait for a worker that is gone: say so now, and fail the file when the stack stops.
        console.error('the in-process worker stopped:', err);
        workerFailure = err;
      });
    } else if (mode === 'process') {
      workerProcess = stack.startWorkerProcess();
    }
  } catch (err) {
    await stack.stop().catch(() => undefined);
    throw err;
  }
  return stack;
}
