// Builds the worker: workflows bundled from ./workflows, activities over the worker's own dependencies.
import { NativeConnection, Runtime, Worker, DefaultLogger } from '@temporalio/worker';
import { createActivities } from './activities';
import type { ActivityDeps } from './activities/deps';

export const DEFAULT_TASK_QUEUE = 'durable-ingest';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  deps: ActivityDeps;
  maxConcurrentActivities?: number;
}

let runtimeInstalled = false;

/** The SDK logs every worker state change at INFO; a CLI user wants only problems. */
export function quietRuntime(level: 'WARN' | 'INFO' | 'DEBUG' = 'WARN'): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger(level) });
  runtimeInstalled = true;
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  quietRuntime();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities: createActivities(options.deps),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 32,
  });
}
