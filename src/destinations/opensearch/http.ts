// The cluster's REST API as the destination uses it: JSON (or NDJSON for _bulk) over fetch, basic auth from the
// URL's user and password (the worker's URL: the job's holds neither), and every failure one line naming the fix,
// never the password. 429 and 5xx, and a cluster that does not answer, are transient: the activity's retries wait.
import { StoreError } from '../../core/storeError';
import { clusterUrlOf } from '../config';

const TIMEOUT_MS = 60_000;

export interface OpenSearchReply<T> {
  status: number;
  body: T;
}

interface ErrorBody {
  error?: { type?: string; reason?: string; root_cause?: Array<{ type?: string; reason?: string }> } | string;
}

export class OpenSearchHttp {
  /** The cluster as messages name it: its URL without user or password. */
  readonly display: string;
  private readonly base: string;
  private readonly authorization: string | undefined;

  constructor(url: string) {
    const parsed = new URL(url);
    this.authorization =
      parsed.username || parsed.password
        ? `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`
        : undefined;
    this.display = clusterUrlOf(url);
    this.base = this.display;
  }

  /**
   * `body`: an object is sent as JSON, a string as NDJSON (_bulk). `accept`: statuses that are answers, not failures
   * (404 of an index asked about).
   */
  async request<T>(method: string, path: string, body?: unknown, accept: number[] = []): Promise<OpenSearchReply<T>> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          ...(this.authorization ? { authorization: this.authorization } : {}),
          ...(body === undefined
            ? {}
            : { 'content-type': typeof body === 'string' ? 'application/x-ndjson' : 'application/json' }),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new StoreError(
        'destination',
        `cannot reach OpenSearch at ${this.display} (${causeOf(err)}); start it, or fix --opensearch-url`,
        { transient: true },
      );
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (response.ok || accept.includes(response.status)) return { status: response.status, body: parsed as T };
    throw this.failure(method, path, response.status, parsed as ErrorBody);
  }

  private failure(method: string, path: string, status: number, body: ErrorBody): StoreError {
    const where = `OpenSearch at ${this.display}`;
    if (status === 401)
      return new StoreError(
        'destination',
        `${where} rejected the credentials (401); fix the user and password in --opensearch-url`,
      );
    if (status === 403)
      return new StoreError(
        'destination',
        `${where} refused ${method} ${path} to this user (403: ${reasonOf(body)}); grant the user write access to the index`,
      );
    const transient = status === 429 || status >= 500;
    return new StoreError(
      'destination',
      `${where} answered ${method} ${path} with ${status} (${reasonOf(body)})${transient ? '; it is retried' : ''}`,
      { transient },
    );
  }
}

/** The server's own words for a failure: its error type and reason, on one line. */
export function reasonOf(body: ErrorBody | undefined): string {
  const error = body?.error;
  if (typeof error === 'string') return oneLine(error);
  const cause = error?.root_cause?.[0] ?? error;
  return oneLine([cause?.type, cause?.reason].filter(Boolean).join(': ') || 'no reason given');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 300);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: text };
  }
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  return err instanceof Error ? (err.name === 'TimeoutError' ? 'timed out' : err.message) : String(err);
}
