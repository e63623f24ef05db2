// One JSON answer through the client's own authenticated, rate-limited, retrying same-origin GET (`download`), checked
// against a zod schema: for reads the main client does not offer, with its failures as the client's ConfluenceErrors.
import type { z } from 'zod';
import { parseJsonBody } from '../../../core/jsonBody';
import type { ConfluenceClient } from './clientTypes';
import { ConfluenceError } from './errors';

/** Larger than any permission answer we expect; a bound so a misbehaving server cannot exhaust memory. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;

export async function getJson<S extends z.ZodType>(
  client: ConfluenceClient,
  url: URL,
  schema: S,
): Promise<z.output<S>> {
  const endpoint = `GET ${url.pathname}`;
  const { body, contentType } = await client.download(url.href, MAX_JSON_BYTES);
  const json = parseJsonBody(body.toString('utf8'), contentType);
  if (!json.ok) {
    throw json.problem === 'media-type'
      ? new ConfluenceError(
          'shape',
          `${endpoint} answered ${json.mediaType}, not JSON; check --url and --cloud/--no-cloud`,
        )
      : new ConfluenceError(
          'network',
          `${endpoint} returned cut-short or malformed JSON (${body.length} bytes); retried, if it persists check proxies between here and the site`,
        );
  }
  const parsed = schema.safeParse(json.value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : '(body)';
  throw new ConfluenceError(
    'shape',
    `unexpected response from ${endpoint}: field ${field}: ${issue?.message ?? 'invalid'}; check --url and --cloud/--no-cloud`,
  );
}
