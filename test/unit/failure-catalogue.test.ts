// Every failure type is in one catalogue (src/core/failures.ts) and ends a command with one exit code, whether the
// workflow met it in a step, in its own code, or the CLI met it before any run: the README's table, kept by a test.
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EXIT, exitOf, outcomeOf } from '../../src/cli/outcome';
import { FAILURE, FAILURES, type FailureName } from '../../src/core/failures';
import { StoreError } from '../../src/core/storeError';
import { LISTING_STOPS, RUN_STOPS } from '../../src/pipeline/runStops';

const MEANING_EXIT = { badInput: EXIT.badInput, environment: EXIT.stopped, failed: EXIT.failed };
const NAMES = Object.keys(FAILURES) as FailureName[];

function workflowFailed(cause: Error): WorkflowFailedError {
  return new WorkflowFailedError('Workflow execution failed', cause, RetryState.NON_RETRYABLE_FAILURE);
}

function inActivity(cause: Error): ActivityFailure {
  return new ActivityFailure('Activity task failed', 'step', '1', RetryState.NON_RETRYABLE_FAILURE, 'w', cause);
}

function inChild(cause: Error): ChildWorkflowFailure {
  const execution = { workflowId: 'page', runId: 'r' };
  return new ChildWorkflowFailure(
    'default',
    execution,
    'confluencePageWorkflow',
    RetryState.NON_RETRYABLE_FAILURE,
    cause,
  );
}

describe('the failure catalogue', () => {
  it.each(NAMES)('%s ends a run with one exit code, the one its meaning says, however deep it was met', (name) => {
    const failure = () => ApplicationFailure.create({ type: name, message: `${name} happened` });
    const codes = new Set(
      [failure(), inActivity(failure()), inChild(inActivity(failure()))].map(
        (chain) => outcomeOf(workflowFailed(chain)).code,
      ),
    );
    expect([...codes]).toEqual([MEANING_EXIT[FAILURES[name].meaning]]);
    expect(exitOf(name)).toBe(MEANING_EXIT[FAILURES[name].meaning]);
  });

  it('names each type by its own key, so code that spells FAILURE.X names a catalogued type', () => {
    for (const name of NAMES) expect(FAILURE[name]).toBe(name);
  });

  it('stops a run on the types it marks, and only those', () => {
    expect([...RUN_STOPS].sort()).toEqual(['ConfluenceAuth', 'ConfluenceForbidden', 'DiskFull', 'MassDeletion']);
    expect([...LISTING_STOPS].sort()).toEqual(['ConfluenceAuth', 'DiskFull', 'MassDeletion']);
  });

  it('a missing table found by a cluster run exits 2, as the same mistake found before an embedded run does', () => {
    const missing = new StoreError(
      'destination',
      'table elements in postgresql://u@db:5432/d does not exist: create it with `durable-ingest postgres init`',
    );
    const asActivity = ApplicationFailure.create({ type: missing.name, message: missing.message, nonRetryable: true });
    expect(outcomeOf(workflowFailed(inActivity(asActivity)))).toEqual({ code: EXIT.badInput, line: missing.message });
    expect(outcomeOf(missing)).toEqual({ code: EXIT.badInput, line: missing.message });
  });

  it('a checkpoint and a destination failure are one class, each with its own failure type', () => {
    expect(new StoreError('checkpoint', 'x').name).toBe(FAILURE.CheckpointError);
    expect(new StoreError('destination', 'x').name).toBe(FAILURE.DestinationError);
  });
});
