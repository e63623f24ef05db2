// ConfluenceError -> Temporal ApplicationFailure: transient kinds retry (rate limits after the server's wait),
// everything a user must fix is non-retryable and keeps the message that says what to fix. What each type means to a
// run is core/failures.ts's.
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE, type FailureName, failureOf } from '../../../core/failures';
import { ConfluenceConfigError, ConfluenceError, type ConfluenceErrorKind } from './errors';

const TYPE_NAMES: Record<ConfluenceErrorKind, FailureName> = {
  auth: FAILURE.ConfluenceAuth,
  forbidden: FAILURE.ConfluenceForbidden,
  'not-found': FAILURE.ConfluenceNotFound,
  'bad-request': FAILURE.ConfluenceBadRequest,
  'rate-limit': FAILURE.ConfluenceRateLimit,
  server: FAILURE.ConfluenceServer,
  network: FAILURE.ConfluenceNetwork,
  shape: FAILURE.ConfluenceShape,
};

/** The failure type a ConfluenceError travels as. */
export function confluenceFailureType(err: ConfluenceError): FailureName {
  return TYPE_NAMES[err.kind];
}

/** Anything else (cancellation, bugs) passes through unchanged so Temporal treats it as usual. */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof ConfluenceConfigError)
    return ApplicationFailure.create(failureOf(FAILURE.ConfluenceConfig, err.message));
  if (!(err instanceof ConfluenceError)) return err;
  const rateLimited = err.kind === 'rate-limit' && err.retryable && err.retryAfterMs !== undefined;
  return ApplicationFailure.create({
    message: err.message,
    type: confluenceFailureType(err),
    nonRetryable: !err.retryable,
    nextRetryDelay: rateLimited ? err.retryAfterMs : undefined,
    details: [{ kind: err.kind, status: err.status ?? null }],
  });
}
