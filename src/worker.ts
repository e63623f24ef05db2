// Builds the worker: workflows bundled from ./workflows, activities over the worker's own dependencies.
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { quietRuntime } from './temporal/runtime';
import { keepHeapNearLiveSet } from './temporal/heap';
import { workflowBundlePath } from './temporal/workflowBundle';
import { createActivities } from './pipeline/activities';
import type { ActivityDeps } from './pipeline/activities/deps';
import { DEFAULT_TASK_QUEUE } from './pipeline/config';

export { DEFAULT_TASK_QUEUE };

export interface WorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  deps: ActivityDeps;
  maxConcurrentActivities?: number;
  /** False for a pool that only runs one kind of step on its own task queue (see IngestInput.taskQueues). */
  workflows?: boolean;
  /** Must match the clients' (see temporal/dataConverter.ts). */
  dataConverter?: DataConverter;
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  quietRuntime();
  keepHeapNearLiveSet();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowBundle: options.workflows === false ? undefined : { codePath: await workflowBundlePath() },
    activities: createActivities(options.deps),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 32,
    dataConverter: options.dataConverter,
  });
}
