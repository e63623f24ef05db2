// ConfluenceError -> Temporal ApplicationFailure: transient kinds retry (rate limits after the server's wait),
// everything a user must fix is non-retryable and keeps the message that says what to fix.
import { ApplicationFailure } from '@temporalio/common';
import { ConfluenceConfigError, ConfluenceError, type ConfluenceErrorKind } from './errors';

const TYPE_NAMES: Record<ConfluenceErrorKind, string> = {
  auth: 'ConfluenceAuth',
  forbidden: 'ConfluenceForbidden',
  'not-found': 'ConfluenceNotFound',
  'bad-request': 'ConfluenceBadRequest',
  'rate-limit': 'ConfluenceRateLimit',
  server: 'ConfluenceServer',
  network: 'ConfluenceNetwork',
  shape: 'ConfluenceShape',
};

/** ApplicationFailure types a retry policy can list as non-retryable regardless of the flag. */
export const NON_RETRYABLE_TYPES = [
  'ConfluenceAuth',
  'ConfluenceForbidden',
  'ConfluenceNotFound',
  'ConfluenceBadRequest',
  'ConfluenceShape',
  'ConfluenceConfig',
];

/** Anything else (cancellation, bugs) passes through unchanged so Temporal treats it as usual. */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof ConfluenceConfigError) {
    return ApplicationFailure.create({ message: err.message, type: 'ConfluenceConfig', nonRetryable: true });
  }
  if (!(err instanceof ConfluenceError)) return err;
  const rateLimited = err.kind === 'rate-limit' && err.retryable && err.retryAfterMs !== undefined;
  return ApplicationFailure.create({
    message: err.message,
    type: TYPE_NAMES[err.kind],
    nonRetryable: !err.retryable,
    nextRetryDelay: rateLimited ? err.retryAfterMs : undefined,
    details: [{ kind: err.kind, status: err.status ?? null }],
  });
}
