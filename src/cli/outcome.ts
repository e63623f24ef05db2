// How a command ends, for the shell and for the person at it: one exit code per kind of ending (README, "Exit codes")
// and one line that names the cause, unwrapped from the workflow's failure chain.
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure } from '@temporalio/common';
import { DestinationBusyError } from '../client';
import { ConfluenceError } from '../connectors/confluence/client/errors';
import { confluenceFailureType } from '../connectors/confluence/client/failures';
import { FAILURES, type FailureMeaning, type FailureName, isFailureName } from '../core/failures';
import { isTemporalUnreachable, TemporalUnreachableError } from '../temporal/reach';

export const EXIT = {
  /** Every listed page is ingested (or was already, unchanged). */
  done: 0,
  /** The run ended, but some pages failed or some spaces could not be listed to the end; each is named. */
  incomplete: 1,
  /** Bad input, found before anything ran: flags, environment, settings, credentials or space keys the site refuses. */
  badInput: 2,
  /** Stopped by its environment: disk full, credentials rejected mid-run, Temporal unreachable, the output busy. */
  stopped: 3,
  /** Failed for a reason none of the above covers (a bug, most likely); the line says what broke. */
  failed: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface Outcome {
  code: ExitCode;
  /** One line, without the program name. */
  line: string;
}

/** The exit code of each meaning a failure type has in core/failures.ts. */
const EXIT_OF: Record<FailureMeaning, ExitCode> = {
  badInput: EXIT.badInput,
  environment: EXIT.stopped,
  failed: EXIT.failed,
};

/** The exit code a failure of this type ends a command with, wherever it was met. */
export function exitOf(type: FailureName): ExitCode {
  return EXIT_OF[FAILURES[type].meaning];
}

/** The catalogued type an error thrown outside a workflow would travel as, if it has one. */
function failureTypeOf(err: unknown): FailureName | undefined {
  if (err instanceof ConfluenceError) return confluenceFailureType(err);
  return err instanceof Error && isFailureName(err.name) ? err.name : undefined;
}

/** Mistakes of code rather than of input or surroundings. */
const BUG_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];

export function outcomeOf(err: unknown): Outcome {
  if (err instanceof WorkflowFailedError) return workflowOutcome(err);
  const line = innermost(err);
  if (err instanceof TemporalUnreachableError || err instanceof DestinationBusyError || isTemporalUnreachable(err))
    return { code: EXIT.stopped, line };
  const type = failureTypeOf(err);
  if (type) return { code: exitOf(type), line };
  if (BUG_ERRORS.some((kind) => err instanceof kind)) return { code: EXIT.failed, line };
  return { code: EXIT.badInput, line };
}

function workflowOutcome(err: WorkflowFailedError): Outcome {
  const failure = applicationFailureIn(err);
  const code = isFailureName(failure?.type) ? exitOf(failure.type) : EXIT.failed;
  if (failure && code !== EXIT.failed) return { code, line: failure.message };
  if (err.cause instanceof TerminatedFailure || err.cause instanceof CancelledFailure) {
    return {
      code: EXIT.stopped,
      line: `the ingest was ${err.cause instanceof TerminatedFailure ? 'terminated' : 'cancelled'} from outside: ${innermost(err)}`,
    };
  }
  return { code: EXIT.failed, line: `the ingest failed: ${innermost(err)}` };
}

/** The outermost application failure: the workflow's own (RunStopped), else the step's that failed it. */
function applicationFailureIn(err: Error): ApplicationFailure | undefined {
  for (let current: unknown = err; current instanceof Error; current = current.cause)
    if (current instanceof ApplicationFailure) return current;
  return undefined;
}

/** The innermost message: a step's own words rather than "Workflow execution failed". */
function innermost(err: unknown): string {
  let current = err;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
