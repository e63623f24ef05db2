// Turning a finished response into data or a ConfluenceError whose one-line message names the problem and the fix.
import type { z } from 'zod';
import { parseJsonBody } from '../../../core/jsonBody';
import { ConfluenceError, oneLine } from './errors';

export interface Speaker {
  /** The request, e.g. "GET /wiki/api/v2/spaces". */
  endpoint: string;
  /** The site's origin. */
  site: string;
  /** Who the requests run as (never a secret). */
  who: string;
  /** What to fix on 401, per auth mode. */
  authFix: string;
  /** Appended to the fix of a 404. */
  notFoundFix?: string;
}

/** A refusal that is not a rate limit (those need the limiter and are built by the transport). */
export function statusError(status: number, text: string, location: string | undefined, s: Speaker): ConfluenceError {
  const detail = serverDetail(text);
  if (status === 401)
    return new ConfluenceError(
      'auth',
      `${s.site} rejected the credentials of ${s.who} (401 on ${s.endpoint}); ${s.authFix}`,
      { status },
    );
  if (status === 403) {
    return new ConfluenceError(
      'forbidden',
      `${s.who} is not permitted to ${s.endpoint} (403${detail ? `: ${detail}` : ''}); ask a Confluence admin for access or use an account that has it`,
      { status },
    );
  }
  if (status === 404) {
    return new ConfluenceError(
      'not-found',
      `${s.endpoint}: not found or not visible to ${s.who} (404); check the id or key and the user's permissions${s.notFoundFix ?? ''}`,
      { status },
    );
  }
  if (status >= 500) {
    return new ConfluenceError(
      'server',
      `${s.site} answered ${status} on ${s.endpoint}${detail ? ` (${detail})` : ''}; usually temporary and retried with backoff, if it persists check the site's health`,
      { status },
    );
  }
  if (status >= 300 && status < 400) {
    return new ConfluenceError(
      'bad-request',
      `${s.endpoint} on ${s.site} redirected (${status}) to ${location?.split('?')[0] ?? 'elsewhere'}; pass the final address as --url`,
      { status },
    );
  }
  return new ConfluenceError(
    'bad-request',
    `${s.site} refused ${s.endpoint} (${status}${detail ? `: ${detail}` : ''}); check the request settings (space keys, page ids, --cql syntax)`,
    { status },
  );
}

export function networkError(e: unknown, s: Speaker): ConfluenceError {
  const code = (e as { code?: string }).code ?? (e as Error).name ?? 'error';
  return new ConfluenceError(
    'network',
    `could not complete ${s.endpoint} on ${s.site} (${code}); retried with backoff, if it persists check --url and the network`,
  );
}

export function parseJson(text: string, contentType: string | undefined, s: Speaker): unknown {
  const body = parseJsonBody(text, contentType);
  if (body.ok) return body.value;
  if (body.problem === 'media-type') {
    throw new ConfluenceError(
      'shape',
      `${s.endpoint} on ${s.site} answered ${body.mediaType}, not JSON; check --url (the Confluence base address) and --cloud/--no-cloud`,
    );
  }
  // A body cut short by the network is transient; a server that speaks no JSON was caught above.
  throw new ConfluenceError(
    'network',
    `${s.endpoint} on ${s.site} returned cut-short or malformed JSON (${text.length} chars); retried, if it persists check proxies between here and the site`,
  );
}

export function parseShape<S extends z.ZodType>(schema: S, json: unknown, s: Speaker): z.output<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : '(body)';
  throw new ConfluenceError(
    'shape',
    `unexpected response from ${s.endpoint}: field ${field}: ${issue?.message ?? 'invalid'}; the server may not be Confluence or not the expected kind, check --url and --cloud/--no-cloud`,
  );
}

/** The server's own explanation (v1 `message`, v2 `errors[0]`), short. */
function serverDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: Array<{ title?: unknown; detail?: unknown }> };
    const first = body.errors?.[0];
    const said =
      typeof body.message === 'string'
        ? body.message
        : [first?.title, first?.detail].filter((v) => typeof v === 'string').join(': ');
    return said ? oneLine(said, 160) : '';
  } catch {
    return '';
  }
}
