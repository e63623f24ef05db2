// How each step runs, declared once per step: the kind of task queue a job may send it to, whether it is one of a
// page's own steps (a local activity of the page workflow unless its kind has a queue of its own), and its timeout.
// The compiler checks that every activity has a declaration.
import { proxyActivities, proxyLocalActivities, type ActivityOptions, type RetryPolicy } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { IngestInput } from '../config';

type StepQueue = keyof IngestInput['taskQueues'];

interface Route {
  /** The kind of work: a job may give each kind its own task queue, so worker pools scale per kind. */
  queue?: StepQueue;
  /**
   * One of a page's own steps: a local activity of the page workflow unless routed, so a page costs the server one
   * workflow task instead of a round trip per step. Steps that heartbeat (file downloads) cannot be local.
   */
  local?: boolean;
  /**
   * Must run where the page's files are, and heartbeats (so it cannot be local): sent to the task queue of the worker
   * that downloaded the page. If that worker is gone, the step is not picked up and the page starts again elsewhere.
   */
  besideFiles?: boolean;
  /** Overrides the job's activity timeout and retries (input validation fails fast). */
  timeoutSeconds?: number;
  maximumAttempts?: number;
}

const ROUTES: Record<keyof Activities, Route> = {
  validateInput: { timeoutSeconds: 30, maximumAttempts: 3 },
  listSpaces: { queue: 'confluence' },
  listContent: { queue: 'confluence' },
  classifyPages: {},
  downloadPage: { queue: 'confluence', local: true },
  inlinePageImages: { queue: 'confluence', besideFiles: true },
  downloadPageFiles: { queue: 'confluence', besideFiles: true },
  downloadPageComments: { queue: 'confluence', local: true },
  partitionPage: { queue: 'partition', local: true },
  partitionExtractedFile: { queue: 'partition', local: true },
  partitionParts: { queue: 'partition', local: true },
  embedPage: { queue: 'embed', local: true },
  uploadExtractedFile: { local: true },
  uploadPage: { local: true },
  syncPermissions: {},
  findMissing: {},
  recordedSpaces: {},
  sweepTempFiles: {},
  writeReport: {},
};

/** Retries with exponential backoff; failures marked non-retryable (401, 404, bad shape) stop at once. */
const RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 10,
};

/**
 * Local activities wait out every retry backoff on a workflow timer, never inside the SDK's core: the core (1.24's)
 * keeps the start-to-close timer of each earlier attempt running when it retries in-process, so a retry that comes
 * within a minute (the default threshold) is later "timed out" by its predecessor's timer, and once the worker has
 * shut down that timer panics (`local_activities.rs: receive half not dropped`). A site down for a minute did both.
 */
const LOCAL_RETRY_THRESHOLD = '1 ms';

export type StepRouting = Pick<IngestInput, 'activityTimeoutSeconds' | 'taskQueues'>;

/** Steps may hand each other files only when none of them runs on a pool of its own (on another machine). */
export function handsOffInline({ taskQueues }: StepRouting): boolean {
  return Object.values(taskQueues).some(Boolean);
}

/**
 * The job's steps, each run where its route and the job's task queues say; `hostQueue`: the queue of the page's worker.
 */
export function stepsFor({ activityTimeoutSeconds, taskQueues }: StepRouting, hostQueue?: string): Activities {
  return new Proxy({} as Activities, {
    get: (_, property) => {
      const name = property as keyof Activities;
      const route = ROUTES[name];
      const timeout = (route.timeoutSeconds ?? activityTimeoutSeconds) * 1000;
      const options: ActivityOptions = {
        startToCloseTimeout: timeout,
        retry: { ...RETRY, maximumAttempts: route.maximumAttempts ?? RETRY.maximumAttempts },
      };
      const taskQueue = route.queue && taskQueues[route.queue];
      if (taskQueue) return proxyActivities<Activities>({ ...options, taskQueue })[name];
      if (route.besideFiles && hostQueue)
        return proxyActivities<Activities>({ ...options, taskQueue: hostQueue, scheduleToStartTimeout: timeout })[name];
      const proxy = route.local
        ? proxyLocalActivities<Activities>({ ...options, localRetryThreshold: LOCAL_RETRY_THRESHOLD })
        : proxyActivities<Activities>(options);
      return proxy[name];
    },
  });
}
