// Typed failures of the Confluence client. Messages are one line, name the problem and the fix,
// and never carry a secret (they end up in Temporal history and logs).

export type ConfluenceErrorKind =
  | 'auth'
  | 'forbidden'
  | 'not-found'
  | 'bad-request'
  | 'rate-limit'
  | 'server'
  | 'network'
  | 'shape';

const TRANSIENT: ReadonlySet<ConfluenceErrorKind> = new Set(['rate-limit', 'server', 'network']);

export interface ConfluenceErrorOptions {
  status?: number;
  /** How long the server asked us to wait before the next attempt. */
  retryAfterMs?: number;
  /** Overrides the default (transient kinds retry), e.g. a user blocked "forever" by the rate limiter. */
  retryable?: boolean;
}

export class ConfluenceError extends Error {
  override readonly name = 'ConfluenceError';
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly retryable: boolean;

  constructor(
    readonly kind: ConfluenceErrorKind,
    message: string,
    options: ConfluenceErrorOptions = {},
  ) {
    super(oneLine(message));
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? TRANSIENT.has(kind);
  }
}

/** Bad settings (URL, credentials combination): found before any request is made. */
export class ConfluenceConfigError extends Error {
  override readonly name = 'ConfluenceConfigError';
  constructor(message: string) {
    super(oneLine(message));
  }
}

export function oneLine(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
