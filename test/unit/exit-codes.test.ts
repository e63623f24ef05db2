// Each way a command can end maps to one exit code and one line: the failure chain of a workflow is unwrapped to the
// cause, so the user reads the step's own words (or the run's stop), never "Workflow execution failed".
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, RetryState, TerminatedFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { DestinationBusyError } from '../../src/client';
import { EXIT, outcomeOf } from '../../src/cli/outcome';
import { ConfluenceError } from '../../src/connectors/confluence/client/errors';
import { ConfigError } from '../../src/core/configError';
import { RUN_STOPPED, runStoppedFailure } from '../../src/pipeline/runStops';
import { TemporalUnreachableError } from '../../src/temporal/reach';

function workflowFailed(cause: Error): WorkflowFailedError {
  return new WorkflowFailedError('Workflow execution failed', cause, RetryState.NON_RETRYABLE_FAILURE);
}

function activityFailed(cause: Error): ActivityFailure {
  return new ActivityFailure(
    'Activity task failed',
    'listSpaces',
    '1',
    RetryState.NON_RETRYABLE_FAILURE,
    'worker',
    cause,
  );
}

describe('exit codes', () => {
  it("a run stopped by its environment exits 3 with the run's own line: cause, what was kept, what to do", () => {
    const stop = {
      type: 'ConfluenceAuth',
      reason:
        'https://x.atlassian.net rejected the credentials of user a@b.c (401 on GET /wiki/api/v2/pages/7); check --api-token',
    };
    const outcome = outcomeOf(workflowFailed(runStoppedFailure(stop, 52)));
    expect(outcome).toEqual({
      code: EXIT.stopped,
      line: `the run stopped: ${stop.reason}. 52 pages are written and recorded; a re-run continues from there`,
    });
    expect(runStoppedFailure(stop, 1).message).toContain('1 page is written');
    expect(runStoppedFailure(stop, 1).type).toBe(RUN_STOPPED);
  });

  it("bad input found by the run's first steps exits 2 with the step's message", () => {
    const noCredentials = ApplicationFailure.create({
      message: 'this worker holds no credentials for Confluence site https://x/wiki; register it',
      type: 'NoCredentials',
    });
    expect(outcomeOf(workflowFailed(activityFailed(noCredentials)))).toEqual({
      code: EXIT.badInput,
      line: noCredentials.message,
    });
    const unknownSpace = ApplicationFailure.nonRetryable(
      'space key(s) NOPE not found or not visible to this user; check --spaces',
      'UnknownSpace',
    );
    expect(outcomeOf(workflowFailed(unknownSpace)).code).toBe(EXIT.badInput);
  });

  it('a workflow that failed otherwise exits 4 and names the innermost cause', () => {
    const bug = ApplicationFailure.create({
      message: "Cannot read properties of undefined (reading 'id')",
      type: 'TypeError',
    });
    expect(outcomeOf(workflowFailed(activityFailed(bug)))).toEqual({
      code: EXIT.failed,
      line: `the ingest failed: ${bug.message}`,
    });
  });

  it('a run terminated from outside exits 3', () => {
    const outcome = outcomeOf(workflowFailed(new TerminatedFailure('stopped by an operator')));
    expect(outcome.code).toBe(EXIT.stopped);
    expect(outcome.line).toBe('the ingest was terminated from outside: stopped by an operator');
  });

  it('Temporal unreachable, the output busy, or the site down before the run: 3; settings and refused credentials: 2; a bug: 4', () => {
    expect(outcomeOf(new TemporalUnreachableError('cannot reach Temporal at 127.0.0.1:1 (...)')).code).toBe(
      EXIT.stopped,
    );
    expect(outcomeOf(new DestinationBusyError('out is being written by another run')).code).toBe(EXIT.stopped);
    expect(
      outcomeOf(new ConfluenceError('network', 'could not complete GET /wiki/api/v2/spaces (ECONNREFUSED)')).code,
    ).toBe(EXIT.stopped);
    expect(outcomeOf(new ConfluenceError('auth', 'rejected the credentials (401)')).code).toBe(EXIT.badInput);
    expect(outcomeOf(new ConfigError('--chunk-overlap must be a whole number')).code).toBe(EXIT.badInput);
    expect(outcomeOf(new Error('--ui-port must be a port number (1-65535), got "x"'))).toEqual({
      code: EXIT.badInput,
      line: '--ui-port must be a port number (1-65535), got "x"',
    });
    expect(outcomeOf(new TypeError('x is not a function')).code).toBe(EXIT.failed);
  });

  it('a connection lost to the server (gRPC UNAVAILABLE) exits 3', () => {
    const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
      code: 14,
      details: 'No connection established',
      metadata: {},
    });
    expect(outcomeOf(grpc).code).toBe(EXIT.stopped);
  });
});
