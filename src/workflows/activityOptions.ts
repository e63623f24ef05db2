import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { IngestInput } from '../config';
import type { Activities } from '../activities';

/** Retries with exponential backoff; failures the client marks non-retryable (401, 404, bad shape) stop at once. */
export function activityOptions(timeoutSeconds: number): ActivityOptions {
  return {
    startToCloseTimeout: `${timeoutSeconds} seconds`,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  };
}

type StepQueue = keyof IngestInput['taskQueues'];

/** Which steps may run on their own task queue: Confluence calls, CPU-heavy partitioning, embedding. */
const QUEUE_OF: Partial<Record<keyof Activities, StepQueue>> = {
  listSpaces: 'confluence',
  listContent: 'confluence',
  downloadPage: 'confluence',
  pagePermissions: 'confluence',
  inlinePageImages: 'confluence',
  downloadPageFiles: 'confluence',
  partitionPage: 'partition',
  chunkPage: 'partition',
  partitionExtractedFile: 'partition',
  embedPage: 'embed',
};

/**
 * The job's activities, each routed to the task queue the job gives its kind of step (the workflow's own queue
 * otherwise), so worker pools can be scaled per kind of work.
 */
export function pipelineSteps(job: IngestInput): Activities {
  const options = activityOptions(job.activityTimeoutSeconds);
  const own = proxyActivities<Activities>(options);
  const routed = (queue: StepQueue) => {
    const taskQueue = job.taskQueues[queue];
    return taskQueue ? proxyActivities<Activities>({ ...options, taskQueue }) : own;
  };
  const queues = { confluence: routed('confluence'), partition: routed('partition'), embed: routed('embed') };
  return new Proxy(own, {
    get: (target, name) => {
      const queue = QUEUE_OF[name as keyof Activities];
      return queue ? queues[queue][name as keyof Activities] : target[name as keyof Activities];
    },
  });
}
