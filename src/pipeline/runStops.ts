// Failures after which no other page can succeed (core/failures.ts says which: the credentials rejected, the account
// that lost the site, a full disk). The ingest stops at the first one instead of failing every page with ten retries
// each, and names it. Free of side effects: the workflows import it.
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE, failureOf, runStoppingTypes } from '../core/failures';

/** The ingest workflow's own failure type when it stopped for one of these; its message is the user's one line. */
export const RUN_STOPPED = FAILURE.RunStopped;

/** Anywhere in a page, or in the run's own steps. */
export const RUN_STOPS: readonly string[] = runStoppingTypes('pages');

/** Listing a space: a 403 there concerns that space alone (the run goes on with the others and reports it). */
export const LISTING_STOPS: readonly string[] = runStoppingTypes('anywhere');

export interface RunStop {
  /** The failure type of the cause, e.g. ConfluenceAuth or DiskFull. */
  type: string;
  /** The cause's own one line: what happened and what to do. */
  reason: string;
}

/** The run-stopping failure somewhere in err's cause chain (child workflow -> activity -> application failure). */
export function runStopIn(err: unknown, types: readonly string[] = RUN_STOPS): RunStop | undefined {
  for (let current = err; current instanceof Error; current = current.cause) {
    if (current instanceof ApplicationFailure && current.type && types.includes(current.type))
      return { type: current.type, reason: current.message };
  }
  return undefined;
}

/** The workflow's failure: the cause, then what was kept and how to go on, in one line. */
export function runStoppedFailure(stop: RunStop, done: number): ApplicationFailure {
  const kept = `${done} page${done === 1 ? ' is' : 's are'} written and recorded; a re-run continues from there`;
  return ApplicationFailure.create({
    ...failureOf(RUN_STOPPED, `the run stopped: ${stop.reason}. ${kept}`),
    details: [stop],
  });
}

/**
 * Why the run must stop: the stop a page found (the window's failure), or a run-stopping failure of the run's own
 * steps.
 */
export function stopOf(err: unknown): RunStop | undefined {
  if (err instanceof ApplicationFailure && err.type === RUN_STOPPED) return err.details?.[0] as RunStop | undefined;
  return runStopIn(err);
}
