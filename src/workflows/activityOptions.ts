import type { ActivityOptions } from '@temporalio/workflow';

/** Retries with exponential backoff; failures the client marks non-retryable (401, 404, bad shape) stop at once. */
export function activityOptions(timeoutSeconds: number): ActivityOptions {
  return {
    startToCloseTimeout: `${timeoutSeconds} seconds`,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  };
}
