// One JSON-over-HTTP call to a remote service (embedding providers, the Unstructured partition API) with bounded
// retries: 429 and 5xx and network failures are retried with exponential backoff, honouring Retry-After up to a cap;
// other statuses fail at once. Error messages are one line and never carry the caller's secrets. Redirects are followed
// here, not by fetch: its default would send the key in the headers to whatever origin a redirect names.
import { setTimeout as sleep } from 'node:timers/promises';
import { fetch, type RequestInit, type Response } from 'undici';
import { parseJsonBody } from './jsonBody';
import { parseRetryAfter } from './retryAfter';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** The longest wait between attempts; a longer Retry-After ends the loop with a retryable error instead. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

export interface ServiceErrorOptions {
  status?: number;
  retryable: boolean;
  /** The server's requested wait, for a caller (a Temporal activity) that schedules the next try itself. */
  retryAfterMs?: number;
}

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(message: string, options: ServiceErrorOptions) {
    super(message);
    this.status = options.status;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export interface JsonCall {
  /** Names the service in errors, e.g. "Unstructured API". */
  service: string;
  url: string;
  /** Built anew for each attempt, since a request body can be consumed only once. */
  init: () => RequestInit;
  /** Values that must never appear in an error (API keys); replaced by "***". */
  secrets: readonly string[];
  /** The fix to suggest for a non-retryable status, e.g. "check --api-key". */
  hint: (status: number) => string;
  retry?: Partial<RetryPolicy>;
  /** Per attempt. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

type Outcome = { ok: true; body: unknown } | { ok: false; error: ServiceError };

export async function fetchJsonWithRetry(call: JsonCall): Promise<unknown> {
  const policy = { ...DEFAULT_RETRY, ...call.retry };
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(call);
    if (outcome.ok) return outcome.body;
    const { error } = outcome;
    if (!error.retryable || attempt >= policy.maxAttempts) throw error;
    const wait = error.retryAfterMs ?? backoffMs(policy, attempt);
    if (wait > policy.maxDelayMs) throw error;
    await sleep(wait, undefined, { signal: call.signal });
  }
}

const MAX_REDIRECTS = 5;
// Only these keep the method and body, which a JSON POST needs; 301, 302 and 303 would turn it into a GET.
const KEEPS_REQUEST = new Set([307, 308]);

async function attemptOnce(call: JsonCall): Promise<Outcome> {
  call.signal?.throwIfAborted();
  const signals = [call.signal, call.timeoutMs ? AbortSignal.timeout(call.timeoutMs) : undefined].filter(isSignal);
  const signal = signals.length ? AbortSignal.any(signals) : undefined;
  let url = new URL(call.url);
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetch(url, { ...call.init(), redirect: 'manual', signal });
    } catch (err) {
      call.signal?.throwIfAborted();
      return { ok: false, error: networkError(call, err) };
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return answered(call, response);
    await response.body?.cancel();
    const next = new URL(location, url);
    const refused = refusedHop(call, url, next, response.status, hop);
    if (refused) return { ok: false, error: refused };
    url = next;
  }
}

/** Why a redirect is not followed: the key would go to another origin, the method would change, or too many hops. */
function refusedHop(call: JsonCall, from: URL, to: URL, status: number, hop: number): ServiceError | undefined {
  const where = `${call.service} at ${from.origin} redirected (${status}) to ${to.origin}${to.pathname}`;
  if (to.origin !== from.origin) {
    const message = `${where}, another origin, which must not receive the key; give the final address as the endpoint`;
    return new ServiceError(line(call, message), { status, retryable: false });
  }
  if (!KEEPS_REQUEST.has(status)) {
    const message = `${where}, which would drop the request body; give the final address as the endpoint`;
    return new ServiceError(line(call, message), { status, retryable: false });
  }
  if (hop >= MAX_REDIRECTS) {
    const message = `${where} after ${MAX_REDIRECTS} redirects already; give the final address as the endpoint`;
    return new ServiceError(line(call, message), { status, retryable: false });
  }
  return undefined;
}

async function answered(call: JsonCall, response: Response): Promise<Outcome> {
  const text = await response.text();
  if (response.ok) return parseBody(call, text);
  return { ok: false, error: statusError(call, response, text) };
}

function parseBody(call: JsonCall, text: string): Outcome {
  const json = parseJsonBody(text);
  if (json.ok) return { ok: true, body: json.value };
  return {
    ok: false,
    error: new ServiceError(
      line(call, `${call.service} answered with a body that is not JSON: ${snippet(text)}; check the endpoint URL`),
      {
        retryable: false,
      },
    ),
  };
}

function statusError(call: JsonCall, response: Response, body: string): ServiceError {
  const { status } = response;
  const transient = status === 429 || status >= 500;
  const retryAfter = transient ? parseRetryAfter(response.headers.get('retry-after') ?? undefined) : undefined;
  if (retryAfter?.kind === 'absurd') {
    const message = `${call.service} answered ${status} with Retry-After ${retryAfter.raw}, more than a day: the key or account is blocked; check it with the service`;
    return new ServiceError(line(call, message), { status, retryable: false });
  }
  const retryAfterMs = retryAfter?.ms;
  const advice = transient ? 'retrying later may succeed' : call.hint(status);
  const message = `${call.service} answered ${status} ${response.statusText}: ${snippet(body)}; ${advice}`;
  return new ServiceError(line(call, message), { status, retryable: transient, retryAfterMs });
}

function networkError(call: JsonCall, err: unknown): ServiceError {
  const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause : err) : undefined;
  const code = (cause as { code?: string } | undefined)?.code;
  const reason =
    cause?.name === 'TimeoutError' ? `no answer within ${call.timeoutMs} ms` : (code ?? cause?.message ?? String(err));
  const message = `${call.service} unreachable at ${new URL(call.url).origin}: ${reason}; check the endpoint URL and the network`;
  return new ServiceError(line(call, message), { retryable: true });
}

/** Full jitter: a random wait up to base * 2^(attempt-1). */
function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.round(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
}

function snippet(body: string): string {
  const points = Array.from(body.replace(/\s+/g, ' ').trim());
  if (!points.length) return '(empty body)';
  return points.length > 300 ? `${points.slice(0, 299).join('')}…` : points.join('');
}

/** One line, secrets scrubbed: servers do echo keys back in error bodies. */
function line(call: JsonCall, message: string): string {
  let out = message.replace(/\s+/g, ' ');
  for (const secret of call.secrets) if (secret) out = out.split(secret).join('***');
  return out;
}

function isSignal(s: AbortSignal | undefined): s is AbortSignal {
  return s !== undefined;
}
