import { proxyActivities, proxyLocalActivities, type ActivityOptions, type LocalActivityOptions, type RetryPolicy } from '@temporalio/workflow';
import type { IngestInput } from '../config';
import type { Activities } from '../activities';

const RETRY: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 };

/** Retries with exponential backoff; failures the client marks non-retryable (401, 404, bad shape) stop at once. */
function activityOptions(timeoutSeconds: number): ActivityOptions & LocalActivityOptions {
  return { startToCloseTimeout: `${timeoutSeconds} seconds`, retry: RETRY };
}

type StepQueue = keyof IngestInput['taskQueues'];

/** Which steps may run on their own task queue: Confluence calls, CPU-heavy partitioning, embedding. */
const QUEUE_OF: Partial<Record<keyof Activities, StepQueue>> = {
  listSpaces: 'confluence',
  listContent: 'confluence',
  downloadPage: 'confluence',
  inlinePageImages: 'confluence',
  downloadPageFiles: 'confluence',
  partitionPage: 'partition',
  partitionExtractedFile: 'partition',
  embedPage: 'embed',
};

/**
 * A page's own steps. Unless the job sends their kind to a queue of its own they run as local activities of the page
 * workflow: one workflow task per page instead of a round trip through the server per step, which is most of the
 * server's load on a large site. The file downloads heartbeat, which local activities cannot, so they stay ordinary.
 */
const LOCAL_STEPS = new Set<keyof Activities>(['downloadPage', 'partitionPage', 'embedPage', 'uploadPage', 'partitionExtractedFile', 'uploadExtractedFile']);

/**
 * The job's activities, each routed to the task queue the job gives its kind of step (else the workflow's own queue,
 * as a local activity when it is one of a page's own steps), so worker pools can be scaled per kind of work.
 */
export function pipelineSteps(job: IngestInput): Activities {
  const options = activityOptions(job.activityTimeoutSeconds);
  const remote = proxyActivities<Activities>(options);
  const local = proxyLocalActivities<Activities>(options);
  const routed = (queue: StepQueue) => {
    const taskQueue = job.taskQueues[queue];
    return taskQueue ? proxyActivities<Activities>({ ...options, taskQueue }) : undefined;
  };
  const queues = { confluence: routed('confluence'), partition: routed('partition'), embed: routed('embed') };
  return new Proxy(remote, {
    get: (_, property) => {
      const name = property as keyof Activities;
      const queue = QUEUE_OF[name];
      const onQueue = queue ? queues[queue] : undefined;
      return (onQueue ?? (LOCAL_STEPS.has(name) ? local : remote))[name];
    },
  });
}
