// Builds a worker: workflows bundled from pipeline/workflows, activities over the worker's own dependencies, and a
// second poller on a task queue of this worker's own, where the steps that must run beside a page's files are sent.
import os from 'node:os';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import {
  type ActivityInterceptorsFactory,
  type NativeConnection,
  Worker,
  type WorkerDeploymentOptions,
} from '@temporalio/worker';
import { openCheckpoint } from './checkpoint';
import { PgDatabases } from './core/pgDatabases';
import { reachDatabase } from './destinations/postgres/table';
import { createActivities } from './pipeline/activities';
import { diskFullInterceptors } from './pipeline/activities/diskFull';
import type { ActivityDeps } from './pipeline/activities/deps';
import { DEFAULT_TASK_QUEUE } from './pipeline/config';
import { claimWorkDir, type WorkDir } from './pipeline/workDir';
import { keepHeapNearLiveSet } from './temporal/heap';
import { quietRuntime } from './temporal/runtime';
import { workerBuildId, workflowBundlePath } from './temporal/workflowBundle';

export { DEFAULT_TASK_QUEUE };

/** The worker deployment both pollers of a worker declare, with the build id of their code (see workerBuildId). */
export const WORKER_DEPLOYMENT_NAME = 'durable-ingest';

/** In the user's cache, not the shared temp folder: there another account could create it first. */
export const DEFAULT_WORK_DIR = path.join(
  process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
  'durable-ingest',
  'work',
);

export interface WorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  deps: Omit<ActivityDeps, 'host'>;
  /** Scratch space: this worker works in a folder of its own below it (see pipeline/workDir.ts). */
  workDir?: string;
  maxConcurrentActivities?: number;
  /** False for a pool that only runs one kind of step on its own task queue (see IngestInput.taskQueues). */
  workflows?: boolean;
  /** Must match the clients' (see temporal/dataConverter.ts). */
  dataConverter?: DataConverter;
  /**
   * Worker Versioning: take only tasks of runs on this build (set current with `temporal worker deployment
   * set-current-version`), runs staying on it (pinned) or moving to the current build (auto-upgrade). Off: any worker.
   */
  versioning?: 'pinned' | 'auto-upgrade';
  /** Run before the worker's own around each activity: the embedded worker's RunAdmission. */
  activityInterceptors?: ActivityInterceptorsFactory[];
}

/** The worker of the task queue and this worker's own; they run and stop together. */
export class IngestWorker {
  constructor(
    private readonly workers: [Worker, Worker],
    private readonly workDir: WorkDir,
    /** The build id both pollers declare. */
    readonly buildId: string,
    private readonly databases: PgDatabases,
  ) {}

  getState(): ReturnType<Worker['getState']> {
    return this.workers[0].getState();
  }

  shutdown(): void {
    for (const worker of this.workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  }

  async run(): Promise<void> {
    try {
      await Promise.all(this.workers.map((worker) => worker.run().finally(() => this.shutdown())));
    } finally {
      await this.released();
    }
  }

  async runUntil<T>(work: Promise<T> | (() => Promise<T>)): Promise<T> {
    const [main, own] = this.workers;
    const ownRun = own.run();
    try {
      return await main.runUntil(work);
    } finally {
      if (own.getState() === 'RUNNING') own.shutdown();
      await ownRun;
      await this.released();
    }
  }

  /** What the worker held for its activities: its scratch folder, its database pools. */
  private async released(): Promise<void> {
    await Promise.all([this.workDir.release(), this.databases.close()]);
  }
}

/** A checkpoint URL that does not work stops the worker at start, with the reason, before it takes any task. */
async function checkCheckpoint(url: string | undefined): Promise<void> {
  if (!url) return;
  const store = openCheckpoint(url);
  try {
    await store.ready();
  } finally {
    await store.close();
  }
}

export async function createWorker(options: WorkerOptions): Promise<IngestWorker> {
  quietRuntime();
  keepHeapNearLiveSet();
  await checkCheckpoint(options.deps.checkpointUrl);
  // A destination database URL that does not work stops the worker the same way.
  if (options.deps.databaseUrl) await reachDatabase(options.deps.databaseUrl);
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  const workDir = await claimWorkDir(options.workDir ?? DEFAULT_WORK_DIR);
  const host = { id: workDir.id, queue: `${taskQueue}/worker/${workDir.id}`, workDir: workDir.dir };
  const databases = new PgDatabases();
  const activities = createActivities({ ...options.deps, host }, databases);
  const buildId = workerBuildId();
  // Without versioning the build id is declared (recorded on each workflow task), not enforced (README: "Changing
  // workflow code").
  const version = { deploymentName: WORKER_DEPLOYMENT_NAME, buildId };
  const deployment: WorkerDeploymentOptions = options.versioning
    ? {
        version,
        useWorkerVersioning: true,
        defaultVersioningBehavior: options.versioning === 'pinned' ? 'PINNED' : 'AUTO_UPGRADE',
      }
    : { version, useWorkerVersioning: false };
  const common = {
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    activities,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 32,
    dataConverter: options.dataConverter,
    workerDeploymentOptions: deployment,
    interceptors: { activity: [...(options.activityInterceptors ?? []), diskFullInterceptors] },
  };
  const workflowBundle = options.workflows === false ? undefined : { codePath: await workflowBundlePath() };
  const [main, own] = await Promise.all([
    Worker.create({ ...common, taskQueue, workflowBundle }),
    Worker.create({ ...common, taskQueue: host.queue }),
  ]);
  return new IngestWorker([main, own], workDir, buildId, databases);
}
